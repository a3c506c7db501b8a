import { MemoryStore } from "@nocturne/core";
import type { Harness } from "./harness.js";
import { expectCode, newStore, RFC3339_UTC, snapshot } from "./helpers.js";

/** Memory stores: create, read, list, update, archive, delete, and the dream lock. */
export function storeTests(h: Harness): void {
  const { describe, expect, it } = h.runner;
  describe("memory stores", () => {
    it("creates a store with the hosted shape and defaults", async () => {
      const store = await h.adapter.createMemoryStore({ name: "Notes" });
      expect(MemoryStore.parse(store)).toEqual(store);
      expect(store.id).toMatch(/^memstore_/);
      expect(store).toMatchObject({ type: "memory_store", name: "Notes", description: "", metadata: {} });
      expect(store.archived_at).toBeNull();
      expect(store.created_at).toMatch(RFC3339_UTC);
      expect(store.updated_at).toMatch(RFC3339_UTC);
      expect(await h.adapter.getMemoryStore(store.id)).toEqual(store);
    });

    it("keeps description and metadata as given", async () => {
      const input = { name: "Ünïcödé ✓", description: "Für Träume 🌙", metadata: { team: "atlas", "k-2": "v 2" } };
      const store = await h.adapter.createMemoryStore(input);
      expect(store).toMatchObject(input);
      expect(await h.adapter.getMemoryStore(store.id)).toEqual(store);
    });

    it("refuses invalid store input with invalid_input", async () => {
      await expectCode(h.adapter.createMemoryStore({ name: "" }), "invalid_input");
      await expectCode(h.adapter.createMemoryStore({ name: "x".repeat(256) }), "invalid_input");
      const tooMany = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]));
      await expectCode(h.adapter.createMemoryStore({ name: "n", metadata: tooMany }), "invalid_input");
      expect((await h.adapter.listMemoryStores({ include_archived: true })).data).toEqual([]);
    });

    it("gives unique ids and null for a store that does not exist", async () => {
      const a = await newStore(h.adapter);
      const b = await newStore(h.adapter);
      expect(a.id).not.toBe(b.id);
      expect(await h.adapter.getMemoryStore("memstore_missing")).toBeNull();
    });

    it("returns copies: changing a returned store changes nothing stored", async () => {
      const store = await newStore(h.adapter, "original");
      store.name = "changed";
      store.metadata.injected = "yes";
      expect(await h.adapter.getMemoryStore(store.id)).toMatchObject({ name: "original", metadata: {} });
    });

    it("lists stores oldest first, pages with cursors, and hides archived ones unless asked", async () => {
      const created = [];
      for (const name of ["one", "two", "three", "four", "five"]) created.push(await newStore(h.adapter, name));
      const ids = created.map((store) => store.id);
      expect((await h.adapter.listMemoryStores()).data.map((store) => store.id)).toEqual(ids);

      const first = await h.adapter.listMemoryStores({ limit: 2 });
      expect(first.data.map((store) => store.id)).toEqual(ids.slice(0, 2));
      expect(first.next_cursor).not.toBeNull();
      const second = await h.adapter.listMemoryStores({ limit: 2, after: first.next_cursor ?? undefined });
      expect(second.data.map((store) => store.id)).toEqual(ids.slice(2, 4));
      const third = await h.adapter.listMemoryStores({ limit: 2, after: second.next_cursor ?? undefined });
      expect(third.data.map((store) => store.id)).toEqual(ids.slice(4));
      expect(third.next_cursor).toBeNull();

      await h.adapter.archiveMemoryStore(ids[1] as string);
      expect((await h.adapter.listMemoryStores()).data.map((store) => store.id)).toEqual(
        ids.filter((id) => id !== ids[1]),
      );
      expect((await h.adapter.listMemoryStores({ include_archived: true })).data.map((store) => store.id)).toEqual(ids);
    });

    it("updates name, description and metadata, leaving the rest alone", async () => {
      const store = await h.adapter.createMemoryStore({ name: "before", description: "d", metadata: { a: "1" } });
      const renamed = await h.adapter.updateMemoryStore(store.id, { name: "after" });
      expect(renamed).toMatchObject({ id: store.id, name: "after", description: "d", metadata: { a: "1" } });
      expect(renamed.created_at).toBe(store.created_at);
      expect(Date.parse(renamed.updated_at)).toBeGreaterThanOrEqual(Date.parse(store.updated_at));
      const described = await h.adapter.updateMemoryStore(store.id, { description: "", metadata: { b: "2" } });
      expect(described).toMatchObject({ name: "after", description: "", metadata: { b: "2" } });
      expect(await h.adapter.getMemoryStore(store.id)).toEqual(described);
    });

    it("refuses updates of a missing store or with invalid fields", async () => {
      await expectCode(h.adapter.updateMemoryStore("memstore_missing", { name: "x" }), "memory_store_not_found");
      const store = await newStore(h.adapter);
      await expectCode(h.adapter.updateMemoryStore(store.id, { name: "" }), "invalid_input");
      expect(await h.adapter.getMemoryStore(store.id)).toEqual(store);
    });

    it("archives idempotently; an archived store stays readable", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, { path: "/kept.md", content: "still here" });
      const archived = await h.adapter.archiveMemoryStore(store.id);
      expect(archived.archived_at).toMatch(RFC3339_UTC);
      expect(Date.parse(archived.archived_at ?? "")).toBeGreaterThanOrEqual(Date.parse(store.created_at));
      const again = await h.adapter.archiveMemoryStore(store.id);
      expect(again.archived_at).toBe(archived.archived_at);
      expect(await h.adapter.getMemoryStore(store.id)).toEqual(again);
      expect(await h.adapter.getMemory(store.id, memory.id)).toEqual(memory);
      expect(await h.adapter.getMemoryByPath(store.id, "/kept.md")).toEqual(memory);
      expect((await h.adapter.listMemories(store.id)).data).toEqual([memory]);
    });

    it("refuses every write into an archived store with memory_store_archived", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, { path: "/a.md", content: "a" });
      await h.adapter.archiveMemoryStore(store.id);
      await expectCode(h.adapter.createMemory(store.id, { path: "/b.md", content: "b" }), "memory_store_archived");
      await expectCode(h.adapter.updateMemory(store.id, memory.id, { content: "changed" }), "memory_store_archived");
      await expectCode(h.adapter.deleteMemory(store.id, memory.id), "memory_store_archived");
      await expectCode(
        h.adapter.writeMemories(store.id, [{ op: "upsert", path: "/c.md", content: "c" }]),
        "memory_store_archived",
      );
      await expectCode(h.adapter.writeMemories(store.id, [{ op: "delete", path: "/a.md" }]), "memory_store_archived");
      expect(await snapshot(h.adapter, store.id)).toEqual([["/a.md", "a"]]);
    });

    it("deletes a store with its memories", async () => {
      const store = await newStore(h.adapter);
      const keep = await newStore(h.adapter, "other");
      const memory = await h.adapter.createMemory(store.id, { path: "/gone.md", content: "x" });
      const other = await h.adapter.createMemory(keep.id, { path: "/gone.md", content: "y" });
      await h.adapter.deleteMemoryStore(store.id);
      expect(await h.adapter.getMemoryStore(store.id)).toBeNull();
      expect(await h.adapter.getMemory(store.id, memory.id)).toBeNull();
      await expectCode(h.adapter.listMemories(store.id), "memory_store_not_found");
      await expectCode(h.adapter.createMemory(store.id, { path: "/x.md", content: "" }), "memory_store_not_found");
      expect((await h.adapter.listMemoryStores({ include_archived: true })).data.map((s) => s.id)).toEqual([keep.id]);
      expect(await h.adapter.getMemory(keep.id, other.id)).toEqual(other);
    });

    it("deletes archived stores too, and refuses missing ones with memory_store_not_found", async () => {
      const store = await newStore(h.adapter);
      await h.adapter.archiveMemoryStore(store.id);
      await h.adapter.deleteMemoryStore(store.id);
      expect(await h.adapter.getMemoryStore(store.id)).toBeNull();
      await expectCode(h.adapter.deleteMemoryStore(store.id), "memory_store_not_found");
      await expectCode(h.adapter.archiveMemoryStore("memstore_missing"), "memory_store_not_found");
      await expectCode(h.adapter.setMemoryStoreLock("memstore_missing", "drm_x"), "memory_store_not_found");
    });

    it("refuses archive and delete while a dream holds the lock, and allows them after unlock", async () => {
      const store = await newStore(h.adapter);
      await h.adapter.setMemoryStoreLock(store.id, "drm_writer");
      const archiveError = await expectCode(h.adapter.archiveMemoryStore(store.id), "memory_store_locked");
      expect(archiveError.message).toContain("drm_writer");
      await expectCode(h.adapter.deleteMemoryStore(store.id), "memory_store_locked");
      expect((await h.adapter.getMemoryStore(store.id))?.archived_at).toBeNull();

      const written = await h.adapter.createMemory(store.id, { path: "/during.md", content: "the dream writes" });
      await h.adapter.writeMemories(store.id, [{ op: "upsert", path: "/batch.md", content: "also" }]);
      await h.adapter.updateMemory(store.id, written.id, { content: "and rewrites" });

      await h.adapter.setMemoryStoreLock(store.id, "drm_next");
      await expectCode(h.adapter.deleteMemoryStore(store.id), "memory_store_locked");
      await h.adapter.setMemoryStoreLock(store.id, null);
      expect((await h.adapter.archiveMemoryStore(store.id)).archived_at).not.toBeNull();
      await h.adapter.deleteMemoryStore(store.id);
      expect(await h.adapter.getMemoryStore(store.id)).toBeNull();
    });
  });
}
