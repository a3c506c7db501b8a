import { dreamConflict } from "@nocturne/core/internals";
import type { Redis } from "ioredis";
import { storeClaimKey } from "./redis-keys.js";

/** How long a claim lasts while its dream is admitted and queued; a client that dies meanwhile frees it after this. */
const ADMIT_MS = 60_000;

/**
 * Takes the claim for `ARGV[1]` when it is free or still held by `ARGV[2]` (a holder found stopped); returns the
 * holder afterwards.
 */
const CLAIM = `
local holder = redis.call("GET", KEYS[1])
if not holder or holder == ARGV[2] then
  redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[3])
  return ARGV[1]
end
return holder
`;
const IF_HELD = (command: string) => `if redis.call("GET", KEYS[1]) == ARGV[1] then return ${command} end return 0`;
const RELEASE = IF_HELD(`redis.call("DEL", KEYS[1])`);
const KEEP = IF_HELD(`redis.call("PERSIST", KEYS[1])`);

/**
 * Which `update_existing` dream updates which store, shared by every client and worker of a deployment: a Redis
 * key per store holding the dream's id (the in-process engine's claim, across processes). Taken at admission with
 * an expiry, kept once the dream is queued, released by whoever sees the dream fully stopped.
 */
export class StoreClaims {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /**
   * Claims `storeId` for `dreamId`, or throws core's `conflict` naming the dream that holds it. A holder that
   * `stopped` says has fully stopped (its job ended or died without releasing) is replaced.
   */
  async claim(storeId: string, dreamId: string, stopped: (holder: string) => Promise<boolean>): Promise<void> {
    const key = storeClaimKey(this.prefix, storeId);
    let stale = "";
    for (;;) {
      const holder = String(await this.redis.eval(CLAIM, 1, key, dreamId, stale, ADMIT_MS));
      if (holder === dreamId) return;
      const admitting = (await this.redis.pttl(key)) > 0;
      if (admitting || holder === stale || !(await stopped(holder))) throw dreamConflict(storeId, holder);
      stale = holder;
    }
  }

  /** Keeps the claim until it is released (the dream is queued: its job releases it when it stops). */
  async keep(storeId: string, dreamId: string): Promise<void> {
    await this.redis.eval(KEEP, 1, storeClaimKey(this.prefix, storeId), dreamId);
  }

  /** Releases the claim if `dreamId` holds it; returns whether it did. */
  async release(storeId: string, dreamId: string): Promise<boolean> {
    return Number(await this.redis.eval(RELEASE, 1, storeClaimKey(this.prefix, storeId), dreamId)) === 1;
  }
}
