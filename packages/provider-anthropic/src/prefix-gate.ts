import { abortedError } from "@nocturne/core/internals";

/**
 * Sends the first call of each cacheable prompt prefix alone. A provider writes a prefix into its prompt cache only
 * once a call carrying it has been answered, so calls sent together before that each pay for a cache write (1.25×
 * the input price at Anthropic) and read nothing. The gate holds later calls with the same prefix until the first
 * has been answered, then lets them all go; the prefix counts as warm until `ttlMs` passes without a call using it.
 */
export interface PrefixGate {
  /**
   * Runs `call` for a prefix `key`: at once when the prefix is warm, else alone (the first call) or after the call
   * in front of it has been answered; when that call fails, the next one waiting goes alone instead. Waiting ends
   * with `aborted` when `signal` fires.
   */
  run<T>(key: string, call: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/** Prefixes remembered before expired ones are forgotten (each dream's instructions make a prefix of their own). */
const MAX_REMEMBERED = 64;

/** A gate whose prefixes stay warm for `ttlMs` after their last answered call; `now` is for tests. */
export function createPrefixGate(ttlMs: number, now: () => number = Date.now): PrefixGate {
  const lastUse = new Map<string, number>();
  const leading = new Map<string, Promise<void>>();
  const isWarm = (key: string) => {
    const last = lastUse.get(key);
    return last !== undefined && now() - last < ttlMs;
  };
  const used = (key: string) => {
    lastUse.set(key, now());
    if (lastUse.size <= MAX_REMEMBERED) return;
    for (const [other] of lastUse) if (!isWarm(other)) lastUse.delete(other);
  };

  return {
    async run(key, call, signal) {
      for (;;) {
        if (isWarm(key)) {
          const result = await call();
          used(key);
          return result;
        }
        const ahead = leading.get(key);
        if (ahead === undefined) break;
        await waitFor(ahead, signal);
      }
      let release = () => {};
      leading.set(key, new Promise<void>((resolve) => (release = resolve)));
      try {
        const result = await call();
        used(key);
        return result;
      } finally {
        leading.delete(key);
        release();
      }
    },
  };
}

function waitFor(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortedError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortedError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
