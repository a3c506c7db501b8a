import { DREAM_DEFAULTS } from "../defaults.js";
import { NocturneError, toNocturneError } from "../errors.js";

/** How model calls are retried. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 4. */
  retries?: number;
  /** First backoff delay; doubles each retry, with full jitter. Default 500 ms. */
  baseDelayMs?: number;
  /** Longest single wait, including a server's `retry-after`. Default 30 s. */
  maxDelayMs?: number;
  /**
   * How long a call keeps retrying while the provider is overloaded or rate-limiting (`model_overloaded`,
   * `model_rate_limited`), however many retries that takes: bursts of 529s ride out instead of failing the dream.
   * Counted from the call's first overload answer, so time spent before it (waiting for a concurrency slot, loading
   * the provider's SDK) does not use it up. Waits then back off with equal jitter (at least half the exponential
   * delay). Default 4 × `maxDelayMs` (2 minutes with the defaults).
   */
  overloadBudgetMs?: number;
  /**
   * Called once when a call fails for good (not retryable, or out of retries; not when aborted), before the error is
   * thrown: the engine uses it to stop the rest of the dream at once.
   */
  onGiveUp?: (error: NocturneError) => void;
}

/** The retry policy's defaults: 4 retries, 500 ms first delay, 30 s longest wait (and a 2-minute overload budget). */

/** Called before each retry, with the error that caused it and the wait chosen. */
export type RetryListener = (info: { attempt: number; delayMs: number; error: NocturneError }) => void;

/** Waits `ms`, or rejects with `aborted` as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The `aborted` error for a signal, keeping its reason as the cause. */
export function abortedError(signal?: AbortSignal): NocturneError {
  return new NocturneError("aborted", "The operation was canceled.", { cause: signal?.reason });
}

/**
 * Runs `attempt` until it succeeds, it throws a non-retryable error, or retries run out (for overload and rate
 * limits: until the overload budget runs out). Retryable means a `NocturneError` with `retryable: true`; a server's
 * `retryAfterMs` is honoured (capped by `maxDelayMs`).
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryOptions & { signal?: AbortSignal; onRetry?: RetryListener } = {},
): Promise<T> {
  const retries = options.retries ?? DREAM_DEFAULTS.retry.retries;
  const base = options.baseDelayMs ?? DREAM_DEFAULTS.retry.baseDelayMs;
  const max = options.maxDelayMs ?? DREAM_DEFAULTS.retry.maxDelayMs;
  const budget = options.overloadBudgetMs ?? 4 * max;
  let overloadedSince: number | undefined;
  for (let n = 0; ; n++) {
    if (options.signal?.aborted) throw abortedError(options.signal);
    try {
      return await attempt(n);
    } catch (thrown) {
      const error = toNocturneError(thrown);
      if (options.signal?.aborted) throw abortedError(options.signal);
      const overload = error.code === "model_overloaded" || error.code === "model_rate_limited";
      const exponential = Math.min(max, base * 2 ** Math.min(n, 30));
      const backoff = overload ? exponential / 2 + (Math.random() * exponential) / 2 : Math.random() * exponential;
      const delayMs = Math.min(max, Math.max(backoff, error.retryAfterMs ?? 0));
      if (overload) overloadedSince ??= Date.now();
      const withinBudget =
        overloadedSince !== undefined && overload && Date.now() - overloadedSince + delayMs <= budget;
      if (!error.retryable || (n >= retries && !withinBudget)) {
        options.onGiveUp?.(error);
        throw error;
      }
      options.onRetry?.({ attempt: n + 1, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }
}
