/** A token bucket per API key: `burst` requests at once, refilled at `perSecond`. */
export interface RateLimiter {
  /** Takes one request's token; returns 0 when allowed, else the seconds to wait before retrying. */
  take(key: string): number;
}

/** A rate limiter kept in this process's memory. */
export function createRateLimiter(perSecond: number, burst: number, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const time = now();
      const bucket = buckets.get(key) ?? { tokens: burst, at: time };
      bucket.tokens = Math.min(burst, bucket.tokens + ((time - bucket.at) / 1000) * perSecond);
      bucket.at = time;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
    },
  };
}
