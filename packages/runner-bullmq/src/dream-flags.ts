import type { Redis } from "ioredis";
import { allDreamKeys, dreamKey } from "./redis-keys.js";

/** Small per-dream facts shared by all processes: the cancel flag and the output store, once created. */
export class DreamFlags {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(dreamId: string): string {
    return dreamKey(this.prefix, dreamId, "state");
  }

  async isCanceled(dreamId: string): Promise<boolean> {
    return (await this.redis.hget(this.key(dreamId), "canceled")) === "1";
  }

  async markCanceled(dreamId: string): Promise<void> {
    await this.redis.hset(this.key(dreamId), "canceled", "1");
  }

  async outputStoreId(dreamId: string): Promise<string | null> {
    return this.redis.hget(this.key(dreamId), "output_store_id");
  }

  /** Records the dream's output store unless one was recorded first; returns the one that counts. */
  async claimOutputStore(dreamId: string, storeId: string): Promise<string> {
    const set = await this.redis.hsetnx(this.key(dreamId), "output_store_id", storeId);
    if (set === 1) return storeId;
    return (await this.outputStoreId(dreamId)) ?? storeId;
  }

  /** Lets the dream's Redis state expire `afterMs` from now (events stay readable until then). */
  async expire(dreamId: string, afterMs: number): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const key of allDreamKeys(this.prefix, dreamId)) pipeline.pexpire(key, afterMs);
    await pipeline.exec();
  }
}
