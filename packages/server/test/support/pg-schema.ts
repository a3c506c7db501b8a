import { randomBytes } from "node:crypto";
import pg from "pg";

/** The loopback test database (trust auth), as the postgres adapter's tests use; override with NOCTURNE_PG_URL. */
export const PG_URL = process.env.NOCTURNE_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A schema name no other test file uses. */
export function uniqueSchema(label: string): string {
  return `t_${label}_${randomBytes(4).toString("hex")}`;
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
