import {
  type ConsolidationModel,
  createNocturne,
  createTiktokenTokenizer,
  type Dream,
  type LanguageModel,
  type Memory,
  type NocturneOptions,
  readAllMemories,
  type StorageAdapter,
  sha256,
} from "@nocturne/core";
import { expect } from "vitest";

/** Fast retries for tests: the same policy, with millisecond waits. */
export const FAST_RETRY = { retries: 6, baseDelayMs: 1, maxDelayMs: 5 } as const;

/** One tokenizer shared by every engine a test file starts: loading tiktoken's encoding takes about half a second. */
export const sharedTokenizer = createTiktokenTokenizer();

/** Runs one dream to its end and returns it with its output memories. */
export async function runDream(
  storage: StorageAdapter,
  model: LanguageModel | ConsolidationModel,
  inputs: { storeId: string; sessionIds: string[] },
  options: Partial<NocturneOptions> = {},
): Promise<{ dream: Dream; output: Memory[] }> {
  const engine = createNocturne({ storage, model, retry: FAST_RETRY, tokenizer: sharedTokenizer, ...options });
  const created = await engine.dreams.create({
    inputs: [
      { type: "memory_store", memory_store_id: inputs.storeId },
      { type: "sessions", session_ids: inputs.sessionIds },
    ],
  });
  const dream = await engine.dreams.wait(created.id);
  const outputId = dream.outputs[0]?.memory_store_id;
  const output = outputId ? await readAllMemories(storage, outputId) : [];
  return { dream, output };
}

/**
 * Checks that a dream's output store is in a state a person can rely on, whatever stopped the dream: no longer
 * locked, every memory whole (its hash matches its content, its path valid) and listed in the report.
 */
export async function expectConsistentOutput(storage: StorageAdapter, dream: Dream, output: Memory[]): Promise<void> {
  const outputId = dream.outputs[0]?.memory_store_id;
  if (outputId === undefined) {
    expect(output).toEqual([]);
    return;
  }
  for (const memory of output) {
    expect(memory.content_sha256).toBe(sha256(memory.content));
    expect(memory.content.startsWith("# ")).toBe(true);
    expect(memory.content.endsWith("\n")).toBe(true);
  }
  const record = await storage.getDreamRecord(dream.id);
  const reported = new Map(record?.report?.outputs.map((entry) => [entry.path, entry.contentSha256]) ?? []);
  for (const memory of output) expect(reported.get(memory.path)).toBe(memory.content_sha256);
  await storage.archiveMemoryStore(outputId);
}
