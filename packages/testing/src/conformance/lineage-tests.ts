import type { MemoryLineage } from "@nocturne/core";
import type { Harness } from "./harness.js";
import { newStore } from "./helpers.js";

/** Lineage as a dream writes it: one fact with its observation time and source, and the ledger of one session. */
export function sampleLineage(line = "User lives in Lisbon."): MemoryLineage {
  return {
    dream_id: "drm_lineage",
    facts: [
      {
        line,
        key: "user.home_city",
        topic: "profile",
        kind: "fact",
        cardinality: "single",
        polarity: "positive",
        value: "Lisbon",
        trust: "user",
        observed_at: "2026-02-03T04:05:06.000Z",
        sources: [{ session_id: "sesn_lineage", event_id: "evt_7" }],
      },
    ],
    sessions: [{ session_id: "sesn_lineage", content_sha256: "a".repeat(64), dream_id: "drm_lineage" }],
  };
}

/**
 * Lineage: the engine keeps each fact's observation time, key and source beside the memory, and a later dream reads
 * them back to date facts by when they were observed, not when the file was written. Every adapter must store it
 * unchanged, return copies of it, keep it when a write gives none, and clear it when a write gives `null`.
 */
export function lineageTests(h: Harness): void {
  const { describe, expect, it } = h.runner;
  describe("memory lineage", () => {
    it("round-trips lineage through create, get by id and path, and list", async () => {
      const store = await newStore(h.adapter);
      const lineage = sampleLineage();
      const memory = await h.adapter.createMemory(store.id, {
        path: "/profile.md",
        content: "- User lives in Lisbon.\n",
        lineage,
      });
      expect(memory.lineage).toEqual(lineage);
      expect((await h.adapter.getMemory(store.id, memory.id))?.lineage).toEqual(lineage);
      expect((await h.adapter.getMemoryByPath(store.id, "/profile.md"))?.lineage).toEqual(lineage);
      expect((await h.adapter.listMemories(store.id)).data[0]?.lineage).toEqual(lineage);
    });

    it("gives a memory without lineage none (null or absent)", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, { path: "/plain.md", content: "hand written" });
      expect(memory.lineage ?? null).toBeNull();
      expect((await h.adapter.getMemoryByPath(store.id, "/plain.md"))?.lineage ?? null).toBeNull();
    });

    it("returns copies: changing returned lineage changes nothing stored", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, {
        path: "/copy.md",
        content: "x",
        lineage: sampleLineage(),
      });
      const first = memory.lineage?.facts[0];
      if (first) first.observed_at = "2030-01-01T00:00:00.000Z";
      const read = await h.adapter.getMemoryByPath(store.id, "/copy.md");
      expect(read?.lineage?.facts[0]?.observed_at).toBe("2026-02-03T04:05:06.000Z");
    });

    it("keeps lineage on an update that gives none, replaces it when given, clears it on null", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, {
        path: "/u.md",
        content: "one",
        lineage: sampleLineage(),
      });
      const kept = await h.adapter.updateMemory(store.id, memory.id, { content: "two" });
      expect(kept.lineage).toEqual(sampleLineage());
      const replaced = await h.adapter.updateMemory(store.id, memory.id, { lineage: sampleLineage("Other line.") });
      expect(replaced.lineage?.facts[0]?.line).toBe("Other line.");
      expect((await h.adapter.getMemory(store.id, memory.id))?.lineage?.facts[0]?.line).toBe("Other line.");
      const cleared = await h.adapter.updateMemory(store.id, memory.id, { lineage: null });
      expect(cleared.lineage ?? null).toBeNull();
      expect((await h.adapter.getMemory(store.id, memory.id))?.lineage ?? null).toBeNull();
    });

    it("writes lineage in a batch, and keeps it on an upsert that gives none", async () => {
      const store = await newStore(h.adapter);
      await h.adapter.writeMemories(store.id, [
        { op: "upsert", path: "/b.md", content: "one", lineage: sampleLineage() },
      ]);
      expect((await h.adapter.getMemoryByPath(store.id, "/b.md"))?.lineage).toEqual(sampleLineage());
      await h.adapter.writeMemories(store.id, [{ op: "upsert", path: "/b.md", content: "two" }]);
      const read = await h.adapter.getMemoryByPath(store.id, "/b.md");
      expect(read?.content).toBe("two");
      expect(read?.lineage).toEqual(sampleLineage());
    });
  });
}
