import { randomBytes } from "node:crypto";
import { purgeDeployment } from "../src/index.js";

/** The loopback Redis the global setup starts; override with NOCTURNE_REDIS_URL. */
export const REDIS_URL = process.env.NOCTURNE_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A key prefix no other test uses, so parallel test files never see each other's queues. */
export function uniquePrefix(label: string): string {
  return `t-${label}-${randomBytes(4).toString("hex")}`;
}

/** Deletes every key under a prefix (SCAN, not KEYS, so a shared Redis is not blocked). */
export async function dropPrefix(prefix: string): Promise<void> {
  await purgeDeployment({ connection: REDIS_URL, prefix });
}
