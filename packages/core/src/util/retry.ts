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
   * Called once when a call fails for good (not retryable, or out of retries; not when aborted), before the error is
   * thrown: the engine uses it to stop the rest of the dream at once.
   */
  onGiveUp?: (error: NocturneError) => void;
}

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
 * Runs `attempt` until it succeeds, it throws a non-retryable error, or retries run out. Retryable means a
 * `NocturneError` with `retryable: true`; a server's `retryAfterMs` is honoured (capped by `maxDelayMs`).
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryOptions & { signal?: AbortSignal; onRetry?: RetryListener } = {},
): Promise<T> {
  const retries = options.retries ?? 4;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  for (let n = 0; ; n++) {
    if (options.signal?.aborted) throw abortedError(options.signal);
    try {
      return await attempt(n);
    } catch (thrown) {
      const error = toNocturneError(thrown);
      if (options.signal?.aborted) throw abortedError(options.signal);
      if (!error.retryable || n >= retries) {
        options.onGiveUp?.(error);
        throw error;
      }
      const backoff = Math.random() * base * 2 ** n;
      const delayMs = Math.min(max, Math.max(backoff, error.retryAfterMs ?? 0));
      options.onRetry?.({ attempt: n + 1, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }
}
