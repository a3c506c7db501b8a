import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createNocturne, createOfflineConsolidationModel } from "@nocturne/core";
import { createPostgresAdapter } from "../../packages/adapters-postgres/src/index.js";
import {
  createDistributedNocturne,
  type ModelRateLimit,
  purgeDeployment,
} from "../../packages/runner-bullmq/src/index.js";
import { withLatency } from "./latency-model.js";
import { benchListByPrefix, type ListLatencyRow } from "./list-latency.js";
import { seedBenchInputs } from "./sessions.js";
import type { BenchWorkerConfig } from "./worker.js";

/**
 * The scale-out benchmark: wall time of one dream on 1, 2 and 4 BullMQ worker processes (with and without a
 * global model rate limit), next to the in-process engine, and list-by-prefix latency in PostgreSQL as a store
 * grows to a million memories. Not part of `pnpm test`; run it with
 *   npx tsx --conditions=@nocturne/source bench/scale-out/run.ts [flags]
 */

const HERE = fileURLToPath(new URL(".", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PG_URL = process.env.NOCTURNE_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.NOCTURNE_REDIS_URL ?? "redis://127.0.0.1:6379";

interface Args {
  only: Set<string>;
  workers: number[];
  latencyMs: number;
  sessions: number;
  concurrency: number;
  rate: ModelRateLimit | null;
  listSizes: number[];
  samples: number;
  out: string | null;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    only: new Set(["dream", "list"]),
    workers: [1, 2, 4],
    latencyMs: 2000,
    sessions: 100,
    concurrency: 8,
    rate: { max: 6, durationMs: 1000 },
    listSizes: [10_000, 100_000, 1_000_000],
    samples: 200,
    out: null,
  };
  const numbers = (value: string) => value.split(",").map((item) => Number(item.replace(/_/g, "")));
  for (const arg of argv) {
    const [flag, value = ""] = arg.split("=", 2);
    if (flag === "--only") args.only = new Set(value.split(","));
    else if (flag === "--workers") args.workers = numbers(value);
    else if (flag === "--latency-ms") args.latencyMs = Number(value);
    else if (flag === "--sessions") args.sessions = Number(value);
    else if (flag === "--concurrency") args.concurrency = Number(value);
    else if (flag === "--rate") {
      const [max, per] = value.split("/");
      args.rate = value === "none" ? null : { max: Number(max), durationMs: Number(per ?? 1000) };
    } else if (flag === "--list-sizes") args.listSizes = numbers(value);
    else if (flag === "--samples") args.samples = Number(value);
    else if (flag === "--out") args.out = value;
    else if (flag === "--quick") {
      Object.assign(args, { workers: [1, 2], latencyMs: 200, sessions: 20, listSizes: [10_000, 100_000], samples: 50 });
    } else {
      console.log(
        "flags: --only=dream,list --workers=1,2,4 --latency-ms=2000 --sessions=100 --concurrency=8 --rate=6/1000|none\n" +
          "       --list-sizes=10000,100000,1000000 --samples=200 --out=file.json --quick",
      );
      process.exit(arg === "--help" ? 0 : 1);
    }
  }
  return args;
}

interface DreamRow {
  runner: string;
  workers: number;
  rateLimit: string;
  wallSeconds: number;
  status: string;
  chunks: number;
  modelCalls: number;
}

function spawnWorker(config: BenchWorkerConfig): Promise<{ stop(): Promise<number> }> {
  const child = spawn(
    process.execPath,
    ["--conditions=@nocturne/source", "--import", "tsx", `${HERE}worker.ts`, JSON.stringify(config)],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (data: Buffer) => {
      out += data.toString();
      if (out.includes("ready\n") && !out.includes("resolved")) {
        out += "resolved";
        resolve({
          stop: () =>
            new Promise((done) => {
              child.once("exit", () => done(Number(/calls (\d+)/.exec(out)?.[1] ?? 0)));
              child.kill("SIGTERM");
            }),
        });
      }
    });
    child.once("exit", (code) => reject(new Error(`bench worker exited with ${code}`)));
  });
}

/**
 * A chunk budget that holds one of the bench's sessions (about 340 tokens) but not two, so a dream makes one
 * extraction call per session, the fan-out this bench measures; the default budget would pack them into a few calls.
 */
const ONE_SESSION_PER_CHUNK = 500;

async function benchDreams(args: Args): Promise<DreamRow[]> {
  const schema = `bench_scale_${randomBytes(4).toString("hex")}`;
  const storage = await createPostgresAdapter({ connectionString: PG_URL, schema, maxConnections: 4 });
  const rows: DreamRow[] = [];
  try {
    const inputs = await seedBenchInputs(storage, args.sessions);
    const model = withLatency(createOfflineConsolidationModel(), args.latencyMs);
    const engine = createNocturne({
      storage,
      model,
      concurrency: args.concurrency,
      chunkTokens: ONE_SESSION_PER_CHUNK,
    });
    let started = performance.now();
    const local = await engine.dreams.wait((await engine.dreams.create({ inputs })).id);
    const localReport = await engine.dreams.report(local.id);
    rows.push({
      runner: "in-process",
      workers: 1,
      rateLimit: "none",
      wallSeconds: (performance.now() - started) / 1000,
      status: local.status,
      chunks: localReport?.stats.chunks ?? 0,
      modelCalls: model.calls,
    });
    console.error(`in-process: ${rows.at(-1)?.wallSeconds.toFixed(1)} s`);
    const plans = [
      ...args.workers.map((workers) => ({ workers, rate: null as ModelRateLimit | null })),
      ...(args.rate ? args.workers.map((workers) => ({ workers, rate: args.rate })) : []),
    ];
    for (const plan of plans) {
      const prefix = `bench-${randomBytes(4).toString("hex")}`;
      const config: BenchWorkerConfig = {
        pgUrl: PG_URL,
        schema,
        redisUrl: REDIS_URL,
        prefix,
        latencyMs: args.latencyMs,
        modelConcurrency: args.concurrency,
        rateLimit: plan.rate ?? undefined,
      };
      const workers = await Promise.all(Array.from({ length: plan.workers }, () => spawnWorker(config)));
      const client = createDistributedNocturne({
        storage,
        connection: REDIS_URL,
        prefix,
        modelId: model.id,
        chunkTokens: ONE_SESSION_PER_CHUNK,
      });
      started = performance.now();
      const dream = await client.dreams.wait((await client.dreams.create({ inputs })).id);
      const wallSeconds = (performance.now() - started) / 1000;
      const report = await client.dreams.report(dream.id);
      await client.close();
      const calls = await Promise.all(workers.map((worker) => worker.stop()));
      await purgeDeployment({ connection: REDIS_URL, prefix });
      rows.push({
        runner: "bullmq",
        workers: plan.workers,
        rateLimit: plan.rate ? `${plan.rate.max}/${plan.rate.durationMs}ms` : "none",
        wallSeconds,
        status: dream.status,
        chunks: report?.stats.chunks ?? 0,
        modelCalls: calls.reduce((sum, count) => sum + count, 0),
      });
      console.error(`bullmq ${plan.workers} worker(s), limit ${rows.at(-1)?.rateLimit}: ${wallSeconds.toFixed(1)} s`);
    }
    await engine.close();
  } finally {
    await storage.close();
    const pg = createRequire(new URL("../../packages/adapters-postgres/package.json", import.meta.url))(
      "pg",
    ) as typeof import("pg");
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
  return rows;
}

function table(rows: object[]): string {
  if (rows.length === 0) return "";
  const keys = Object.keys(rows[0] as object);
  const cell = (value: unknown) =>
    typeof value === "number" && !Number.isInteger(value) ? value.toFixed(2) : String(value);
  const lines = [keys, ...rows.map((row) => keys.map((key) => cell((row as Record<string, unknown>)[key])))];
  const widths = keys.map((_, i) => Math.max(...lines.map((line) => (line[i] ?? "").length)));
  return lines.map((line) => line.map((value, i) => value.padEnd(widths[i] ?? 0)).join("  ")).join("\n");
}

const args = parseArgs(process.argv.slice(2));
const results: {
  settings: Omit<Args, "only"> & { only: string[] };
  loadavg: number[];
  dreams: DreamRow[];
  list: ListLatencyRow[];
} = {
  settings: { ...args, only: [...args.only] },
  loadavg: loadavg(),
  dreams: [],
  list: [],
};
if (args.only.has("dream")) {
  results.dreams = await benchDreams(args);
  console.log(
    `\nOne ${args.sessions}-session dream, model latency ${args.latencyMs} ms/call, ${args.concurrency} calls per worker:\n`,
  );
  console.log(table(results.dreams));
}
if (args.only.has("list")) {
  results.list = await benchListByPrefix(PG_URL, args.listSizes, args.samples);
  console.log(`\nlistMemories (limit 100) on PostgreSQL, ${args.samples} samples each:\n`);
  console.log(table(results.list));
}
if (args.out) await writeFile(args.out, `${JSON.stringify(results, null, 2)}\n`);
process.exit(0);
