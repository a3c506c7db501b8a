import { type MemoryActor, type MemoryVersion, type MemoryVersionLog, storageRules } from "@nocturne/core";
import type Database from "better-sqlite3";
import type { SqliteSessionParts } from "./session-parts.js";

interface VersionRow {
  id: string;
  store_id: string;
  memory_id: string;
  operation: MemoryVersion["operation"];
  path: string | null;
  content: string | null;
  content_sha256: string | null;
  content_size_bytes: number | null;
  created_at: string;
  created_by: string | null;
  redacted_at: string | null;
  redacted_by: string | null;
}

const COLUMNS =
  "id, store_id, memory_id, operation, path, content, content_sha256, content_size_bytes, created_at, created_by, redacted_at, redacted_by";

const actorJson = (actor: MemoryActor | null) => (actor === null ? null : JSON.stringify(actor));
const actorOf = (text: string | null) => (text === null ? null : (JSON.parse(text) as MemoryActor));

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
    created_at: row.created_at,
    created_by: actorOf(row.created_by),
    redacted_at: row.redacted_at,
    redacted_by: actorOf(row.redacted_by),
  };
}

/** Inserts the version a write records (none when it changed nothing), inside the write's transaction. */
export function recordVersion(db: Database.Database, version: MemoryVersion | null): void {
  if (version === null) return;
  db.prepare(`INSERT INTO memory_versions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    version.id,
    version.memory_store_id,
    version.memory_id,
    version.operation,
    version.path,
    version.content,
    version.content_sha256,
    version.content_size_bytes,
    version.created_at,
    actorJson(version.created_by),
    version.redacted_at,
    actorJson(version.redacted_by),
  );
}

/**
 * The `memory_versions` table (schema version 4) as a version log. A redaction overwrites the row's path and
 * content; the connection runs with `secure_delete`, so SQLite zeroes the bytes it frees, and the write-ahead log,
 * which still holds earlier page images, is checkpointed and truncated right after.
 */
export function sqliteVersionLog(adapter: SqliteSessionParts): MemoryVersionLog {
  const { db } = adapter;
  const row = (storeId: string, versionId: string) =>
    db.prepare(`SELECT ${COLUMNS} FROM memory_versions WHERE store_id = ? AND id = ?`).get(storeId, versionId) as
      | VersionRow
      | undefined;
  return {
    list: (storeId, options) => {
      const checked = storageRules.checkListVersionsOptions(options);
      return adapter.run("list memory versions", () => {
        if (!db.prepare("SELECT 1 FROM memory_stores WHERE id = ?").get(storeId)) {
          throw storageRules.storeNotFound(storeId);
        }
        const size = storageRules.pageSize(checked.limit);
        const rows = db
          .prepare(
            `SELECT ${COLUMNS} FROM memory_versions
             WHERE store_id = @store AND (@memory IS NULL OR memory_id = @memory) AND (@after IS NULL OR id < @after)
             ORDER BY id DESC LIMIT @limit`,
          )
          .all({
            store: storeId,
            memory: checked.memory_id ?? null,
            after: checked.after ?? null,
            limit: size + 1,
          }) as VersionRow[];
        const data = rows.slice(0, size).map(versionOf);
        const last = data.at(-1);
        return { data, next_cursor: rows.length > size && last !== undefined ? last.id : null };
      });
    },
    get: (storeId, versionId) =>
      adapter.run("read a memory version", () => {
        const found = row(storeId, versionId);
        return found ? versionOf(found) : null;
      }),
    redact: async (storeId, versionId, options) => {
      const { actor } = storageRules.checkWriteOptions(options);
      const redacted = await adapter.write("redact a memory version", () => {
        const found = row(storeId, versionId);
        if (!found) throw storageRules.versionNotFound(storeId, versionId);
        const version = storageRules.redactedVersion(versionOf(found), actor, new Date().toISOString());
        db.prepare(
          `UPDATE memory_versions SET path = NULL, content = NULL, content_sha256 = NULL, content_size_bytes = NULL,
           redacted_at = ?, redacted_by = ? WHERE id = ?`,
        ).run(version.redacted_at, actorJson(version.redacted_by), versionId);
        return version;
      });
      await adapter.run("redact a memory version", () => db.pragma("wal_checkpoint(TRUNCATE)"));
      return redacted;
    },
  };
}
