import { runAdapterConformance } from "@nocturne/testing";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPostgresAdapter, migrate } from "../src/index.js";
import { dropSchema, PG_URL, sql, uniqueSchema, uniqueTenant } from "./pg-fixture.js";

const schema = uniqueSchema("conformance");

beforeAll(async () => {
  const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
  await migrate(pool, schema).finally(() => pool.end());
});

afterAll(async () => {
  await dropSchema(schema);
});

/** True when any row of any table in the schema holds `text` (every tenant's rows: the text is unique). */
async function schemaContains(text: string): Promise<boolean> {
  const tables = await sql<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = $1",
    [schema],
  );
  for (const { table_name } of tables) {
    const [found] = await sql<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM "${schema}"."${table_name}" AS t WHERE strpos(t::text, $1) > 0) AS found`,
      [text],
    );
    if (found?.found) return true;
  }
  return false;
}

/** Each test gets a tenant of its own in one migrated schema: empty storage, without a migration per test. */
runAdapterConformance(
  { describe, it, expect, beforeEach, afterEach },
  "postgres",
  () => {
    const tenant = uniqueTenant();
    const open = () =>
      createPostgresAdapter({ connectionString: PG_URL, schema, tenant, maxConnections: 4, migrate: false });
    return open().then((adapter) => ({ adapter, reopen: open, storageContains: schemaContains }));
  },
  { persistent: true, multiProcess: true, memoryVersions: true },
);
