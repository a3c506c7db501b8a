import type { ModelRateLimit } from "../../src/index.js";

/** What a test worker process is told, as JSON in NOCTURNE_WORKER_CONFIG. */
export interface WorkerProcessConfig {
  pgUrl: string;
  schema: string;
  tenant: string;
  redisUrl: string;
  prefix: string;
  modelConcurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** Default: the worker's (3). */
  maxStalledCount?: number;
  rateLimit?: ModelRateLimit;
  /** Fixed model latency; without it the latency is read from `<prefix>:test:latency` before every call. */
  latencyMs?: number;
  /** Hang for good right after the dream's n-th memory write, having pushed its pid to `hungKey`. */
  hangAfterWrites?: number;
}

/** Redis list where every test worker logs its model calls: `{ pid, call, kind, phase, t }`. */
export const callLogKey = (prefix: string) => `${prefix}:test:calls`;
/** Redis key a test sets to change the model latency of every test worker at once. */
export const latencyKey = (prefix: string) => `${prefix}:test:latency`;
/** Redis list a test worker pushes its pid to when it hangs mid-write (`hangAfterWrites`). */
export const hungKey = (prefix: string) => `${prefix}:test:hung`;
