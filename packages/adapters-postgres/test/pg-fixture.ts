import { randomBytes } from "node:crypto";
import pg from "pg";
import { createPostgresAdapter, type PostgresAdapter } from "../src/index.js";

/** The loopback test database (trust auth); override with NOCTURNE_PG_URL. */
export const PG_URL = process.env.NOCTURNE_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A schema name no other test file uses. */
export function uniqueSchema(label: string): string {
  return `t_${label}_${randomBytes(4).toString("hex")}`;
}

/** A tenant name no other test uses. */
export function uniqueTenant(): string {
  return `tenant-${randomBytes(4).toString("hex")}`;
}

/** Runs SQL on a short-lived connection (for fixtures and inspection). */
export async function sql<R extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/** Opens adapters on one schema and closes them all at the end. */
export function adapterPool(schema: string) {
  const open: PostgresAdapter[] = [];
  return {
    async open(tenant = uniqueTenant(), maxConnections = 4): Promise<PostgresAdapter> {
      const adapter = await createPostgresAdapter({ connectionString: PG_URL, schema, tenant, maxConnections });
      open.push(adapter);
      return adapter;
    },
    /** Never throws, so the schema is dropped after it whatever happened. */
    async closeAll(): Promise<void> {
      await Promise.allSettled(open.splice(0).map((adapter) => adapter.close()));
    },
  };
}
