import type { Harness } from "./harness.js";
import { newStore } from "./helpers.js";

/** Long enough for any clock an adapter reads (milliseconds or coarser database clocks) to move on. */
const CLOCK_STEP_MS = 20;

const pause = () => new Promise<void>((resolve) => setTimeout(resolve, CLOCK_STEP_MS));

/**
 * Rule: `updated_at` advances on every update. The engine dates what a memory says by its `updated_at` (a fact read
 * from a memory is as new as the memory's last write) and compares it with session times, so an update that keeps
 * the old stamp makes new content look old. Each check waits a few milliseconds between writes so that the clock
 * has moved; `created_at` never changes.
 */
export function timestampTests(h: Harness): void {
  const { describe, expect, it } = h.runner;
  describe("updated_at advances", () => {
    it("on updateMemory, and on a move", async () => {
      const store = await newStore(h.adapter);
      const created = await h.adapter.createMemory(store.id, { path: "/t.md", content: "v1" });
      await pause();
      const updated = await h.adapter.updateMemory(store.id, created.id, { content: "v2" });
      expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(created.updated_at));
      expect(updated.created_at).toBe(created.created_at);
      await pause();
      const moved = await h.adapter.updateMemory(store.id, created.id, { path: "/moved.md" });
      expect(Date.parse(moved.updated_at)).toBeGreaterThan(Date.parse(updated.updated_at));
      expect((await h.adapter.getMemory(store.id, created.id))?.updated_at).toBe(moved.updated_at);
    });

    it("on a batch upsert of an existing path, which keeps created_at", async () => {
      const store = await newStore(h.adapter);
      const created = await h.adapter.createMemory(store.id, { path: "/b.md", content: "v1" });
      await pause();
      const [upserted] = await h.adapter.writeMemories(store.id, [{ op: "upsert", path: "/b.md", content: "v2" }]);
      expect(Date.parse(upserted?.updated_at ?? "")).toBeGreaterThan(Date.parse(created.updated_at));
      expect(upserted?.created_at).toBe(created.created_at);
      expect((await h.adapter.getMemoryByPath(store.id, "/b.md"))?.updated_at).toBe(upserted?.updated_at);
    });

    it("on updateMemoryStore", async () => {
      const store = await h.adapter.createMemoryStore({ name: "before" });
      await pause();
      const renamed = await h.adapter.updateMemoryStore(store.id, { name: "after" });
      expect(Date.parse(renamed.updated_at)).toBeGreaterThan(Date.parse(store.updated_at));
      expect(renamed.created_at).toBe(store.created_at);
      expect((await h.adapter.getMemoryStore(store.id))?.updated_at).toBe(renamed.updated_at);
    });
  });
}
