import {
  createInMemoryAdapter,
  createNocturne,
  type InMemoryAdapter,
  type MemoryVersion,
  readAllMemories,
} from "@nocturne/core";
import { createScriptedLanguageModel } from "@nocturne/testing";
import { describe, expect, it } from "vitest";
import { sessionOf, storeWith } from "../helpers/fixtures.js";
import { ruleScript } from "../helpers/rule-script.js";

const ORIGINAL = {
  "/profile.md": "# Profile\n\n- I live in Berlin\n",
  "/preferences/editor.md": "- I prefer tabs\n",
  "/notes/untouched.md": "Unrelated notes.\n",
};

async function setup() {
  const storage = createInMemoryAdapter();
  const storeId = await storeWith(storage, ORIGINAL);
  const sessions = [
    sessionOf("sesn_a", 10, ["Quick note: I prefer tabs, as before."]),
    sessionOf("sesn_b", 20, ["Big news, I moved to Lisbon last week!", "By the way, we use pnpm for packages."]),
  ];
  for (const session of sessions) await storage.putSession(session);
  const inputs = [
    { type: "memory_store" as const, memory_store_id: storeId },
    { type: "sessions" as const, session_ids: sessions.map((session) => session.id) },
  ];
  return { storage, storeId, inputs, update: { type: "update_existing" as const, memory_store_id: storeId } };
}

async function contents(storage: InMemoryAdapter, storeId: string): Promise<Record<string, string>> {
  const memories = await readAllMemories(storage, storeId);
  return Object.fromEntries(memories.map((memory) => [memory.path, memory.content]));
}

async function allVersions(storage: InMemoryAdapter, storeId: string): Promise<MemoryVersion[]> {
  return (await storage.memoryVersions.list(storeId, { limit: 1000 })).data;
}

/** Puts every memory a dream changed back as its versions say it was before: the dream undone. */
async function undo(storage: InMemoryAdapter, storeId: string, dreamId: string): Promise<void> {
  const versions = await allVersions(storage, storeId);
  const byDream = (version: MemoryVersion) =>
    version.created_by?.type === "dream_actor" && version.created_by.dream_id === dreamId;
  const touched = new Set(versions.filter(byDream).map((version) => version.memory_id));
  for (const memoryId of touched) {
    const earlier = versions.find((version) => version.memory_id === memoryId && !byDream(version));
    const now = await storage.getMemory(storeId, memoryId);
    if (!earlier || earlier.operation === "deleted") {
      if (now) await storage.deleteMemory(storeId, memoryId);
    } else if (now) {
      await storage.updateMemory(storeId, memoryId, { path: earlier.path ?? now.path, content: earlier.content ?? "" });
    } else {
      await storage.createMemory(storeId, { path: earlier.path ?? "", content: earlier.content ?? "" });
    }
  }
}

describe("output_behavior update_existing", () => {
  it("writes the result into the input store, as a new store would hold it, every change a version by the dream", async () => {
    const { storage, storeId, inputs, update } = await setup();
    const nocturne = createNocturne({ storage, model: createScriptedLanguageModel({ script: ruleScript }) });
    const fresh = await nocturne.dreams.wait((await nocturne.dreams.create({ inputs })).id);
    expect(fresh.output_behavior).toEqual({ type: "create_new" });
    expect(await contents(storage, storeId)).toEqual(ORIGINAL);

    const created = await nocturne.dreams.create({ inputs, output_behavior: update });
    expect(created.output_behavior).toEqual(update);
    const dream = await nocturne.dreams.wait(created.id);
    expect(dream.status).toBe("completed");
    expect(dream.outputs).toEqual([{ type: "memory_store", memory_store_id: storeId }]);
    const updated = await contents(storage, storeId);
    const expected = await contents(storage, fresh.outputs[0]?.memory_store_id ?? "");
    const userPaths = (record: Record<string, string>) =>
      Object.keys(record).filter((path) => !path.startsWith("/nocturne/"));
    expect(userPaths(updated).sort()).toEqual(userPaths(expected).sort());
    for (const path of userPaths(expected)) expect(updated[path]).toBe(expected[path]);
    expect(updated["/profile.md"]).toContain("Lisbon");
    expect(updated["/notes/untouched.md"]).toBeUndefined();

    const byDream = (await allVersions(storage, storeId)).filter((version) => version.created_at >= dream.created_at);
    expect(byDream.length).toBeGreaterThan(0);
    expect(
      byDream.every(
        (version) => version.created_by?.type === "dream_actor" && version.created_by.dream_id === dream.id,
      ),
    ).toBe(true);
    expect(new Set(byDream.map((version) => version.operation))).toEqual(new Set(["created", "modified", "deleted"]));
    await expect(storage.archiveMemoryStore(storeId)).resolves.toMatchObject({ id: storeId });
  });

  it("can be undone from the memory versions", async () => {
    const { storage, storeId, inputs, update } = await setup();
    const nocturne = createNocturne({ storage, model: createScriptedLanguageModel({ script: ruleScript }) });
    const dream = await nocturne.dreams.wait((await nocturne.dreams.create({ inputs, output_behavior: update })).id);
    expect(await contents(storage, storeId)).not.toEqual(ORIGINAL);
    await undo(storage, storeId, dream.id);
    expect(await contents(storage, storeId)).toEqual(ORIGINAL);
  });

  it("refuses a second update_existing dream on the store until the first fully stopped, with conflict", async () => {
    const { storage, storeId, inputs, update } = await setup();
    const slow = createScriptedLanguageModel({ script: ruleScript, latencyMs: 60_000 });
    const nocturne = createNocturne({ storage, model: slow });
    const first = await nocturne.dreams.create({ inputs, output_behavior: update });
    await expect(nocturne.dreams.create({ inputs, output_behavior: update })).rejects.toMatchObject({
      code: "conflict",
      details: { memory_store_id: storeId, dream_id: first.id },
    });
    const other = createNocturne({ storage, model: slow });
    await expect(other.dreams.create({ inputs, output_behavior: update })).rejects.toMatchObject({
      code: "conflict",
      details: { dream_id: first.id },
    });
    const alongside = await nocturne.dreams.create({ inputs });
    await nocturne.dreams.cancel(alongside.id);
    await expect(storage.archiveMemoryStore(storeId)).rejects.toMatchObject({ code: "memory_store_locked" });

    expect((await nocturne.dreams.cancel(first.id)).status).toBe("canceled");
    const next = await other.dreams.create({ inputs, output_behavior: update });
    expect(next.output_behavior).toEqual(update);
    await other.dreams.cancel(next.id);
    const fast = createNocturne({ storage, model: createScriptedLanguageModel({ script: ruleScript }) });
    const last = await fast.dreams.wait((await fast.dreams.create({ inputs, output_behavior: update })).id);
    expect(last.status).toBe("completed");
  });

  it("only updates the store the dream reads", async () => {
    const { storage, inputs } = await setup();
    const nocturne = createNocturne({ storage, model: createScriptedLanguageModel({ script: ruleScript }) });
    const elsewhere = await storage.createMemoryStore({ name: "elsewhere" });
    await expect(
      nocturne.dreams.create({ inputs, output_behavior: { type: "update_existing", memory_store_id: elsewhere.id } }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    expect((await nocturne.dreams.list()).data).toEqual([]);
  });
});
