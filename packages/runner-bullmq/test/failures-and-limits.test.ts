import {
  type ConsolidationModel,
  createNocturne,
  createTiktokenTokenizer,
  type DreamEvent,
  InMemoryAdapter,
  NocturneError,
  type StorageAdapter,
} from "@nocturne/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  createDistributedNocturne,
  createDreamWorker,
  type DistributedNocturne,
  type DreamWorkerOptions,
} from "../src/index.js";
import { dropPrefix, REDIS_URL, uniquePrefix } from "./redis-fixture.js";
import { seedInputs, storeContents } from "./support/fixtures.js";
import { createRuleModel } from "./support/rule-model.js";

/** Holds one of the fixture's ~430-token sessions but not two, so every session is its own model call. */
const CHUNK_TOKENS = 500;
const tokenizer = createTiktokenTokenizer();
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A client and `workers` worker instances (in this process) on a fresh prefix, closed after the test. */
async function deployment(
  storage: StorageAdapter,
  models: ConsolidationModel[],
  options: Partial<DreamWorkerOptions> = {},
): Promise<DistributedNocturne> {
  const prefix = uniquePrefix("fail");
  const workers = await Promise.all(
    models.map((model) => createDreamWorker({ storage, model, tokenizer, connection: REDIS_URL, prefix, ...options })),
  );
  const client = createDistributedNocturne({ storage, connection: REDIS_URL, prefix, chunkTokens: CHUNK_TOKENS });
  cleanups.push(async () => {
    await client.close();
    await Promise.all(workers.map((worker) => worker.close()));
    await dropPrefix(prefix);
  });
  return client;
}

async function inputsOf(storage: StorageAdapter, sessions: number) {
  const { storeId, sessionIds } = await seedInputs(storage, sessions, 5);
  return [
    { type: "memory_store" as const, memory_store_id: storeId },
    { type: "sessions" as const, session_ids: sessionIds },
  ];
}

async function collect(client: DistributedNocturne, dreamId: string): Promise<DreamEvent[]> {
  const events: DreamEvent[] = [];
  for await (const event of client.dreams.events(dreamId)) events.push(event);
  return events;
}

/** The rule model, but `extract` fails with `error` for the first `times` attempts of each distinct chunk. */
function failingModel(error: () => NocturneError, times: number): ConsolidationModel {
  const base = createRuleModel();
  const seen = new Map<string, number>();
  return {
    ...base,
    async extract(source, context) {
      if (source.type === "transcript") {
        const count = (seen.get(source.chunk.key) ?? 0) + 1;
        seen.set(source.chunk.key, count);
        if (count <= times) {
          context.reportUsage({ input_tokens: 1 });
          throw error();
        }
      }
      return base.extract(source, context);
    },
  };
}

describe("failures", () => {
  it("fails the dream with model_error when a call fails for good, and unlocks the output store", async () => {
    const storage = new InMemoryAdapter();
    const denied = () => new NocturneError("model_auth_failed", "The API key was rejected. Set a valid key.");
    const client = await deployment(storage, [failingModel(denied, Number.POSITIVE_INFINITY)], {
      retry: { retries: 3, baseDelayMs: 10 },
    });
    const dream = await client.dreams.create({ inputs: await inputsOf(storage, 4) });
    const ended = await client.dreams.wait(dream.id);
    expect(ended.status).toBe("failed");
    expect(ended.error?.type).toBe("model_error");
    expect(ended.error?.message).toContain("model_auth_failed");
    expect(ended.usage.input_tokens).toBeGreaterThanOrEqual(1);
    const events = await collect(client, dream.id);
    expect(events.filter((event) => event.type === "error")).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: "status", status: "failed" });
    const outputId = ended.outputs[0]?.memory_store_id ?? "";
    await expect(storage.deleteMemoryStore(outputId)).resolves.toBeUndefined();
    await expect(client.dreams.cancel(dream.id)).rejects.toMatchObject({ code: "dream_not_cancelable" });
  });

  it("fails the dream with timeout when its model stalls past the budget, keeping the output store and the usage", async () => {
    const storage = new InMemoryAdapter();
    const base = createRuleModel();
    const stalling: ConsolidationModel = {
      ...base,
      extract(source, context) {
        if (source.type === "memories") return base.extract(source, context);
        context.reportUsage({ input_tokens: 1 });
        return new Promise(() => undefined);
      },
    };
    const client = await deployment(storage, [stalling]);
    const dream = await client.dreams.create({ inputs: await inputsOf(storage, 2) }, { timeoutMs: 1500 });
    const ended = await client.dreams.wait(dream.id);
    expect(ended.status).toBe("failed");
    expect(ended.error?.type).toBe("timeout");
    expect(ended.usage.input_tokens).toBeGreaterThanOrEqual(1);
    const events = await collect(client, dream.id);
    expect(events.find((event) => event.type === "error")).toMatchObject({ error: { type: "timeout" } });
    expect(events.at(-1)).toMatchObject({ type: "status", status: "failed" });
    const outputId = ended.outputs[0]?.memory_store_id ?? "";
    await expect(storage.deleteMemoryStore(outputId)).resolves.toBeUndefined();
    await expect(client.dreams.create({ inputs: await inputsOf(storage, 1) }, { timeoutMs: 0 })).rejects.toMatchObject({
      code: "invalid_input",
    });
  });

  it("retries retryable model errors as BullMQ attempts and ends with the in-process output store", async () => {
    const storage = new InMemoryAdapter();
    const inputs = await inputsOf(storage, 6);
    const engine = createNocturne({ storage, model: createRuleModel(), tokenizer, chunkTokens: CHUNK_TOKENS });
    const reference = await engine.dreams.wait((await engine.dreams.create({ inputs })).id);
    const overloaded = () => new NocturneError("model_overloaded", "Overloaded; retry later.", { retryable: true });
    const client = await deployment(storage, [failingModel(overloaded, 2)], { retry: { retries: 3, baseDelayMs: 10 } });
    const ended = await client.dreams.wait((await client.dreams.create({ inputs })).id);
    expect(ended.status).toBe("completed");
    expect(await storeContents(storage, ended.outputs[0]?.memory_store_id ?? "")).toEqual(
      await storeContents(storage, reference.outputs[0]?.memory_store_id ?? ""),
    );
    expect(ended.usage.input_tokens).toBe(reference.usage.input_tokens + 2 * 6);
    await engine.close();
  });

  it("fails with input_session_unavailable when an input session changes while the dream runs", async () => {
    const storage = new InMemoryAdapter();
    const inputs = await inputsOf(storage, 8);
    const client = await deployment(storage, [createRuleModel({ latencyMs: 150 })], { modelConcurrency: 2 });
    const dream = await client.dreams.create({ inputs });
    for await (const event of client.dreams.events(dream.id)) if (event.type === "chunk") break;
    const sessionId = inputs[1]?.type === "sessions" ? (inputs[1].session_ids[0] ?? "") : "";
    const session = await storage.getSession(sessionId);
    if (!session) throw new Error("no session");
    await storage.putSession({ ...session, title: "edited while dreaming" });
    const ended = await client.dreams.wait(dream.id);
    expect(ended.status).toBe("failed");
    expect(ended.error?.type).toBe("input_session_unavailable");
  });
});

describe("one global rate limit", () => {
  it("spreads every worker's model calls to at most `max` per window", async () => {
    const storage = new InMemoryAdapter();
    const inputs = await inputsOf(storage, 12);
    const starts: Array<{ worker: number; t: number }> = [];
    const model = (worker: number) =>
      createRuleModel({
        onCall: (_kind, phase) => {
          if (phase === "start") starts.push({ worker, t: Date.now() });
        },
      });
    const limit = { max: 4, durationMs: 500 };
    const client = await deployment(storage, [model(1), model(2)], { rateLimit: limit, modelConcurrency: 8 });
    const ended = await client.dreams.wait((await client.dreams.create({ inputs })).id);
    expect(ended.status).toBe("completed");

    const times = starts.map((start) => start.t).sort((a, b) => a - b);
    const windows = Math.ceil(times.length / limit.max) - 1;
    expect(times.length).toBeGreaterThan(limit.max * 3);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(windows * limit.durationMs - 100);
    for (const t of times) {
      expect(times.filter((other) => other >= t && other < t + limit.durationMs).length).toBeLessThanOrEqual(
        2 * limit.max,
      );
    }
    expect(new Set(starts.map((start) => start.worker))).toEqual(new Set([1, 2]));
  });
});
