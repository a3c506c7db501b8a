import { NocturneError } from "../errors.js";
import { abortedError } from "../util/retry.js";

/** Options for {@link createAdaptiveLimiter}. */
export interface AdaptiveLimiterOptions {
  /** The most calls in flight; the limit starts here. */
  max: number;
  /** The fewest calls in flight the limit may shrink to. Default 1. */
  min?: number;
  /** Which failures mean "slow down". Default: `model_rate_limited` and `model_overloaded`. */
  isRateLimit?: (error: unknown) => boolean;
  /** Longest pause a server's `retry-after` can put on new starts. Default 30 s, the retry policy's longest wait. */
  maxPauseMs?: number;
}

/** A concurrency limit that halves when the provider pushes back and grows back one step at a time. */
export interface AdaptiveLimiter {
  /**
   * Runs `fn` when a slot is free (and no `retry-after` pause is on). A rate-limit failure of `fn` shrinks the
   * limit before the error is rethrown. Aborting `signal` while waiting rejects with `aborted`.
   */
  run<T>(fn: () => Promise<T>, options?: { signal?: AbortSignal }): Promise<T>;
  /**
   * Reports rate limiting seen outside `run`: halves the limit and holds new starts for `retryAfterMs`.
   */
  reportRateLimit(retryAfterMs?: number): void;
  /** The current limit. */
  readonly limit: number;
  /** Calls running now. */
  readonly active: number;
  /** Calls waiting for a slot. */
  readonly pending: number;
}

interface Waiter {
  start: () => void;
  signal: AbortSignal | undefined;
  cancel: () => void;
}

function defaultIsRateLimit(error: unknown): boolean {
  return NocturneError.isInstance(error, "model_rate_limited", "model_overloaded");
}

/**
 * An AIMD limiter: on a 429/529 the limit halves (once per burst: calls that started before the cut do not cut it
 * again) and new starts wait out the server's `retry-after` (at most `maxPauseMs`); after `limit` successes in a row it grows by one,
 * up to `max`. Wrap each attempt, inside the retry loop: `withRetry(() => limiter.run(() => model.extract(…)))`,
 * so a call waiting out its backoff holds no slot.
 */
export function createAdaptiveLimiter(options: AdaptiveLimiterOptions): AdaptiveLimiter {
  const max = Math.max(1, Math.floor(options.max));
  const min = Math.min(max, Math.max(1, Math.floor(options.min ?? 1)));
  const isRateLimit = options.isRateLimit ?? defaultIsRateLimit;
  const maxPause = options.maxPauseMs ?? 30_000;
  let limit = max;
  let active = 0;
  let successes = 0;
  let generation = 0;
  let pausedUntil = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const queue: Waiter[] = [];
  const watched = new WeakSet<AbortSignal>();

  function shrink(retryAfterMs: number | undefined): void {
    limit = Math.max(min, Math.floor(limit / 2));
    successes = 0;
    generation++;
    if (retryAfterMs && retryAfterMs > 0) {
      pausedUntil = Math.max(pausedUntil, Date.now() + Math.min(retryAfterMs, maxPause));
    }
  }

  /** One abort listener per signal, however many calls wait on it: aborting drops them all from the queue. */
  function watch(signal: AbortSignal): void {
    if (watched.has(signal)) return;
    watched.add(signal);
    signal.addEventListener(
      "abort",
      () => {
        watched.delete(signal);
        const dropped = queue.filter((waiter) => waiter.signal === signal);
        for (const waiter of dropped) queue.splice(queue.indexOf(waiter), 1);
        for (const waiter of dropped) waiter.cancel();
      },
      { once: true },
    );
  }

  function drain(): void {
    const wait = pausedUntil - Date.now();
    if (wait > 0) {
      if (timer === undefined && queue.length > 0) {
        timer = setTimeout(() => {
          timer = undefined;
          drain();
        }, wait);
      }
      return;
    }
    while (active < limit && queue.length > 0) queue.shift()?.start();
  }

  return {
    run<T>(fn: () => Promise<T>, runOptions: { signal?: AbortSignal } = {}): Promise<T> {
      const signal = runOptions.signal;
      if (signal?.aborted) return Promise.reject(abortedError(signal));
      return new Promise<T>((resolve, reject) => {
        const waiter: Waiter = {
          signal,
          cancel: () => reject(abortedError(signal)),
          start: () => {
            active++;
            const startedAt = generation;
            Promise.resolve()
              .then(fn)
              .then(
                (value) => {
                  if (++successes >= limit) {
                    limit = Math.min(max, limit + 1);
                    successes = 0;
                  }
                  resolve(value);
                },
                (error: unknown) => {
                  if (isRateLimit(error) && startedAt === generation) {
                    shrink(NocturneError.isInstance(error) ? error.retryAfterMs : undefined);
                  }
                  reject(error);
                },
              )
              .finally(() => {
                active--;
                drain();
              });
          },
        };
        if (signal) watch(signal);
        queue.push(waiter);
        drain();
      });
    },
    reportRateLimit(retryAfterMs?: number): void {
      shrink(retryAfterMs);
      drain();
    },
    get limit() {
      return limit;
    },
    get active() {
      return active;
    },
    get pending() {
      return queue.length;
    },
  };
}
