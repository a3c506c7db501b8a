import { Memory } from "@nocturne/core";
import type { Harness } from "./harness.js";
import { expectCode, expectWholeMemory, newStore, sha256Hex, snapshot } from "./helpers.js";

/** Memories one at a time: create, read by id and path, update, move, delete, with preconditions and conflicts. */
export function memoryTests(h: Harness): void {
  const { describe, expect, it } = h.runner;
  describe("memories", () => {
    it("creates a memory with hash, size and timestamps", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, { path: "/preferences/editor.md", content: "Tabs.\n" });
      expect(Memory.parse(memory)).toEqual(memory);
      expectWholeMemory(memory, store.id);
      expect(memory).toMatchObject({ path: "/preferences/editor.md", content: "Tabs.\n", content_size_bytes: 6 });
      expect(memory.created_at).toBe(memory.updated_at);
    });

    it("reads a memory back by id and by path, only within its store", async () => {
      const store = await newStore(h.adapter);
      const other = await newStore(h.adapter, "other");
      const memory = await h.adapter.createMemory(store.id, { path: "/a/b.md", content: "body" });
      expect(await h.adapter.getMemory(store.id, memory.id)).toEqual(memory);
      expect(await h.adapter.getMemoryByPath(store.id, "/a/b.md")).toEqual(memory);
      expect(await h.adapter.getMemory(other.id, memory.id)).toBeNull();
      expect(await h.adapter.getMemoryByPath(other.id, "/a/b.md")).toBeNull();
      expect(await h.adapter.getMemory(store.id, "mem_missing")).toBeNull();
      expect(await h.adapter.getMemoryByPath(store.id, "/a/c.md")).toBeNull();
      expect(await h.adapter.getMemoryByPath(store.id, "/a")).toBeNull();
      expect(await h.adapter.getMemory("memstore_missing", memory.id)).toBeNull();
    });

    it("stores empty content", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, { path: "/empty.md", content: "" });
      expect(memory).toMatchObject({ content: "", content_size_bytes: 0, content_sha256: sha256Hex("") });
      expect(await h.adapter.getMemoryByPath(store.id, "/empty.md")).toEqual(memory);
    });

    it("gives every memory its own id; the same path may live in two stores", async () => {
      const a = await newStore(h.adapter);
      const b = await newStore(h.adapter, "b");
      const first = await h.adapter.createMemory(a.id, { path: "/same.md", content: "a" });
      const second = await h.adapter.createMemory(b.id, { path: "/same.md", content: "b" });
      const third = await h.adapter.createMemory(a.id, { path: "/other.md", content: "a" });
      expect(new Set([first.id, second.id, third.id]).size).toBe(3);
    });

    it("returns copies: changing a returned memory changes nothing stored", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, { path: "/copy.md", content: "original" });
      memory.content = "changed";
      expect((await h.adapter.getMemoryByPath(store.id, "/copy.md"))?.content).toBe("original");
    });

    it("refuses a taken path with memory_path_conflict", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, { path: "/taken.md", content: "first" });
      await expectCode(
        h.adapter.createMemory(store.id, { path: "/taken.md", content: "second" }),
        "memory_path_conflict",
      );
      expect(await h.adapter.getMemoryByPath(store.id, "/taken.md")).toEqual(memory);
    });

    it("refuses a path that would make a memory also a folder, both ways", async () => {
      const store = await newStore(h.adapter);
      await h.adapter.createMemory(store.id, { path: "/notes", content: "a memory named like a folder" });
      await h.adapter.createMemory(store.id, { path: "/dir/inner.md", content: "below /dir" });
      await expectCode(h.adapter.createMemory(store.id, { path: "/notes/x.md", content: "" }), "memory_path_conflict");
      await expectCode(h.adapter.createMemory(store.id, { path: "/notes/a/b", content: "" }), "memory_path_conflict");
      await expectCode(h.adapter.createMemory(store.id, { path: "/dir", content: "" }), "memory_path_conflict");
      expect(await snapshot(h.adapter, store.id)).toEqual([
        ["/dir/inner.md", "below /dir"],
        ["/notes", "a memory named like a folder"],
      ]);
      await h.adapter.createMemory(store.id, { path: "/notes.md", content: "a sibling is fine" });
      await h.adapter.createMemory(store.id, { path: "/dir2", content: "a prefix that is not a folder is fine" });
    });

    it("refuses a missing store with memory_store_not_found", async () => {
      await expectCode(
        h.adapter.createMemory("memstore_missing", { path: "/a.md", content: "" }),
        "memory_store_not_found",
      );
    });

    it("updates content, keeping id, path and created_at", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, { path: "/u.md", content: "v1" });
      const updated = await h.adapter.updateMemory(store.id, memory.id, { content: "version two" });
      expectWholeMemory(updated, store.id);
      expect(updated).toMatchObject({ id: memory.id, path: "/u.md", content: "version two" });
      expect(updated.content_sha256).toBe(sha256Hex("version two"));
      expect(updated.created_at).toBe(memory.created_at);
      expect(Date.parse(updated.updated_at)).toBeGreaterThanOrEqual(Date.parse(memory.updated_at));
      expect(await h.adapter.getMemory(store.id, memory.id)).toEqual(updated);
      expect(await h.adapter.getMemoryByPath(store.id, "/u.md")).toEqual(updated);
    });

    it("moves a memory to a new path, keeping its id, optionally rewriting it", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, { path: "/old/place.md", content: "moving" });
      const moved = await h.adapter.updateMemory(store.id, memory.id, { path: "/new/deeper/place.md" });
      expect(moved).toMatchObject({ id: memory.id, path: "/new/deeper/place.md", content: "moving" });
      expect(moved.created_at).toBe(memory.created_at);
      expect(await h.adapter.getMemoryByPath(store.id, "/old/place.md")).toBeNull();
      expect(await h.adapter.getMemoryByPath(store.id, "/new/deeper/place.md")).toEqual(moved);
      expect(await h.adapter.getMemory(store.id, memory.id)).toEqual(moved);

      const both = await h.adapter.updateMemory(store.id, memory.id, { path: "/old", content: "moved back" });
      expect(both).toMatchObject({ id: memory.id, path: "/old", content: "moved back" });
      expect(await snapshot(h.adapter, store.id)).toEqual([["/old", "moved back"]]);
    });

    it("moves a memory into a folder named like itself", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, { path: "/topic", content: "t" });
      const moved = await h.adapter.updateMemory(store.id, memory.id, { path: "/topic/index.md" });
      expect(moved.path).toBe("/topic/index.md");
      expect(await snapshot(h.adapter, store.id)).toEqual([["/topic/index.md", "t"]]);
    });

    it("refuses a move onto a taken or clashing path and changes nothing", async () => {
      const store = await newStore(h.adapter);
      const a = await h.adapter.createMemory(store.id, { path: "/a.md", content: "a" });
      await h.adapter.createMemory(store.id, { path: "/b.md", content: "b" });
      await h.adapter.createMemory(store.id, { path: "/f/g.md", content: "g" });
      await expectCode(h.adapter.updateMemory(store.id, a.id, { path: "/b.md" }), "memory_path_conflict");
      await expectCode(h.adapter.updateMemory(store.id, a.id, { path: "/f" }), "memory_path_conflict");
      await expectCode(h.adapter.updateMemory(store.id, a.id, { path: "/b.md/c.md" }), "memory_path_conflict");
      await expectCode(h.adapter.updateMemory(store.id, a.id, { path: "/b.md", content: "x" }), "memory_path_conflict");
      expect(await snapshot(h.adapter, store.id)).toEqual([
        ["/a.md", "a"],
        ["/b.md", "b"],
        ["/f/g.md", "g"],
      ]);
    });

    it("applies an update only when the content_sha256 precondition holds", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, { path: "/p.md", content: "v1" });
      const stale = { content_sha256: sha256Hex("not the content") };
      await expectCode(
        h.adapter.updateMemory(store.id, memory.id, { content: "v2", precondition: stale }),
        "precondition_failed",
      );
      await expectCode(
        h.adapter.updateMemory(store.id, memory.id, { path: "/moved.md", precondition: stale }),
        "precondition_failed",
      );
      expect(await h.adapter.getMemory(store.id, memory.id)).toEqual(memory);
      const ok = await h.adapter.updateMemory(store.id, memory.id, {
        content: "v2",
        precondition: { content_sha256: memory.content_sha256 },
      });
      expect(ok.content).toBe("v2");
      await expectCode(
        h.adapter.updateMemory(store.id, memory.id, {
          content: "v3",
          precondition: { content_sha256: memory.content_sha256 },
        }),
        "precondition_failed",
      );
      expect((await h.adapter.getMemory(store.id, memory.id))?.content).toBe("v2");
    });

    it("refuses updates of a missing memory with memory_not_found", async () => {
      const store = await newStore(h.adapter);
      await expectCode(h.adapter.updateMemory(store.id, "mem_missing", { content: "x" }), "memory_not_found");
      const other = await newStore(h.adapter, "other");
      const memory = await h.adapter.createMemory(other.id, { path: "/x.md", content: "x" });
      await expectCode(h.adapter.updateMemory(store.id, memory.id, { content: "y" }), "memory_not_found");
      await expectCode(h.adapter.deleteMemory(store.id, memory.id), "memory_not_found");
      expect(await h.adapter.getMemory(other.id, memory.id)).toEqual(memory);
    });

    it("deletes a memory, then frees its path", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, { path: "/d/e.md", content: "bye" });
      await h.adapter.deleteMemory(store.id, memory.id);
      expect(await h.adapter.getMemory(store.id, memory.id)).toBeNull();
      expect(await h.adapter.getMemoryByPath(store.id, "/d/e.md")).toBeNull();
      await expectCode(h.adapter.deleteMemory(store.id, memory.id), "memory_not_found");
      const reborn = await h.adapter.createMemory(store.id, { path: "/d/e.md", content: "again" });
      expect(reborn.id).not.toBe(memory.id);
      await expectCode(h.adapter.createMemory(store.id, { path: "/d", content: "" }), "memory_path_conflict");
      await h.adapter.deleteMemory(store.id, reborn.id);
      await h.adapter.createMemory(store.id, { path: "/d", content: "the folder /d left with its last memory" });
      await expectCode(h.adapter.createMemory(store.id, { path: "/d/e.md", content: "" }), "memory_path_conflict");
      expect(await snapshot(h.adapter, store.id)).toEqual([["/d", "the folder /d left with its last memory"]]);
    });

    it("deletes only when the precondition holds", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, { path: "/keep.md", content: "keep" });
      await expectCode(
        h.adapter.deleteMemory(store.id, memory.id, { precondition: { content_sha256: sha256Hex("other") } }),
        "precondition_failed",
      );
      expect(await h.adapter.getMemory(store.id, memory.id)).toEqual(memory);
      await h.adapter.deleteMemory(store.id, memory.id, { precondition: { content_sha256: memory.content_sha256 } });
      expect(await h.adapter.getMemory(store.id, memory.id)).toBeNull();
    });
  });
}
