import { NocturneError } from "@nocturne/core";
import type pg from "pg";
import { LATEST_VERSION, MIGRATIONS, type Migration } from "./migrations.js";
import { toStorageError } from "./pg-errors.js";
import { quoteSchema } from "./sql-names.js";
import { inTransaction } from "./transaction.js";

/** Key for the advisory lock that serialises migrators (any number of processes may start at once). */
const LOCK_NAMESPACE = 0x6e6f6374;

async function lockMigrations(client: pg.PoolClient, schema: string): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [LOCK_NAMESPACE, schema]);
}

async function appliedVersions(client: pg.PoolClient, s: string): Promise<Set<number>> {
  const result = await client.query<{ version: number }>(`SELECT version FROM ${s}.nocturne_migrations`);
  return new Set(result.rows.map((row) => row.version));
}

function tooNew(schema: string, versions: Set<number>): NocturneError | null {
  const newest = Math.max(0, ...versions);
  if (newest <= LATEST_VERSION) return null;
  return new NocturneError(
    "storage_error",
    `PostgreSQL schema "${schema}" is at version ${newest}, newer than this @nocturne/adapters-postgres knows (${LATEST_VERSION}). Upgrade the package.`,
    { details: { schema, version: newest, supported: LATEST_VERSION } },
  );
}

/**
 * Brings `schema` up to the latest version: creates it and the `nocturne_migrations` table if needed, then
 * applies each missing migration in its own transaction, recording it in the same transaction. Safe to run
 * from many processes at once (an advisory lock serialises them). Returns the versions it applied.
 */
export async function migrate(pool: pg.Pool, schema = "nocturne"): Promise<number[]> {
  const s = quoteSchema(schema);
  try {
    await inTransaction(pool, async (client) => {
      await lockMigrations(client, schema);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${s}.nocturne_migrations (
           version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
    });
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (await applyOne(pool, schema, s, migration)) applied.push(migration.version);
    }
    return applied;
  } catch (error) {
    throw toStorageError(error, `migrate schema "${schema}"`);
  }
}

async function applyOne(pool: pg.Pool, schema: string, s: string, migration: Migration): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    await lockMigrations(client, schema);
    const versions = await appliedVersions(client, s);
    const problem = tooNew(schema, versions);
    if (problem) throw problem;
    if (versions.has(migration.version)) return false;
    await client.query(migration.sql(s));
    await client.query(`INSERT INTO ${s}.nocturne_migrations (version, name) VALUES ($1, $2)`, [
      migration.version,
      migration.name,
    ]);
    return true;
  });
}

/** The schema's current version (0 when Nocturne's tables are not there yet). */
export async function schemaVersion(pool: pg.Pool, schema = "nocturne"): Promise<number> {
  const s = quoteSchema(schema);
  try {
    const exists = await pool.query<{ found: string | null }>("SELECT to_regclass($1) AS found", [
      `${s}.nocturne_migrations`,
    ]);
    if (exists.rows[0]?.found == null) return 0;
    const result = await pool.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${s}.nocturne_migrations`,
    );
    return result.rows[0]?.version ?? 0;
  } catch (error) {
    throw toStorageError(error, `read the version of schema "${schema}"`);
  }
}

/** Throws unless `schema` is exactly at the version this package expects (for adapters opened with `migrate: false`). */
export async function assertSchemaVersion(pool: pg.Pool, schema = "nocturne"): Promise<void> {
  const version = await schemaVersion(pool, schema);
  if (version === LATEST_VERSION) return;
  const problem = tooNew(schema, new Set([version]));
  if (problem) throw problem;
  throw new NocturneError(
    "storage_error",
    `PostgreSQL schema "${schema}" is at version ${version}; this package needs ${LATEST_VERSION}. Run migrate() (or open the adapter with migrate: true).`,
    { details: { schema, version, required: LATEST_VERSION } },
  );
}
