import type { Harness } from "./harness.js";
import { expectCode, expectWholeMemory, newStore, sha256Hex, snapshot } from "./helpers.js";

/** Batch writes: upserts and deletes applied all together or not at all. */
export function batchTests(h: Harness): void {
  const { describe, expect, it } = h.runner;
  describe("batch writes", () => {
    it("creates, replaces and deletes in one call, returning the upserted memories in order", async () => {
      const store = await newStore(h.adapter);
      const kept = await h.adapter.createMemory(store.id, { path: "/replace.md", content: "old" });
      await h.adapter.createMemory(store.id, { path: "/remove.md", content: "bye" });
      const written = await h.adapter.writeMemories(store.id, [
        { op: "upsert", path: "/new/one.md", content: "one" },
        { op: "upsert", path: "/replace.md", content: "new" },
        { op: "delete", path: "/remove.md" },
        { op: "upsert", path: "/new/two.md", content: "two" },
      ]);
      expect(written.map((memory) => [memory.path, memory.content])).toEqual([
        ["/new/one.md", "one"],
        ["/replace.md", "new"],
        ["/new/two.md", "two"],
      ]);
      for (const memory of written) expectWholeMemory(memory, store.id);
      const replaced = written[1];
      expect(replaced?.id).toBe(kept.id);
      expect(replaced?.created_at).toBe(kept.created_at);
      expect(await h.adapter.getMemory(store.id, kept.id)).toEqual(replaced);
      expect(await snapshot(h.adapter, store.id)).toEqual([
        ["/new/one.md", "one"],
        ["/new/two.md", "two"],
        ["/replace.md", "new"],
      ]);
      for (const memory of written) expect(await h.adapter.getMemory(store.id, memory.id)).toEqual(memory);
    });

    it("accepts an empty batch and a delete of a path that holds nothing", async () => {
      const store = await newStore(h.adapter);
      expect(await h.adapter.writeMemories(store.id, [])).toEqual([]);
      expect(await h.adapter.writeMemories(store.id, [{ op: "delete", path: "/never.md" }])).toEqual([]);
      expect(await snapshot(h.adapter, store.id)).toEqual([]);
    });

    it("applies writes in order: later writes to a path see earlier ones", async () => {
      const store = await newStore(h.adapter);
      await h.adapter.createMemory(store.id, { path: "/x", content: "a file at /x" });
      const written = await h.adapter.writeMemories(store.id, [
        { op: "upsert", path: "/twice.md", content: "first" },
        { op: "upsert", path: "/twice.md", content: "second", precondition: { content_sha256: sha256Hex("first") } },
        { op: "upsert", path: "/gone.md", content: "short-lived" },
        { op: "delete", path: "/gone.md" },
        { op: "delete", path: "/x" },
        { op: "upsert", path: "/x/now-a-folder.md", content: "inside /x" },
      ]);
      expect(written.map((memory) => memory.path)).toEqual([
        "/twice.md",
        "/twice.md",
        "/gone.md",
        "/x/now-a-folder.md",
      ]);
      expect(await snapshot(h.adapter, store.id)).toEqual([
        ["/twice.md", "second"],
        ["/x/now-a-folder.md", "inside /x"],
      ]);
    });

    it("applies nothing when any precondition fails", async () => {
      const store = await newStore(h.adapter);
      const a = await h.adapter.createMemory(store.id, { path: "/a.md", content: "a" });
      await h.adapter.createMemory(store.id, { path: "/b.md", content: "b" });
      const before = await snapshot(h.adapter, store.id);
      await expectCode(
        h.adapter.writeMemories(store.id, [
          { op: "upsert", path: "/a.md", content: "a2", precondition: { content_sha256: a.content_sha256 } },
          { op: "upsert", path: "/c.md", content: "c" },
          { op: "delete", path: "/b.md", precondition: { content_sha256: sha256Hex("not b") } },
        ]),
        "precondition_failed",
      );
      expect(await snapshot(h.adapter, store.id)).toEqual(before);
      expect(await h.adapter.getMemory(store.id, a.id)).toEqual(a);
    });

    it("fails a precondition on a path that holds nothing", async () => {
      const store = await newStore(h.adapter);
      const precondition = { content_sha256: sha256Hex("") };
      await expectCode(
        h.adapter.writeMemories(store.id, [{ op: "upsert", path: "/absent.md", content: "x", precondition }]),
        "precondition_failed",
      );
      await expectCode(
        h.adapter.writeMemories(store.id, [{ op: "delete", path: "/absent.md", precondition }]),
        "precondition_failed",
      );
      expect(await snapshot(h.adapter, store.id)).toEqual([]);
    });

    it("applies preconditioned upserts and deletes when they hold", async () => {
      const store = await newStore(h.adapter);
      const a = await h.adapter.createMemory(store.id, { path: "/a.md", content: "a" });
      const b = await h.adapter.createMemory(store.id, { path: "/b.md", content: "b" });
      await h.adapter.writeMemories(store.id, [
        { op: "upsert", path: "/a.md", content: "a2", precondition: { content_sha256: a.content_sha256 } },
        { op: "delete", path: "/b.md", precondition: { content_sha256: b.content_sha256 } },
      ]);
      expect(await snapshot(h.adapter, store.id)).toEqual([["/a.md", "a2"]]);
    });

    it("applies nothing when a path conflicts or clashes", async () => {
      const store = await newStore(h.adapter);
      await h.adapter.createMemory(store.id, { path: "/file", content: "f" });
      await expectCode(
        h.adapter.writeMemories(store.id, [
          { op: "upsert", path: "/fine.md", content: "fine" },
          { op: "upsert", path: "/file/below.md", content: "clash" },
        ]),
        "memory_path_conflict",
      );
      await expectCode(
        h.adapter.writeMemories(store.id, [
          { op: "upsert", path: "/dir/a.md", content: "a" },
          { op: "upsert", path: "/dir", content: "clash within the batch" },
        ]),
        "memory_path_conflict",
      );
      expect(await snapshot(h.adapter, store.id)).toEqual([["/file", "f"]]);
    });

    it("applies nothing when one write is invalid", async () => {
      const store = await newStore(h.adapter);
      await expectCode(
        h.adapter.writeMemories(store.id, [
          { op: "upsert", path: "/ok.md", content: "ok" },
          { op: "upsert", path: "/big.md", content: "x".repeat(100 * 1024 + 1) },
        ]),
        "memory_content_too_large",
      );
      await expectCode(
        // @ts-expect-error an unknown op is refused at run time too
        h.adapter.writeMemories(store.id, [{ op: "rename", path: "/ok.md" }]),
        "invalid_input",
      );
      expect(await snapshot(h.adapter, store.id)).toEqual([]);
    });

    it("refuses a missing store with memory_store_not_found", async () => {
      await expectCode(
        h.adapter.writeMemories("memstore_missing", [{ op: "upsert", path: "/a.md", content: "" }]),
        "memory_store_not_found",
      );
    });
  });
}
