import { NocturneError } from "@nocturne/core";
import { createAdaptiveLimiter, withRetry } from "@nocturne/core/internals";
import { afterEach, describe, expect, it, vi } from "vitest";

const rateLimited = (retryAfterMs: number) =>
  new NocturneError("model_rate_limited", "slow down", { retryable: true, retryAfterMs });

afterEach(() => {
  vi.useRealTimers();
});

describe("a server's retry-after is capped at 30 s, as documented", () => {
  it("withRetry waits at most maxDelayMs (30 s by default) for a retry-after of 45 s", async () => {
    const controller = new AbortController();
    const delays: number[] = [];
    const done = withRetry(() => Promise.reject(rateLimited(45_000)), {
      signal: controller.signal,
      onRetry: ({ delayMs }) => {
        delays.push(delayMs);
        controller.abort();
      },
    }).catch((error: unknown) => error);
    expect(await done).toMatchObject({ code: "aborted" });
    expect(delays).toEqual([30_000]);
  });

  it("the adaptive limiter holds new starts for 30 s, not 45 s", async () => {
    vi.useFakeTimers();
    const limiter = createAdaptiveLimiter({ max: 2 });
    limiter.reportRateLimit(45_000);
    let started = false;
    const run = limiter.run(async () => {
      started = true;
    });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(started).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toBe(true);
    await run;
  });
});
