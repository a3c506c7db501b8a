import { newId, type StorageAdapter } from "@nocturne/core";
import { raceChecks } from "./concurrency-tests.js";
import type { AdapterConformanceOptions, Harness } from "./harness.js";
import { expectCode, listAll, newStore, sampleDreamRecord, sampleSession } from "./helpers.js";
import { sampleLineage } from "./lineage-tests.js";
import { describeIf } from "./runner.js";

/** Checks that declared capabilities match the options the suite runs with. */
export function capabilityTests(h: Harness, options: AdapterConformanceOptions): void {
  const { describe, expect, it } = h.runner;
  describe("capabilities", () => {
    it("has a name and declares its capabilities to match the checks being run", () => {
      expect(typeof h.adapter.name).toBe("string");
      expect(h.adapter.name.length).toBeGreaterThan(0);
      const { persistent, multiProcess } = h.adapter.capabilities;
      expect(
        persistent,
        "capabilities.persistent must match the suite's `persistent` option (pass { persistent: true } and a reopen hook)",
      ).toBe(options.persistent ?? false);
      expect(
        multiProcess,
        "capabilities.multiProcess must match the suite's `multiProcess` option (pass { multiProcess: true } and a reopen hook)",
      ).toBe(options.multiProcess ?? false);
      const versions = h.adapter.capabilities.memoryVersions === true;
      expect(
        versions,
        "capabilities.memoryVersions must match the suite's `memoryVersions` option (pass { memoryVersions: true })",
      ).toBe(options.memoryVersions ?? false);
      expect(h.adapter.memoryVersions !== undefined, "memoryVersions is present exactly when declared").toBe(versions);
    });
  });
}

/** Everything written survives closing the adapter and opening the storage again. */
export function persistenceTests(h: Harness, options: AdapterConformanceOptions): void {
  const { expect, it } = h.runner;
  describeIf(h.runner, options.persistent === true, "persistence across a reopen", () => {
    it("reads back stores, memories, locks, sessions and dream records after a reopen", async () => {
      const first = h.adapter;
      const store = await first.createMemoryStore({ name: "kept", description: "d", metadata: { k: "v" } });
      const archived = await newStore(first, "archived");
      await first.archiveMemoryStore(archived.id);
      const locked = await newStore(first, "locked");
      await first.setMemoryStoreLock(locked.id, "drm_running");
      const memory = await first.createMemory(store.id, { path: "/notes/café 😀.md", content: "Ünïcödé\r\n" });
      await first.writeMemories(store.id, [
        { op: "upsert", path: "/notes/b.md", content: "b", lineage: sampleLineage() },
        { op: "upsert", path: "/c.md", content: "" },
      ]);
      const moved = await first.updateMemory(store.id, memory.id, { path: "/moved/café 😀.md" });
      const session = await first.putSession(sampleSession("sesn_kept"));
      const record = sampleDreamRecord(newId("drm"));
      await first.putDreamRecord(record);
      const memories = await listAll(first, store.id);
      const stores = await first.listMemoryStores({ include_archived: true });
      await h.close(first);

      const second = await h.reopen();
      expect(await second.listMemoryStores({ include_archived: true })).toEqual(stores);
      expect(await second.getMemoryStore(store.id)).toEqual(store);
      expect((await second.getMemoryStore(archived.id))?.archived_at).not.toBeNull();
      expect(await listAll(second, store.id)).toEqual(memories);
      expect((await second.getMemoryByPath(store.id, "/notes/b.md"))?.lineage).toEqual(sampleLineage());
      expect(await second.getMemory(store.id, memory.id)).toEqual(moved);
      expect(await second.getMemoryByPath(store.id, "/notes/café 😀.md")).toBeNull();
      expect(await second.getSession("sesn_kept")).toEqual(session);
      expect(await second.getDreamRecord(record.dream.id)).toEqual(record);
      expect((await second.listDreams()).data).toEqual([record.dream]);
      await expectCode(second.deleteMemoryStore(locked.id), "memory_store_locked");
      await expectCode(second.createMemory(archived.id, { path: "/x.md", content: "" }), "memory_store_archived");
      await second.setMemoryStoreLock(locked.id, null);
      await second.deleteMemoryStore(locked.id);
    });

    it("keeps writing where the last adapter stopped", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, { path: "/a.md", content: "one" });
      await h.close(h.adapter);
      const second = await h.reopen();
      await expectCode(second.createMemory(store.id, { path: "/a.md", content: "again" }), "memory_path_conflict");
      const updated = await second.updateMemory(store.id, memory.id, {
        content: "two",
        precondition: { content_sha256: memory.content_sha256 },
      });
      expect(updated.created_at).toBe(memory.created_at);
      expect(await second.getMemoryByPath(store.id, "/a.md")).toEqual(updated);
    });
  });
}

/** Two adapters open over the same storage at once behave like one. */
export function multiProcessTests(h: Harness, options: AdapterConformanceOptions): void {
  const { beforeEach, expect, it } = h.runner;
  describeIf(h.runner, options.multiProcess === true, "two adapters over the same storage", () => {
    let adapters: StorageAdapter[] = [];
    beforeEach(async () => {
      adapters = [h.adapter, await h.reopen()];
    });

    it("sees each other's writes at once", async () => {
      const [a, b] = adapters as [StorageAdapter, StorageAdapter];
      const store = await newStore(a);
      expect(await b.getMemoryStore(store.id)).toEqual(store);
      const memory = await b.createMemory(store.id, { path: "/shared.md", content: "from b" });
      expect(await a.getMemory(store.id, memory.id)).toEqual(memory);
      const updated = await a.updateMemory(store.id, memory.id, { content: "from a" });
      expect(await b.getMemoryByPath(store.id, "/shared.md")).toEqual(updated);
      await a.setMemoryStoreLock(store.id, "drm_on_a");
      await expectCode(b.archiveMemoryStore(store.id), "memory_store_locked");
      await b.putSession(sampleSession("sesn_shared"));
      expect((await a.getSession("sesn_shared"))?.id).toBe("sesn_shared");
      const record = sampleDreamRecord(newId("drm"));
      await a.putDreamRecord(record);
      expect(await b.getDreamRecord(record.dream.id)).toEqual(record);
    });

    raceChecks(h.runner, () => adapters);
  });
}
