import { openRedis, type RunnerConnectionOptions, resolveConnection } from "./runner-options.js";

/**
 * Deletes every Redis key of a deployment — its queues, jobs, events and dream state — by `SCAN` over the prefix,
 * so a shared Redis is never blocked. Destructive: run it only when no worker or client of that prefix is running
 * (tests and benchmarks, or retiring a deployment). Storage is not touched. Returns the number of keys deleted.
 */
export async function purgeDeployment(options: RunnerConnectionOptions): Promise<number> {
  const connection = resolveConnection(options);
  const redis = openRedis(connection);
  let deleted = 0;
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${connection.prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
  return deleted;
}
