import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

/** The loopback Redis the global setup starts; override with NOCTURNE_REDIS_URL. */
export const REDIS_URL = process.env.NOCTURNE_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A key prefix no other test uses, so parallel test files never see each other's queues. */
export function uniquePrefix(label: string): string {
  return `t-${label}-${randomBytes(4).toString("hex")}`;
}

/** Deletes every key under a prefix (SCAN, not KEYS, so a shared Redis is not blocked). */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
