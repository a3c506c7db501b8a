import { createPostgresAdapter } from "@nocturne/adapters-postgres";
import { Redis } from "ioredis";
import { createDreamWorker } from "../../src/index.js";
import { afterDreamWrites } from "./pause-writes.js";
import { createRuleModel } from "./rule-model.js";
import { callLogKey, hungKey, latencyKey, type WorkerProcessConfig } from "./worker-config.js";

async function main(): Promise<void> {
  const config = JSON.parse(process.env.NOCTURNE_WORKER_CONFIG ?? "{}") as WorkerProcessConfig;
  const redis = new Redis(config.redisUrl);
  const postgres = await createPostgresAdapter({
    connectionString: config.pgUrl,
    schema: config.schema,
    tenant: config.tenant,
    maxConnections: 4,
    migrate: false,
  });
  let writes = 0;
  const storage = afterDreamWrites(postgres, () => {
    if (++writes !== config.hangAfterWrites) return undefined;
    return redis.rpush(hungKey(config.prefix), String(process.pid)).then(() => new Promise<void>(() => undefined));
  });
  const model = createRuleModel({
    latencyMs: config.latencyMs ?? (async () => Number((await redis.get(latencyKey(config.prefix))) ?? 0)),
    onCall: async (kind, phase, call) => {
      const entry = { pid: process.pid, call, kind, phase, t: Date.now() };
      await redis.rpush(callLogKey(config.prefix), JSON.stringify(entry));
    },
  });
  const worker = await createDreamWorker({
    storage,
    model,
    connection: config.redisUrl,
    prefix: config.prefix,
    modelConcurrency: config.modelConcurrency,
    lockDurationMs: config.lockDurationMs,
    stalledIntervalMs: config.stalledIntervalMs,
    maxStalledCount: config.maxStalledCount,
    rateLimit: config.rateLimit,
    onError: (error) => console.error(`[worker ${process.pid}] ${error.message}`),
  });
  const stop = async () => {
    await worker.close();
    await postgres.close();
    redis.disconnect();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.stdout.write(`ready ${process.pid}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
