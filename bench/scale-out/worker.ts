import { createOfflineConsolidationModel } from "@nocturne/core";
import { createPostgresAdapter } from "../../packages/adapters-postgres/src/index.js";
import { createDreamWorker, type ModelRateLimit } from "../../packages/runner-bullmq/src/index.js";
import { withLatency } from "./latency-model.js";

/** What a benchmark worker process is told, as JSON in its first argument. */
export interface BenchWorkerConfig {
  pgUrl: string;
  schema: string;
  redisUrl: string;
  prefix: string;
  latencyMs: number;
  modelConcurrency: number;
  rateLimit?: ModelRateLimit;
}

const config = JSON.parse(process.argv[2] ?? "{}") as BenchWorkerConfig;
const storage = await createPostgresAdapter({
  connectionString: config.pgUrl,
  schema: config.schema,
  maxConnections: 4,
  migrate: false,
});
const model = withLatency(createOfflineConsolidationModel(), config.latencyMs);
const worker = await createDreamWorker({
  storage,
  model,
  connection: config.redisUrl,
  prefix: config.prefix,
  modelConcurrency: config.modelConcurrency,
  rateLimit: config.rateLimit,
  onError: (error) => console.error(`[bench worker ${process.pid}] ${error.message}`),
});
process.on("SIGTERM", () => {
  void worker
    .close()
    .then(() => storage.close())
    .then(() => {
      process.stdout.write(`calls ${model.calls}\n`);
      process.exit(0);
    });
});
process.stdout.write("ready\n");
