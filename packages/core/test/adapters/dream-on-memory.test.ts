import {
  createInMemoryAdapter,
  createNocturne,
  createOfflineConsolidationModel,
  readAllMemories,
} from "@nocturne/core";
import { describe, expect, it } from "vitest";
import {
  assertWholeMarkdown,
  dreamInputs,
  importExampleSessions,
  inputFingerprint,
  loadExampleMemory,
} from "../../../adapters-fs/test/support/example-data.js";

describe("a full dream on the in-memory adapter", () => {
  it("writes whole markdown memories into a new store and leaves the inputs as they were", async () => {
    const storage = createInMemoryAdapter();
    const storeId = await loadExampleMemory(storage);
    const sessionIds = await importExampleSessions(storage);
    const before = await inputFingerprint(storage, storeId, sessionIds);
    const nocturne = createNocturne({ storage, model: createOfflineConsolidationModel() });
    const created = await nocturne.dreams.create({ inputs: dreamInputs(storeId, sessionIds) });
    const dream = await nocturne.dreams.wait(created.id);
    expect(dream.status, JSON.stringify(dream.error)).toBe("completed");
    const outputId = dream.outputs[0]?.memory_store_id ?? "";
    expect(outputId).not.toBe(storeId);
    const written = await readAllMemories(storage, outputId);
    expect(written.length).toBeGreaterThanOrEqual(3);
    assertWholeMarkdown(written);
    expect((await nocturne.dreams.report(dream.id))?.outputs).toHaveLength(written.length);
    expect(await inputFingerprint(storage, storeId, sessionIds)).toBe(before);
    expect((await storage.archiveMemoryStore(outputId)).archived_at).not.toBeNull();
    expect(await nocturne.recover()).toEqual([]);
    await nocturne.close();
  });
});
