import { runAdapterConformance } from "@nocturne/core/testing";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPostgresAdapter, migrate } from "../src/index.js";
import { dropSchema, PG_URL, uniqueSchema, uniqueTenant } from "./pg-fixture.js";

const schema = uniqueSchema("conformance");

beforeAll(async () => {
  const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
  await migrate(pool, schema).finally(() => pool.end());
});

afterAll(async () => {
  await dropSchema(schema);
});

/** Each test gets a tenant of its own in one migrated schema: empty storage, without a migration per test. */
runAdapterConformance(
  { describe, it, expect, beforeEach, afterEach },
  "postgres",
  () => {
    const tenant = uniqueTenant();
    const open = () =>
      createPostgresAdapter({ connectionString: PG_URL, schema, tenant, maxConnections: 4, migrate: false });
    return open().then((adapter) => ({ adapter, reopen: open }));
  },
  { persistent: true, multiProcess: true },
);
