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
 * Who may see what: API keys (hashed) and which workspace owns each memory store, session and dream id. It lives in
 * one small SQLite file beside the storage (see docs/server.md): the storage adapters stay unaware of workspaces.
 * One server process uses a tenancy file at a time.
 */
export interface TenancyStore {
  addKey(record: ApiKeyRecord): void;
  /** The key with this hash, or null. */
  keyBySha256(sha256: string): ApiKeyRecord | null;
  /** Every key, oldest first (hashes included, never the keys). */
  listKeys(): ApiKeyRecord[];
  /** Removes a key by its id: requests with it fail 401 from then on. False when there is no such key. */
  revokeKey(id: string): boolean;
  /** Records that `workspace` owns `id`; a second claim of the same id by another workspace is ignored. */
  claim(kind: OwnedKind, id: string, workspace: string): void;
  /** The workspace owning `id` of that kind, or null. */
  ownerOf(kind: OwnedKind, id: string): string | null;
  /** A workspace's ids of a kind, in claim order (`descending` for newest first), after position `afterSeq`. */
  owned(
    kind: OwnedKind,
    workspace: string,
    options: { afterSeq?: number; descending?: boolean; limit: number },
  ): OwnedRow[];
  /** How many ids of a kind a workspace owns. */
  count(kind: OwnedKind, workspace: string): number;
  /** Forgets an id (its resource was deleted). */
  release(kind: OwnedKind, id: string): void;
  close(): void;
}

/** Opens (creating if missing) the tenancy file; `:memory:` for a throwaway one. */
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
  return {
    addKey(record) {
      db.prepare("INSERT INTO api_keys (id, workspace, read_only, sha256, created_at) VALUES (?, ?, ?, ?, ?)").run(
        record.id,
        record.workspace,
        record.readOnly ? 1 : 0,
        record.sha256,
        record.created_at,
      );
    },
    keyBySha256(sha256) {
      return toKey(db.prepare("SELECT * FROM api_keys WHERE sha256 = ?").get(sha256) as KeyRow | undefined);
    },
    listKeys() {
      const rows = db.prepare("SELECT * FROM api_keys ORDER BY created_at, id").all() as KeyRow[];
      return rows.map((row) => toKey(row)).filter((record) => record !== null);
    },
    revokeKey(id) {
      return db.prepare("DELETE FROM api_keys WHERE id = ?").run(id).changes > 0;
    },
    claim(kind, id, workspace) {
      db.prepare("INSERT OR IGNORE INTO owned (kind, id, workspace) VALUES (?, ?, ?)").run(kind, id, workspace);
    },
    ownerOf(kind, id) {
      const row = db.prepare("SELECT workspace FROM owned WHERE kind = ? AND id = ?").get(kind, id) as
        | { workspace: string }
        | undefined;
      return row?.workspace ?? null;
    },
    owned(kind, workspace, { afterSeq, descending = false, limit }) {
      const order = descending ? "DESC" : "ASC";
      const compare = descending ? "<" : ">";
      return db
        .prepare(
          `SELECT id, seq FROM owned WHERE workspace = ? AND kind = ? AND (? IS NULL OR seq ${compare} ?)
           ORDER BY seq ${order} LIMIT ?`,
        )
        .all(workspace, kind, afterSeq ?? null, afterSeq ?? null, limit) as OwnedRow[];
    },
    count(kind, workspace) {
      const row = db
        .prepare("SELECT count(*) AS n FROM owned WHERE workspace = ? AND kind = ?")
        .get(workspace, kind) as {
        n: number;
      };
      return row.n;
    },
    release(kind, id) {
      db.prepare("DELETE FROM owned WHERE kind = ? AND id = ?").run(kind, id);
    },
    close() {
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
