import pg from "pg";
import type { ApiKeyRecord, OwnedKind, OwnedRow, TenancyStore } from "./tenancy-store.js";

/** Key space of the advisory locks this store takes for a workspace's cap. */
const LOCK_NAMESPACE = 0x6e6f7465;
/**
 * The lock `@nocturne/adapters-postgres` migrates a schema under (its namespace, and `hashtext(schema)`): taken
 * here too, so creating the tenancy tables never races the storage creating the same schema.
 */
const MIGRATION_LOCK_NAMESPACE = 0x6e6f6374;

/** What {@link openPostgresTenancyStore} needs. */
export interface PostgresTenancyOptions {
  /** The same `postgres://` URL the storage uses. */
  connectionString: string;
  /** The storage's schema (default `nocturne`): the tenancy tables live beside Nocturne's. */
  schema?: string;
  /** Connections kept open at most. Default 4. */
  maxConnections?: number;
}

/**
 * The tenancy store in the PostgreSQL storage's own schema: tables `server_api_keys` and `server_owned`, created
 * on open (under the storage's migration lock, so servers starting together do not race). Any number of server processes may
 * share it: ids are unique per kind (a second claim is ignored), and {@link TenancyStore.claimUnderCap} counts and
 * inserts under a per-workspace advisory lock inside one transaction, so the cap holds across processes.
 */
export async function openPostgresTenancyStore(options: PostgresTenancyOptions): Promise<TenancyStore> {
  const schema = options.schema ?? "nocturne";
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(
      `PostgreSQL schema name ${JSON.stringify(schema)} is invalid: use lower-case letters, digits, '_'.`,
    );
  }
  const s = `"${schema}"`;
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 4 });
  pool.on("error", () => undefined);
  const inTransaction = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  };
  try {
    await inTransaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [MIGRATION_LOCK_NAMESPACE, schema]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${s}.server_api_keys (
        id TEXT PRIMARY KEY, workspace TEXT NOT NULL, read_only BOOLEAN NOT NULL,
        sha256 TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${s}.server_owned (
        seq BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL, workspace TEXT NOT NULL,
        UNIQUE (kind, id))`);
      await client.query(
        `CREATE INDEX IF NOT EXISTS server_owned_by_workspace ON ${s}.server_owned (workspace, kind, seq)`,
      );
    });
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }

  const claimSql = `INSERT INTO ${s}.server_owned (kind, id, workspace) VALUES ($1, $2, $3) ON CONFLICT (kind, id) DO NOTHING`;
  const ownerSql = `SELECT workspace FROM ${s}.server_owned WHERE kind = $1 AND id = $2`;
  const countSql = `SELECT count(*)::int AS n FROM ${s}.server_owned WHERE workspace = $1 AND kind = $2`;
  return {
    async addKey(record) {
      await pool.query(
        `INSERT INTO ${s}.server_api_keys (id, workspace, read_only, sha256, created_at) VALUES ($1, $2, $3, $4, $5)`,
        [record.id, record.workspace, record.readOnly, record.sha256, record.created_at],
      );
    },
    async keyBySha256(sha256) {
      const { rows } = await pool.query<KeyRow>(`SELECT * FROM ${s}.server_api_keys WHERE sha256 = $1`, [sha256]);
      return rows[0] === undefined ? null : toKey(rows[0]);
    },
    async listKeys() {
      const { rows } = await pool.query<KeyRow>(`SELECT * FROM ${s}.server_api_keys ORDER BY created_at, id`);
      return rows.map(toKey);
    },
    async revokeKey(id) {
      const result = await pool.query(`DELETE FROM ${s}.server_api_keys WHERE id = $1`, [id]);
      return (result.rowCount ?? 0) > 0;
    },
    async claim(kind, id, workspace) {
      await pool.query(claimSql, [kind, id, workspace]);
    },
    claimUnderCap(kind, id, workspace, max) {
      return inTransaction(async (client) => {
        // One lock per workspace and kind: concurrent claims of one workspace, on any server, take turns.
        await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [LOCK_NAMESPACE, `${kind}:${workspace}`]);
        const owner = (await client.query<{ workspace: string }>(ownerSql, [kind, id])).rows[0];
        if (owner !== undefined) return owner.workspace === workspace;
        const { n } = (await client.query<{ n: number }>(countSql, [workspace, kind])).rows[0] ?? { n: 0 };
        if (n >= max) return false;
        await client.query(claimSql, [kind, id, workspace]);
        return true;
      });
    },
    async ownerOf(kind, id) {
      return (await pool.query<{ workspace: string }>(ownerSql, [kind, id])).rows[0]?.workspace ?? null;
    },
    async owned(kind: OwnedKind, workspace, { afterSeq, descending = false, limit }): Promise<OwnedRow[]> {
      const order = descending ? "DESC" : "ASC";
      const compare = descending ? "<" : ">";
      const { rows } = await pool.query<{ id: string; seq: string }>(
        `SELECT id, seq FROM ${s}.server_owned WHERE workspace = $1 AND kind = $2
           AND ($3::bigint IS NULL OR seq ${compare} $3::bigint) ORDER BY seq ${order} LIMIT $4`,
        [workspace, kind, afterSeq ?? null, limit],
      );
      return rows.map((row) => ({ id: row.id, seq: Number(row.seq) }));
    },
    async count(kind, workspace) {
      return (await pool.query<{ n: number }>(countSql, [workspace, kind])).rows[0]?.n ?? 0;
    },
    async release(kind, id) {
      await pool.query(`DELETE FROM ${s}.server_owned WHERE kind = $1 AND id = $2`, [kind, id]);
    },
    async close() {
      await pool.end();
    },
  };
}

interface KeyRow {
  id: string;
  workspace: string;
  read_only: boolean;
  sha256: string;
  created_at: string;
}

function toKey(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    workspace: row.workspace,
    readOnly: row.read_only,
    sha256: row.sha256,
    created_at: row.created_at,
  };
}
