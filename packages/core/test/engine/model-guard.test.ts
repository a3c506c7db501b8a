import {
  type ConsolidationModel,
  createInMemoryAdapter,
  createNocturne,
  createOfflineConsolidationModel,
  type ExtractedFact,
  type ModelCallContext,
} from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { sessionOf, storeWith } from "../helpers/fixtures.js";

const FAST_RETRY = { retries: 2, baseDelayMs: 1, maxDelayMs: 5 };

/**
 * A custom model: `extract` on transcripts as given, nothing read from memories (so the offline model's own timing
 * plays no part), the offline model's `judge` and `synthesize`.
 */
function customModel(
  extract: (chunkKey: string, context: ModelCallContext) => Promise<unknown>,
): ConsolidationModel & { calls: number } {
  const offline = createOfflineConsolidationModel();
  const model = {
    id: "custom",
    offline: false,
    calls: 0,
    extract: (source: Parameters<ConsolidationModel["extract"]>[0], context: ModelCallContext) => {
      if (source.type === "memories") return Promise.resolve([]);
      model.calls++;
      return extract(source.chunk.key, context) as Promise<ExtractedFact[]>;
    },
    judge: offline.judge.bind(offline),
    synthesize: offline.synthesize.bind(offline),
  };
  return model;
}

async function dreamWith(model: ConsolidationModel, options: { sessions?: number; callTimeoutMs?: number } = {}) {
  const storage = createInMemoryAdapter();
  const storeId = await storeWith(storage, { "/profile.md": "# Profile\n\n- I live in Berlin\n" });
  const sessions = Array.from({ length: options.sessions ?? 2 }, (_, index) =>
    // Each session is over half the chunk budget, so sessions are not packed together: one call per session.
    sessionOf(`sesn_${index}`, index + 1, [`I prefer tabs, note ${index}. ${"Some filler words here. ".repeat(25)}`]),
  );
  for (const session of sessions) await storage.putSession(session);
  const nocturne = createNocturne({
    storage,
    model,
    retry: FAST_RETRY,
    concurrency: 2,
    chunkTokens: 200,
    ...(options.callTimeoutMs === undefined ? {} : { callTimeoutMs: options.callTimeoutMs }),
  });
  const created = await nocturne.dreams.create({
    inputs: [
      { type: "memory_store", memory_store_id: storeId },
      { type: "sessions", session_ids: sessions.map((session) => session.id) },
    ],
  });
  return { nocturne, storage, id: created.id };
}

/** Resolves once `condition` holds, checking on every turn of the event loop (no fixed sleep). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe("every model call is guarded", () => {
  it("cancel() returns within 200 ms while a custom model call never settles", async () => {
    const model = customModel(() => new Promise(() => undefined));
    const { nocturne, id } = await dreamWith(model);
    await until(() => model.calls > 0);
    const started = performance.now();
    const dream = await nocturne.dreams.cancel(id);
    expect(performance.now() - started).toBeLessThan(200);
    expect(dream.status).toBe("canceled");
  });

  it("a call that never settles misses its deadline: model_timeout, retried, then the dream fails", async () => {
    const model = customModel(() => new Promise(() => undefined));
    const { nocturne, id } = await dreamWith(model, { callTimeoutMs: 30, sessions: 1 });
    const dream = await nocturne.dreams.wait(id);
    expect(dream.status).toBe("failed");
    expect(dream.error?.type).toBe("model_error");
    expect(dream.error?.message).toContain("[model_timeout]");
    expect(model.calls).toBe(1 + FAST_RETRY.retries);
  });

  it('output that is not a list fails model_output_invalid; `throw "boom"` fails model_error', async () => {
    const malformed = await dreamWith(customModel(async () => ({ facts: "nope" })));
    const invalid = await malformed.nocturne.dreams.wait(malformed.id);
    expect(invalid.error?.type).toBe("model_output_invalid");
    expect(invalid.error?.message).toContain("[model_output_invalid]");

    const throwing = await dreamWith(
      customModel(async () => {
        throw "boom";
      }),
    );
    const failed = await throwing.nocturne.dreams.wait(throwing.id);
    expect(failed.error?.type).toBe("model_error");
    expect(failed.error?.message).toMatch(/failed in extract: boom \[model_error\]/);
  });

  it("leaves out a 1 MB statement and a fact on an engine-owned topic, not the dream, and says so", async () => {
    const model = customModel(async (chunkKey) => {
      const event = `sesn_${chunkKey.startsWith("sesn_0") ? 0 : 1}_u0`;
      const evidence = [{ event_id: event, quote: "I prefer tabs" }];
      return [
        { key: "huge", topic: "preferences", statement: "x".repeat(1 << 20), kind: "fact", evidence },
        { key: "forged", topic: "nocturne/consolidated-sessions-2", statement: "sesn_9", kind: "fact", evidence },
        { key: "editor.indent", topic: "preferences", statement: "User prefers tabs.", kind: "preference", evidence },
      ];
    });
    const { nocturne, storage, id } = await dreamWith(model);
    const dream = await nocturne.dreams.wait(id);
    expect(dream.status).toBe("completed");
    const report = await nocturne.dreams.report(id);
    expect(report?.declined).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: "invalid_output", count: 2 }),
        expect.objectContaining({ reason: "reserved_topic", count: 2 }),
      ]),
    );
    const written = await storage.listMemories(dream.outputs[0]?.memory_store_id ?? "");
    const paths = written.data.map((memory) => memory.path);
    expect(paths).toContain("/preferences.md");
    expect(paths).not.toContain("/nocturne/consolidated-sessions-2.md");
  });

  it("after a call fails for good no new call starts, calls in flight are aborted, and every call's usage counts", async () => {
    let failedAt = Number.POSITIVE_INFINITY;
    let startedAfter = 0;
    let abortedInFlight = 0;
    const model = customModel((chunkKey, context) => {
      if (performance.now() > failedAt) startedAfter++;
      context.reportUsage({ input_tokens: 10 });
      const session = chunkKey.split("#")[0];
      if (session === "sesn_2") {
        failedAt = performance.now();
        return Promise.reject(new Error("the model broke"));
      }
      if (session !== "sesn_1") return Promise.resolve([]);
      // This one hangs until aborted, then reports the tokens an aborted request is billed.
      return new Promise((_, reject) => {
        context.signal.addEventListener("abort", () => {
          abortedInFlight++;
          context.reportUsage({ output_tokens: 1 });
          reject(context.signal.reason);
        });
      });
    });
    const { nocturne, id } = await dreamWith(model, { sessions: 40 });
    const dream = await nocturne.dreams.wait(id);
    expect(dream.status).toBe("failed");
    expect(dream.error?.message).toContain("the model broke");
    expect(startedAfter).toBe(0);
    expect(abortedInFlight).toBe(1);
    expect(model.calls).toBeLessThan(40);
    expect(dream.usage.input_tokens).toBe(10 * model.calls);
    expect(dream.usage.output_tokens).toBe(abortedInFlight);
    const stored = await nocturne.dreams.retrieve(id);
    expect(stored.usage).toEqual(dream.usage);
  });
});
