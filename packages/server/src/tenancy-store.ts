import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";

/** The kinds of resource a workspace owns. Memories and memory versions belong to their store. */
export type OwnedKind = "memory_store" | "session" | "dream";

/** An API key as the server keeps it: never the key itself, only its SHA-256. */
export interface ApiKeyRecord {
  /** The key's public id (`key_…`), recorded as the `api_actor` of memory writes made with it. */
  id: string;
  workspace: string;
  readOnly: boolean;
  /** Hex SHA-256 of the secret key. */
  sha256: string;
  created_at: string;
}

/** One row of a workspace's index of a kind: the id and its position (the order ids were claimed in). */
export interface OwnedRow {
  id: string;
  seq: number;
}

/**
 * Who may see what: API keys (hashed) and which workspace owns each memory store, session and dream id. The storage
 * adapters stay unaware of workspaces (see docs/server.md). Two implementations: {@link openTenancyStore}, one small
 * SQLite file beside sqlite or fs storage (one server process at a time), and `openPostgresTenancyStore`, tables in
 * the PostgreSQL storage's own schema, shared safely by any number of server processes.
 */
export interface TenancyStore {
  addKey(record: ApiKeyRecord): Promise<void>;
  /** The key with this hash, or null. */
  keyBySha256(sha256: string): Promise<ApiKeyRecord | null>;
  /** Every key, oldest first (hashes included, never the keys). */
  listKeys(): Promise<ApiKeyRecord[]>;
  /** Removes a key by its id: requests with it fail 401 from then on. False when there is no such key. */
  revokeKey(id: string): Promise<boolean>;
  /** Records that `workspace` owns `id`; a second claim of the same id by another workspace is ignored. */
  claim(kind: OwnedKind, id: string, workspace: string): Promise<void>;
  /**
   * Claims `id` for `workspace` only while the workspace owns fewer than `max` ids of that kind, atomically (across
   * every process sharing the store): true when claimed (or already this workspace's), false when at the cap.
   */
  claimUnderCap(kind: OwnedKind, id: string, workspace: string, max: number): Promise<boolean>;
  /** The workspace owning `id` of that kind, or null. */
  ownerOf(kind: OwnedKind, id: string): Promise<string | null>;
  /** A workspace's ids of a kind, in claim order (`descending` for newest first), after position `afterSeq`. */
  owned(
    kind: OwnedKind,
    workspace: string,
    options: { afterSeq?: number; descending?: boolean; limit: number },
  ): Promise<OwnedRow[]>;
  /** How many ids of a kind a workspace owns. */
  count(kind: OwnedKind, workspace: string): Promise<number>;
  /** Forgets an id (its resource was deleted). */
  release(kind: OwnedKind, id: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens (creating if missing) the SQLite tenancy file; `:memory:` for a throwaway one. */
export function openTenancyStore(file: string): TenancyStore {
  if (file !== ":memory:") mkdirSync(dirname(resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.exec(`
    CREATE TABLE IF NOT EXISTS api_keys (
      id TEXT PRIMARY KEY, workspace TEXT NOT NULL, read_only INTEGER NOT NULL,
      sha256 TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS owned (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, id TEXT NOT NULL, workspace TEXT NOT NULL,
      UNIQUE (kind, id));
    CREATE INDEX IF NOT EXISTS owned_by_workspace ON owned (workspace, kind, seq);
  `);
  const toKey = (row: KeyRow | undefined): ApiKeyRecord | null =>
    row === undefined
      ? null
      : {
          id: row.id,
          workspace: row.workspace,
          readOnly: row.read_only === 1,
          sha256: row.sha256,
          created_at: row.created_at,
        };
  const claim = db.prepare("INSERT OR IGNORE INTO owned (kind, id, workspace) VALUES (?, ?, ?)");
  const ownerOf = db.prepare("SELECT workspace FROM owned WHERE kind = ? AND id = ?");
  const countOf = db.prepare("SELECT count(*) AS n FROM owned WHERE workspace = ? AND kind = ?");
  // better-sqlite3 runs a transaction synchronously; `.immediate` takes the write lock first, so processes sharing
  // the file cannot both pass the cap.
  const claimUnderCap = db.transaction((kind: OwnedKind, id: string, workspace: string, max: number): boolean => {
    const owner = ownerOf.get(kind, id) as { workspace: string } | undefined;
    if (owner !== undefined) return owner.workspace === workspace;
    if ((countOf.get(workspace, kind) as { n: number }).n >= max) return false;
    claim.run(kind, id, workspace);
    return true;
  });
  return {
    async addKey(record) {
      db.prepare("INSERT INTO api_keys (id, workspace, read_only, sha256, created_at) VALUES (?, ?, ?, ?, ?)").run(
        record.id,
        record.workspace,
        record.readOnly ? 1 : 0,
        record.sha256,
        record.created_at,
      );
    },
    async keyBySha256(sha256) {
      return toKey(db.prepare("SELECT * FROM api_keys WHERE sha256 = ?").get(sha256) as KeyRow | undefined);
    },
    async listKeys() {
      const rows = db.prepare("SELECT * FROM api_keys ORDER BY created_at, id").all() as KeyRow[];
      return rows.map((row) => toKey(row)).filter((record) => record !== null);
    },
    async revokeKey(id) {
      return db.prepare("DELETE FROM api_keys WHERE id = ?").run(id).changes > 0;
    },
    async claim(kind, id, workspace) {
      claim.run(kind, id, workspace);
    },
    async claimUnderCap(kind, id, workspace, max) {
      return claimUnderCap.immediate(kind, id, workspace, max);
    },
    async ownerOf(kind, id) {
      const row = ownerOf.get(kind, id) as { workspace: string } | undefined;
      return row?.workspace ?? null;
    },
    async owned(kind, workspace, { afterSeq, descending = false, limit }) {
      const order = descending ? "DESC" : "ASC";
      const compare = descending ? "<" : ">";
      return db
        .prepare(
          `SELECT id, seq FROM owned WHERE workspace = ? AND kind = ? AND (? IS NULL OR seq ${compare} ?)
           ORDER BY seq ${order} LIMIT ?`,
        )
        .all(workspace, kind, afterSeq ?? null, afterSeq ?? null, limit) as OwnedRow[];
    },
    async count(kind, workspace) {
      return (countOf.get(workspace, kind) as { n: number }).n;
    },
    async release(kind, id) {
      db.prepare("DELETE FROM owned WHERE kind = ? AND id = ?").run(kind, id);
    },
    async close() {
      db.close();
    },
  };
}

interface KeyRow {
  id: string;
  workspace: string;
  read_only: number;
  sha256: string;
  created_at: string;
}
