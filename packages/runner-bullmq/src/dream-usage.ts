import { addUsage, emptyUsage, type Usage } from "@nocturne/core";
import type { Redis } from "ioredis";
import { dreamKey } from "./redis-keys.js";

/**
 * Token usage of a dream, kept per model-call attempt (`<call key>#<attempt>`) so that a job run twice after a
 * worker died overwrites its own entry instead of counting twice. The dream's usage is the sum.
 */
export class DreamUsage {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Records what one attempt of one call used. */
  async record(dreamId: string, attemptKey: string, usage: Usage): Promise<void> {
    await this.redis.hset(dreamKey(this.prefix, dreamId, "usage"), attemptKey, JSON.stringify(usage));
  }

  /** The dream's usage so far. */
  async total(dreamId: string): Promise<Usage> {
    const entries = await this.redis.hvals(dreamKey(this.prefix, dreamId, "usage"));
    const total = emptyUsage();
    for (const entry of entries) addUsage(total, JSON.parse(entry) as Usage);
    return total;
  }
}
