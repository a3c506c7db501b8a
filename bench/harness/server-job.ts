import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import Anthropic from "@anthropic-ai/sdk";
import { createPostgresAdapter } from "@nocturne/adapters-postgres";
import { createSqliteAdapter } from "@nocturne/adapters-sqlite";
import { createNocturne, type StorageAdapter } from "@nocturne/core";
import { issueApiKey, openTenancyStore, startServer } from "@nocturne/server";
import pg from "pg";
import { DreamJob, type DreamJobResult, ServerLoad } from "./dream-job.js";

/** What a server load job measures. */
export interface ServerLoadResult {
  clients: number;
  dreams: number;
  completed: number;
  /** Requests that failed (any error answer or network failure), with a few of their messages. */
  errors: number;
  errorSamples: string[];
  /** Dreams created but not found completed, failed or canceled at the end, or missing from their workspace's list. */
  lost: number;
  retrieves: number;
  retrieveP50Ms: number;
  retrieveP99Ms: number;
  wallMs: number;
}

const PG_URL = process.env.NOCTURNE_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function transcript(client: number): string {
  const start = Date.now() + 60_000;
  const lines = [`I moved to city number ${client} last week.`, "I prefer tabs over spaces."];
  const events = lines.map((text, index) => ({
    id: `evt_${index}`,
    type: "user.message",
    processed_at: new Date(start + index * 60_000).toISOString(),
    content: [{ type: "text", text }],
  }));
  return JSON.stringify({ data: events });
}

/** Runs `load.clients` SDK clients at once against one server, each creating and polling dreams. */
export async function runServerJob(input: DreamJob): Promise<DreamJobResult> {
  const job = DreamJob.parse(input);
  const load = ServerLoad.parse(job.server);
  const dreamsPerClient = load.dreamsPerClient ?? 1;
  const pollMs = load.pollMs ?? 100;
  const dir = await mkdtemp(join(tmpdir(), "nocturne-bench-server-"));
  const schema = `bench_server_${randomBytes(4).toString("hex")}`;
  const storage: StorageAdapter =
    load.storage === "sqlite"
      ? createSqliteAdapter({ file: join(dir, "nocturne.db") })
      : await createPostgresAdapter({ connectionString: PG_URL, schema, maxConnections: 20 });
  const nocturne = createNocturne({ storage });
  const tenancy = openTenancyStore(join(dir, "tenancy.db"));
  const server = await startServer({
    nocturne,
    tenancy,
    port: 0,
    limits: { requestsPerSecond: 1000, burst: 1000 },
  });
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let completed = 0;
  let lost = 0;
  const created: number[] = [];
  const started = performance.now();
  const attempt = async <T>(call: () => Promise<T>): Promise<T | null> => {
    try {
      return await call();
    } catch (error) {
      errors += 1;
      if (errorSamples.length < 5) errorSamples.push(error instanceof Error ? error.message : String(error));
      return null;
    }
  };
  try {
    await Promise.all(
      Array.from({ length: load.clients }, async (_, index) => {
        const key = (await issueApiKey(tenancy, `bench-${index}`)).key;
        const client = new Anthropic({ apiKey: key, baseURL: server.url, maxRetries: 0, timeout: 120_000 });
        const store = await attempt(() => client.beta.memoryStores.create({ name: `bench ${index}` }));
        if (store === null) return;
        await attempt(() =>
          client.beta.memoryStores.memories.create(store.id, { path: "/profile.md", content: "- I live in Berlin\n" }),
        );
        const session = await attempt(() =>
          client.post<{ id: string }>("/v1/sessions/import", { body: { transcript: transcript(index) } }),
        );
        if (session === null) return;
        const ids: string[] = [];
        for (let n = 0; n < dreamsPerClient; n++) {
          const dream = await attempt(() =>
            client.beta.dreams.create({
              inputs: [
                { type: "memory_store", memory_store_id: store.id },
                { type: "sessions", session_ids: [session.id] },
              ],
              model: "offline",
            }),
          );
          created.push(1);
          if (dream === null) continue;
          ids.push(dream.id);
          let status: string = dream.status;
          const deadline = Date.now() + 5 * 60_000;
          while ((status === "pending" || status === "running") && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, pollMs));
            const at = performance.now();
            const current = await attempt(() => client.beta.dreams.retrieve(dream.id));
            if (current === null) continue;
            latencies.push(performance.now() - at);
            status = current.status;
          }
          if (status === "completed") completed += 1;
          else if (status !== "failed" && status !== "canceled") lost += 1;
        }
        const listed = new Set<string>();
        const all = await attempt(async () => {
          for await (const dream of client.beta.dreams.list({ include_archived: true })) listed.add(dream.id);
          return true;
        });
        if (all !== null) lost += ids.filter((id) => !listed.has(id)).length;
      }),
    );
  } finally {
    await server.close();
    if (load.storage === "postgres") {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
    }
    await rm(dir, { recursive: true, force: true });
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const server_: ServerLoadResult = {
    clients: load.clients,
    dreams: created.length,
    completed,
    errors,
    errorSamples,
    lost,
    retrieves: sorted.length,
    retrieveP50Ms: percentile(sorted, 50),
    retrieveP99Ms: percentile(sorted, 99),
    wallMs: performance.now() - started,
  };
  return {
    job,
    transcriptTokens: 0,
    generateMs: 0,
    runs: [],
    repeat: null,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    server: server_,
  };
}
