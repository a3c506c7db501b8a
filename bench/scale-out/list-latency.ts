import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { createPostgresAdapter } from "../../packages/adapters-postgres/src/index.js";

const pg = createRequire(new URL("../../packages/adapters-postgres/package.json", import.meta.url))(
  "pg",
) as typeof import("pg");

/** One measured query shape at one store size. */
export interface ListLatencyRow {
  memories: number;
  query: string;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  rows: number;
}

const TOPICS = 1000;
const pad = (n: number, width: number) => String(n).padStart(width, "0");
const pathOf = (n: number) => `/topic-${pad(n % TOPICS, 4)}/note-${pad(n, 7)}.md`;

function stats(samples: number[]): { p50Ms: number; p95Ms: number; meanMs: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    p50Ms: round(at(0.5)),
    p95Ms: round(at(0.95)),
    meanMs: round(samples.reduce((a, b) => a + b, 0) / samples.length),
  };
}

/**
 * Grows one store in PostgreSQL to each size (rows made by `generate_series`, 1000 topic folders), then times the
 * adapter's `listMemories` end to end: a first page under one folder, a page deep inside it, a first page of the
 * whole store, and a prefix that matches nothing. Another store of the same size sits in the same table.
 */
export async function benchListByPrefix(pgUrl: string, sizes: number[], samples: number): Promise<ListLatencyRow[]> {
  const schema = `bench_list_${randomBytes(4).toString("hex")}`;
  const adapter = await createPostgresAdapter({ connectionString: pgUrl, schema, maxConnections: 2 });
  const pool = new pg.Pool({ connectionString: pgUrl, max: 1 });
  const rows: ListLatencyRow[] = [];
  try {
    const stores = [
      await adapter.createMemoryStore({ name: "big" }),
      await adapter.createMemoryStore({ name: "neighbour" }),
    ];
    const [big] = stores;
    if (!big) throw new Error("no store");
    let have = 0;
    for (const size of sizes) {
      for (const store of stores) {
        await pool.query(
          `INSERT INTO "${schema}".memories (store_id, path, id, content, content_sha256, content_size_bytes, created_at, updated_at)
           SELECT $1, '/topic-' || lpad((n % ${TOPICS})::text, 4, '0') || '/note-' || lpad(n::text, 7, '0') || '.md',
                  'mem_' || md5($1 || n), c, encode(sha256(convert_to(c, 'UTF8')), 'hex'), octet_length(c), now(), now()
           FROM generate_series($2::int, $3::int) AS n, LATERAL (SELECT repeat('memory text ' || n || ' ', 8) AS c) AS body`,
          [store.id, have + 1, size],
        );
      }
      have = size;
      await pool.query(`VACUUM ANALYZE "${schema}".memories`);
      const deep = pathOf(TOPICS * Math.floor(size / TOPICS / 2) + 42);
      const shapes: Array<[string, { path_prefix?: string; after?: string; limit: number }]> = [
        ["first page under a folder", { path_prefix: "/topic-0042/", limit: 100 }],
        ["page deep in a folder", { path_prefix: "/topic-0042/", after: deep, limit: 100 }],
        ["first page of the store", { limit: 100 }],
        ["prefix with no match", { path_prefix: "/nothing-here/", limit: 100 }],
      ];
      for (const [query, options] of shapes) {
        for (let warm = 0; warm < 20; warm++) await adapter.listMemories(big.id, options);
        const times: number[] = [];
        let count = 0;
        for (let i = 0; i < samples; i++) {
          const started = performance.now();
          count = (await adapter.listMemories(big.id, options)).data.length;
          times.push(performance.now() - started);
        }
        rows.push({ memories: size, query, rows: count, ...stats(times) });
      }
    }
  } finally {
    await adapter.close();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
  return rows;
}
