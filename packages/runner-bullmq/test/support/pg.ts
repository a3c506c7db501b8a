import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { createPostgresAdapter, migrate, type PostgresAdapter } from "@nocturne/adapters-postgres";

/** `pg` as the PostgreSQL adapter resolves it (this package does not depend on it directly). */
const pg = createRequire(new URL("../../../adapters-postgres/package.json", import.meta.url))(
  "pg",
) as typeof import("pg");

/** The loopback test database (trust auth); override with NOCTURNE_PG_URL. */
export const PG_URL = process.env.NOCTURNE_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A migrated schema of its own for one test file, and a way to drop it. */
export async function freshSchema(label: string): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `t_${label}_${randomBytes(4).toString("hex")}`;
  const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
  try {
    await migrate(pool, schema);
  } finally {
    await pool.end();
  }
  return {
    schema,
    async drop() {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

/** Opens the PostgreSQL adapter on a test schema. */
export function openStorage(schema: string, tenant: string): Promise<PostgresAdapter> {
  return createPostgresAdapter({ connectionString: PG_URL, schema, tenant, maxConnections: 4, migrate: false });
}
