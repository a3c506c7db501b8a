import { newId } from "@nocturne/core";
import type { Harness } from "./harness.js";
import { newStore, sampleDreamRecord, sampleSession } from "./helpers.js";
import { sampleLineage } from "./lineage-tests.js";

/**
 * Rule: what an adapter returns, and what it is handed, are copies. The engine edits the objects it reads and the
 * ones it writes (reports, records, memories) after the call; an adapter that hands out or keeps its own objects
 * lets those edits reach storage unseen. Every read and write method is checked, both ways.
 */
export function copyTests(h: Harness): void {
  const { describe, expect, it } = h.runner;
  describe("copies", () => {
    it("memories returned by get, get by path, list, update and batch writes are copies", async () => {
      const store = await newStore(h.adapter);
      const created = await h.adapter.createMemory(store.id, { path: "/a.md", content: "original" });
      const byId = await h.adapter.getMemory(store.id, created.id);
      const byPath = await h.adapter.getMemoryByPath(store.id, "/a.md");
      const listed = (await h.adapter.listMemories(store.id)).data[0];
      for (const memory of [byId, byPath, listed]) {
        if (memory) memory.content = "changed by the caller";
      }
      const updated = await h.adapter.updateMemory(store.id, created.id, { content: "second" });
      updated.content = "changed by the caller";
      const [written] = await h.adapter.writeMemories(store.id, [{ op: "upsert", path: "/b.md", content: "batch" }]);
      if (written) written.content = "changed by the caller";
      expect((await h.adapter.getMemoryByPath(store.id, "/a.md"))?.content).toBe("second");
      expect((await h.adapter.getMemoryByPath(store.id, "/b.md"))?.content).toBe("batch");
    });

    it("stores returned by create, get, list and update are copies", async () => {
      const store = await h.adapter.createMemoryStore({ name: "kept", metadata: { team: "a" } });
      store.name = "changed by the caller";
      store.metadata.team = "changed";
      const read = await h.adapter.getMemoryStore(store.id);
      if (read) read.metadata.team = "changed";
      const listed = (await h.adapter.listMemoryStores()).data[0];
      if (listed) listed.name = "changed by the caller";
      const updated = await h.adapter.updateMemoryStore(store.id, { description: "d" });
      updated.metadata.team = "changed";
      expect(await h.adapter.getMemoryStore(store.id)).toMatchObject({
        name: "kept",
        description: "d",
        metadata: { team: "a" },
      });
    });

    it("a session or dream record handed to put is copied: changing it afterwards changes nothing stored", async () => {
      const session = sampleSession("sesn_handed");
      await h.adapter.putSession(session);
      session.title = "changed by the caller";
      const first = session.events[0];
      if (first) first.id = "evt_changed";
      const stored = await h.adapter.getSession("sesn_handed");
      expect(stored?.title).not.toBe("changed by the caller");
      expect(stored?.events[0]?.id).not.toBe("evt_changed");

      const record = sampleDreamRecord(newId("drm"));
      await h.adapter.putDreamRecord(record);
      record.dream.status = "failed";
      if (record.report) record.report.outputs = [];
      const read = await h.adapter.getDreamRecord(record.dream.id);
      expect(read?.dream.status).toBe("running");
      expect(read?.report?.outputs.length).toBe(sampleDreamRecord(record.dream.id).report?.outputs.length);
    });

    it("lineage handed to create is copied: changing it afterwards changes nothing stored", async () => {
      const store = await newStore(h.adapter);
      const lineage = sampleLineage();
      await h.adapter.createMemory(store.id, { path: "/l.md", content: "x", lineage });
      const fact = lineage.facts[0];
      if (fact) fact.value = "changed by the caller";
      lineage.dream_id = "drm_changed";
      expect((await h.adapter.getMemoryByPath(store.id, "/l.md"))?.lineage).toEqual(sampleLineage());
    });
  });
}
