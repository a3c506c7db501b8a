import { afterEach, describe, expect, it, vi } from "vitest";
import { NocturneError } from "../../src/index.js";
import { withRetry } from "../../src/internals.js";

afterEach(() => {
  vi.useRealTimers();
});

const overloaded = () => new NocturneError("model_overloaded", "Overloaded", { retryable: true });

/** A call whose first attempt spends `slowStartMs` before its first answer, then is overloaded for `overloadMs`. */
function slowStartThenOverloaded(slowStartMs: number, overloadMs: number) {
  let firstOverload: number | undefined;
  const attempts: number[] = [];
  const attempt = async (n: number) => {
    attempts.push(n);
    if (n === 0) await new Promise((resolve) => setTimeout(resolve, slowStartMs));
    firstOverload ??= Date.now();
    if (Date.now() - firstOverload < overloadMs) throw overloaded();
    return "answered";
  };
  return { attempt, attempts };
}

describe("the overload budget", () => {
  it("counts from the first overload answer, so a slow first attempt (an SDK loading) does not use it up", async () => {
    vi.useFakeTimers();
    const { attempt, attempts } = slowStartThenOverloaded(3_000, 2_500);
    const result = withRetry(attempt, { baseDelayMs: 100, maxDelayMs: 1_000, overloadBudgetMs: 4_000 });
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBe("answered");
    expect(attempts.length).toBeGreaterThan(5);
  });

  it("still gives up once the overload outlasts the budget", async () => {
    vi.useFakeTimers();
    const { attempt } = slowStartThenOverloaded(0, 60_000);
    const result = withRetry(attempt, { baseDelayMs: 100, maxDelayMs: 1_000, overloadBudgetMs: 4_000 });
    const settled = result.catch((error: unknown) => error);
    await vi.runAllTimersAsync();
    const error = await settled;
    expect(NocturneError.isInstance(error, "model_overloaded")).toBe(true);
  });
});
