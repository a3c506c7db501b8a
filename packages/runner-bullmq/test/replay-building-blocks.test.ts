import { InMemoryAdapter, type ModelCallContext, NocturneError } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { callJobId, callKeyOf, type ModelCall } from "../src/model-calls.js";
import { type KnownCall, ReplayModel } from "../src/replay-model.js";
import { replayableWrites } from "../src/replayable-writes.js";

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

describe("replayableWrites", () => {
  it("counts a dream's own earlier writes as done on a replay, and still refuses what another writer changed", async () => {
    const storage = new InMemoryAdapter();
    const store = await storage.createMemoryStore({ name: "out" });
    const writes = replayableWrites(storage);
    const byDream = { actor: { type: "dream_actor" as const, dream_id: "drm_1" } };
    const byOther = { actor: { type: "dream_actor" as const, dream_id: "drm_2" } };
    const [kept, edited, gone] = await storage.writeMemories(store.id, [
      { op: "upsert", path: "/kept.md", content: "one" },
      { op: "upsert", path: "/edited.md", content: "one" },
      { op: "upsert", path: "/gone.md", content: "one" },
    ]);
    if (!kept || !edited || !gone) throw new Error("not written");
    const guard = (memory: { content_sha256: string }) => ({ content_sha256: memory.content_sha256 });

    const created = await writes.createMemory(store.id, { path: "/topic/a.md", content: "one" }, byDream);
    expect(await writes.createMemory(store.id, { path: "/topic/a.md", content: "one" }, byDream)).toEqual(created);
    const modified = await writes.updateMemory(
      store.id,
      kept.id,
      { content: "two", precondition: guard(kept) },
      byDream,
    );
    const again = { content: "two", precondition: guard(kept) };
    expect(await writes.updateMemory(store.id, kept.id, again, byDream)).toEqual(modified);
    await writes.deleteMemory(store.id, gone.id, { precondition: guard(gone), ...byDream });
    await expect(
      writes.deleteMemory(store.id, gone.id, { precondition: guard(gone), ...byDream }),
    ).resolves.toBeUndefined();

    await expect(writes.createMemory(store.id, { path: "/topic/a.md", content: "one" }, byOther)).rejects.toMatchObject(
      {
        code: "memory_path_conflict",
      },
    );
    await expect(
      writes.createMemory(store.id, { path: "/topic/a.md", content: "other" }, byDream),
    ).rejects.toMatchObject({
      code: "memory_path_conflict",
    });
    await expect(writes.updateMemory(store.id, kept.id, again, byOther)).rejects.toMatchObject({
      code: "precondition_failed",
    });
    await storage.updateMemory(store.id, edited.id, { content: "two" });
    await expect(
      writes.updateMemory(store.id, edited.id, { content: "two", precondition: guard(edited) }, byDream),
    ).rejects.toMatchObject({ code: "precondition_failed" });
    await expect(
      writes.deleteMemory(store.id, gone.id, { precondition: guard(gone), ...byOther }),
    ).rejects.toMatchObject({
      code: "memory_not_found",
    });
    await expect(writes.createMemory(store.id, { path: "/topic", content: "x" }, byDream)).rejects.toMatchObject({
      code: "memory_path_conflict",
    });
    expect((await writes.listMemories(store.id)).data.map((memory) => [memory.path, memory.content])).toEqual([
      ["/edited.md", "two"],
      ["/kept.md", "two"],
      ["/topic/a.md", "one"],
    ]);
    expect(writes.name).toBe(storage.name);
  });
});
