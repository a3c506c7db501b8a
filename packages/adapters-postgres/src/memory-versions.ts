import { type MemoryActor, type MemoryVersion, type MemoryVersionLog, storageRules } from "@nocturne/core";
import type pg from "pg";
import { inTransaction } from "./transaction.js";

/** A `memory_versions` row as `pg` returns it. */
interface VersionRow {
  store_id: string;
  id: string;
  memory_id: string;
  operation: MemoryVersion["operation"];
  path: string | null;
  content: string | null;
  content_sha256: string | null;
  content_size_bytes: number | null;
  created_at: Date;
  created_by: MemoryActor | null;
  redacted_at: Date | null;
  redacted_by: MemoryActor | null;
}

const COLUMNS =
  "store_id, id, memory_id, operation, path, content, content_sha256, content_size_bytes, created_at, created_by, redacted_at, redacted_by";

/** {@link COLUMNS} of the alias `v`. */
const V_COLUMNS = COLUMNS.split(", ")
  .map((column) => `v.${column}`)
  .join(", ");

function versionOf(row: VersionRow): MemoryVersion {
  return {
    id: row.id,
    type: "memory_version",
    memory_id: row.memory_id,
    memory_store_id: row.store_id,
    operation: row.operation,
    path: row.path,
    content: row.content,
    content_sha256: row.content_sha256,
    content_size_bytes: row.content_size_bytes,
    created_at: row.created_at.toISOString(),
    created_by: row.created_by,
    redacted_at: row.redacted_at?.toISOString() ?? null,
    redacted_by: row.redacted_by,
  };
}

/** Inserts the versions a write records, in one statement inside the write's transaction. */
export async function insertVersions(client: pg.PoolClient, s: string, versions: MemoryVersion[]): Promise<void> {
  if (versions.length === 0) return;
  const column = <K extends keyof MemoryVersion>(key: K) => versions.map((version) => version[key]);
  await client.query(
    `INSERT INTO ${s}.memory_versions (${COLUMNS})
     SELECT store_id, id, memory_id, operation, path, content, content_sha256, content_size_bytes, created_at,
       created_by::json, NULL, NULL
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::integer[],
       $9::timestamptz[], $10::text[])
       AS v(store_id, id, memory_id, operation, path, content, content_sha256, content_size_bytes, created_at, created_by)`,
    [
      column("memory_store_id"),
      column("id"),
      column("memory_id"),
      column("operation"),
      column("path"),
      column("content"),
      column("content_sha256"),
      column("content_size_bytes"),
      column("created_at"),
      versions.map((version) => (version.created_by === null ? null : JSON.stringify(version.created_by))),
    ],
  );
}

/** How the version log reaches the adapter. */
export interface PostgresVersionLog {
  pool: pg.Pool;
  /** The quoted schema. */
  s: string;
  tenant: string;
  /** Runs `work`, turning failures into typed errors. */
  run<T>(action: string, work: () => Promise<T>): Promise<T>;
}

/**
 * The `memory_versions` table (migration 4) as a version log, seen through the tenant's stores. A redaction sets
 * the row's path and content to NULL in one transaction; PostgreSQL keeps the old row version on disk until
 * VACUUM reclaims its space (autovacuum does, or run VACUUM on the table).
 */
export function postgresVersionLog(adapter: PostgresVersionLog): MemoryVersionLog {
  const { pool, s, tenant, run } = adapter;
  const storeExists = async (client: pg.Pool | pg.PoolClient, storeId: string) =>
    ((await client.query(`SELECT 1 FROM ${s}.memory_stores WHERE tenant = $1 AND id = $2`, [tenant, storeId]))
      .rowCount ?? 0) > 0;
  const selectOne = `SELECT ${V_COLUMNS} FROM ${s}.memory_versions v JOIN ${s}.memory_stores st ON st.id = v.store_id
    WHERE st.tenant = $1 AND v.store_id = $2 AND v.id = $3`;
  return {
    list: (storeId, options) => {
      const checked = storageRules.checkListVersionsOptions(options);
      const size = storageRules.pageSize(checked.limit);
      return run("list memory versions", async () => {
        const result = await pool.query<VersionRow>(
          `SELECT ${V_COLUMNS} FROM ${s}.memory_versions v JOIN ${s}.memory_stores st ON st.id = v.store_id
           WHERE st.tenant = $1 AND v.store_id = $2 AND ($3::text IS NULL OR v.memory_id = $3)
             AND ($4::text IS NULL OR v.id < $4)
           ORDER BY v.id DESC LIMIT $5`,
          [tenant, storeId, checked.memory_id ?? null, checked.after ?? null, size + 1],
        );
        if (result.rows.length === 0 && !(await storeExists(pool, storeId))) throw storageRules.storeNotFound(storeId);
        const data = result.rows.slice(0, size).map(versionOf);
        const last = data.at(-1);
        return { data, next_cursor: result.rows.length > size && last !== undefined ? last.id : null };
      });
    },
    get: (storeId, versionId) =>
      run("read a memory version", async () => {
        const row = (await pool.query<VersionRow>(selectOne, [tenant, storeId, versionId])).rows[0];
        return row ? versionOf(row) : null;
      }),
    redact: (storeId, versionId, options) => {
      const { actor } = storageRules.checkWriteOptions(options);
      return run("redact a memory version", () =>
        inTransaction(pool, async (client) => {
          const row = (await client.query<VersionRow>(`${selectOne} FOR UPDATE OF v`, [tenant, storeId, versionId]))
            .rows[0];
          if (!row) throw storageRules.versionNotFound(storeId, versionId);
          const version = storageRules.redactedVersion(versionOf(row), actor, new Date().toISOString());
          if (row.redacted_at !== null) return version;
          await client.query(
            `UPDATE ${s}.memory_versions SET path = NULL, content = NULL, content_sha256 = NULL,
             content_size_bytes = NULL, redacted_at = $3, redacted_by = $4::json WHERE store_id = $1 AND id = $2`,
            [storeId, versionId, version.redacted_at, actor === undefined ? null : JSON.stringify(actor)],
          );
          return version;
        }),
      );
    },
  };
}
