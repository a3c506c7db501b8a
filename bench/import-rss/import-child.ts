// Stores one transcript file as a session (storeTranscriptFile) on one adapter and prints the event count, the
// time taken and this process's peak RSS as JSON. Usage: import-child.ts <file> <fs|sqlite|postgres> <scratch dir>
import { join } from "node:path";
import { createFsAdapter } from "@nocturne/adapters-fs";
import { createPostgresAdapter } from "@nocturne/adapters-postgres";
import { createSqliteAdapter } from "@nocturne/adapters-sqlite";
import { type StorageAdapter, storeTranscriptFile } from "@nocturne/core";
import pg from "pg";

const [file = "", kind = "fs", scratch = ""] = process.argv.slice(2);
const PG_URL = process.env.NOCTURNE_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `bench_import_${process.pid}`;

async function open(): Promise<StorageAdapter> {
  if (kind === "fs") return createFsAdapter({ root: join(scratch, "fs") });
  if (kind === "sqlite") return createSqliteAdapter({ file: join(scratch, "nocturne.db") });
  if (kind === "postgres") return createPostgresAdapter({ connectionString: PG_URL, schema });
  throw new Error(`unknown storage ${kind} (fs, sqlite or postgres)`);
}

const storage = await open();
try {
  const started = performance.now();
  const { session } = await storeTranscriptFile(storage, file);
  const ms = performance.now() - started;
  console.log(
    JSON.stringify({
      events: session.event_count,
      ms: Math.round(ms),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
} finally {
  await storage.close?.();
  if (kind === "postgres") {
    const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => pool.end());
  }
}
