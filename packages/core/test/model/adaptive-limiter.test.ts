import { getEventListeners } from "node:events";
import { NocturneError } from "@nocturne/core";
import { createAdaptiveLimiter } from "@nocturne/core/internals";
import { afterEach, describe, expect, it, vi } from "vitest";

/** A task the test finishes by hand. */
function deferred<T = string>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const rateLimited = (retryAfterMs?: number) =>
  new NocturneError("model_rate_limited", "429", { retryable: true, ...(retryAfterMs ? { retryAfterMs } : {}) });

async function settle() {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

afterEach(() => {
  vi.useRealTimers();
});

describe("createAdaptiveLimiter", () => {
  it("never runs more than the limit at once and runs everything", async () => {
    const limiter = createAdaptiveLimiter({ max: 3 });
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        limiter.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await settle();
          running--;
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(peak).toBe(3);
    expect(limiter.active).toBe(0);
  });

  it("halves once per burst of rate limits, not once per failed call", async () => {
    const limiter = createAdaptiveLimiter({ max: 8, min: 2 });
    const tasks = Array.from({ length: 8 }, () => deferred());
    const runs = tasks.map((task) => limiter.run(() => task.promise).catch((error: unknown) => error));
    await settle();
    expect(limiter.active).toBe(8);
    for (const task of tasks.slice(0, 4)) task.reject(rateLimited());
    await settle();
    expect(limiter.limit).toBe(4);
    tasks[4]?.resolve("ok");
    tasks[5]?.resolve("ok");
    await settle();
    expect(limiter.active).toBe(2);
    const later = deferred();
    const laterRun = limiter.run(() => later.promise).catch((error: unknown) => error);
    await settle();
    expect(limiter.active).toBe(3);
    later.reject(new NocturneError("model_overloaded", "529", { retryable: true }));
    await settle();
    expect(limiter.limit).toBe(2);
    limiter.reportRateLimit();
    expect(limiter.limit).toBe(2);
    tasks[6]?.resolve("ok");
    tasks[7]?.resolve("ok");
    const outcomes = await Promise.all(runs);
    expect(outcomes.slice(0, 4).every((error) => NocturneError.isInstance(error, "model_rate_limited"))).toBe(true);
    expect(outcomes.slice(4)).toEqual(["ok", "ok", "ok", "ok"]);
    expect(NocturneError.isInstance(await laterRun, "model_overloaded")).toBe(true);
  });

  it("grows back by one after `limit` successes in a row, up to max", async () => {
    const limiter = createAdaptiveLimiter({ max: 4 });
    limiter.reportRateLimit();
    limiter.reportRateLimit();
    expect(limiter.limit).toBe(1);
    await limiter.run(async () => "a");
    expect(limiter.limit).toBe(2);
    await limiter.run(async () => "b");
    expect(limiter.limit).toBe(2);
    await limiter.run(async () => "c");
    expect(limiter.limit).toBe(3);
    for (let i = 0; i < 10; i++) await limiter.run(async () => i);
    expect(limiter.limit).toBe(4);
    await expect(limiter.run(async () => Promise.reject(new Error("other failure")))).rejects.toThrow("other failure");
    expect(limiter.limit).toBe(4);
  });

  it("holds new starts for the server's retry-after", async () => {
    vi.useFakeTimers();
    const limiter = createAdaptiveLimiter({ max: 2 });
    await expect(limiter.run(() => Promise.reject(rateLimited(5000)))).rejects.toMatchObject({
      code: "model_rate_limited",
    });
    let started = false;
    const next = limiter.run(async () => {
      started = true;
      return "after the pause";
    });
    await vi.advanceTimersByTimeAsync(4000);
    expect(started).toBe(false);
    expect(limiter.pending).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await next).toBe("after the pause");
  });

  it("lets a waiting call be aborted without running it", async () => {
    const limiter = createAdaptiveLimiter({ max: 1 });
    const blocker = deferred();
    const first = limiter.run(() => blocker.promise);
    const controller = new AbortController();
    let ran = false;
    const waiting = limiter.run(
      async () => {
        ran = true;
      },
      { signal: controller.signal },
    );
    const alsoWaiting = limiter.run(async () => 2, { signal: controller.signal });
    expect(limiter.pending).toBe(2);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort();
    await expect(alsoWaiting).rejects.toMatchObject({ code: "aborted" });
    await expect(waiting).rejects.toMatchObject({ code: "aborted" });
    expect(limiter.pending).toBe(0);
    blocker.resolve("done");
    expect(await first).toBe("done");
    expect(ran).toBe(false);
    await expect(limiter.run(async () => 1, { signal: controller.signal })).rejects.toMatchObject({ code: "aborted" });
  });
});
