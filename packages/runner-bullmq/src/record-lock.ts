import { randomUUID } from "node:crypto";
import { NocturneError } from "@nocturne/core";
import { sleep } from "@nocturne/core/internals";
import type { Redis } from "ioredis";
import { dreamKey } from "./redis-keys.js";

const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`;
const LEASE_MS = 30_000;

/**
 * Runs `work` while holding the dream's record lock, a Redis lease (`SET NX PX`) released only by its holder.
 * Every read-modify-write of a dream record (progress, cancel, the final status) goes through it, so a cancel
 * and a worker's update can never overwrite each other.
 */
export async function withRecordLock<T>(
  redis: Redis,
  prefix: string,
  dreamId: string,
  work: () => Promise<T>,
): Promise<T> {
  const key = dreamKey(prefix, dreamId, "record-lock");
  const token = randomUUID();
  const deadline = Date.now() + LEASE_MS;
  while ((await redis.set(key, token, "PX", LEASE_MS, "NX")) !== "OK") {
    if (Date.now() > deadline) {
      throw new NocturneError(
        "storage_busy",
        `Dream ${dreamId}'s record stayed locked for ${LEASE_MS / 1000} s. Retry; if it repeats, check the workers.`,
        { retryable: true, details: { dream_id: dreamId } },
      );
    }
    await sleep(10 + Math.random() * 20);
  }
  try {
    return await work();
  } finally {
    await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}
