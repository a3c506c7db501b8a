import { InMemoryAdapter, type ModelCallContext, NocturneError } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { idempotentCreates } from "../src/idempotent-writes.js";
import { callJobId, callKeyOf, type ModelCall } from "../src/model-calls.js";
import { type KnownCall, ReplayModel } from "../src/replay-model.js";

function contextWith(signal: AbortSignal): ModelCallContext {
  return { signal, instructions: "keep it short", reportUsage: () => undefined };
}

const pairs = (id: string) => [{ id, left: { key: "a", statements: ["A"] }, right: { key: "b", statements: ["B"] } }];

function known(dreamId: string, call: ModelCall, outcome: (callKey: string) => KnownCall): [string, KnownCall] {
  const callKey = callKeyOf(call, "keep it short");
  return [callJobId(dreamId, call, callKey), outcome(callKey)];
}

describe("ReplayModel", () => {
  it("answers calls a child already answered, by step key, and rethrows their errors without retry", async () => {
    const answered: ModelCall = { kind: "judge", pairs: pairs("p0") };
    const failed: ModelCall = { kind: "judge", pairs: pairs("p1") };
    const crashed: ModelCall = { kind: "judge", pairs: pairs("p2") };
    const table = new Map([
      known("drm_1", answered, (callKey) => ({ callKey, status: "ok", value: [{ id: "p0", same: true }] })),
      known("drm_1", failed, (callKey) => ({
        callKey,
        status: "error",
        error: { code: "model_auth_failed", message: "bad key", details: {} },
      })),
      known("drm_1", crashed, (callKey) => ({
        callKey,
        status: "failed",
        reason: "job stalled more than allowable limit",
      })),
    ]);
    let suspended = 0;
    const model = new ReplayModel("m", false, "drm_1", table, () => suspended++);
    const context = contextWith(new AbortController().signal);
    await expect(model.judge(pairs("p0"), context)).resolves.toEqual([{ id: "p0", same: true }]);
    const error = await model.judge(pairs("p1"), context).catch((thrown: unknown) => thrown);
    expect(NocturneError.isInstance(error, "model_auth_failed") && !error.retryable).toBe(true);
    await expect(model.judge(pairs("p2"), context)).rejects.toMatchObject({ code: "internal_error" });
    await new Promise((resolve) => setImmediate(resolve));
    expect(suspended).toBe(0);
    expect(model.pending.size).toBe(0);
  });

  it("collects every unanswered call of a stage, suspends once, and releases the waiting pipeline on abort", async () => {
    const controller = new AbortController();
    const model = new ReplayModel("m", false, "drm_2", new Map(), () => controller.abort());
    const context = contextWith(controller.signal);
    const waiting = [model.judge(pairs("a"), context), model.judge(pairs("b"), context), model.synthesize([], context)];
    const settled = Promise.allSettled(waiting);
    await Promise.resolve();
    waiting.push(model.judge(pairs("c"), context));
    const results = await settled;
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(model.pending.size).toBe(4);
    expect([...model.pending.values()].map((pending) => pending.call.kind).sort()).toEqual([
      "judge",
      "judge",
      "judge",
      "synthesize",
    ]);
    await expect(waiting[3]).rejects.toMatchObject({ code: "aborted" });
  });

  it("keys a call by what is asked, so the same question in a replay finds the same job", () => {
    const a = callKeyOf({ kind: "judge", pairs: pairs("x") }, "i");
    expect(callKeyOf({ kind: "judge", pairs: pairs("x") }, "i")).toBe(a);
    expect(callKeyOf({ kind: "judge", pairs: pairs("y") }, "i")).not.toBe(a);
    expect(callKeyOf({ kind: "judge", pairs: pairs("x") }, "other instructions")).not.toBe(a);
    expect(callJobId("drm_9", { kind: "judge", pairs: pairs("x") }, a)).not.toContain(":");
  });
});

describe("idempotentCreates", () => {
  it("makes a repeated create of the same memory a no-op, and still refuses real conflicts", async () => {
    const storage = new InMemoryAdapter();
    const store = await storage.createMemoryStore({ name: "out" });
    const writes = idempotentCreates(storage);
    const first = await writes.createMemory(store.id, { path: "/topic/a.md", content: "one" });
    expect(await writes.createMemory(store.id, { path: "/topic/a.md", content: "one" })).toEqual(first);
    const rewritten = await writes.createMemory(store.id, { path: "/topic/a.md", content: "two" });
    expect(rewritten).toMatchObject({ id: first.id, content: "two" });
    await expect(writes.createMemory(store.id, { path: "/topic", content: "x" })).rejects.toMatchObject({
      code: "memory_path_conflict",
    });
    expect((await writes.listMemories(store.id)).data.map((memory) => memory.path)).toEqual(["/topic/a.md"]);
    expect(writes.name).toBe(storage.name);
  });
});
