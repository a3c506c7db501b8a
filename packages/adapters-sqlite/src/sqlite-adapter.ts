import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import {
  type AdapterCapabilities,
  type CreateMemoryInput,
  CreateMemoryStoreInput,
  type Dream,
  type DreamRecord,
  type ListArchivableOptions,
  type ListMemoriesOptions,
  type Memory,
  type MemoryStore,
  type MemoryVersionLog,
  MemoryWrite,
  type MemoryWriteOptions,
  type Page,
  type PageOptions,
  type Precondition,
  type Session,
  type SessionSummary,
  type SessionWriter,
  type StorageAdapter,
  storageRules,
  type UpdateMemoryInput,
  UpdateMemoryStoreInput,
} from "@nocturne/core";
import Database from "better-sqlite3";
import { recordVersion, sqliteVersionLog } from "./memory-versions.js";
import { migrate } from "./migrations.js";
import { prefixEnd } from "./prefix-range.js";
import { dropParts, readParts, sqliteSessionParts } from "./session-parts.js";
import { toStorageError } from "./sqlite-errors.js";

/** Options for {@link createSqliteAdapter}. */
export interface SqliteAdapterOptions {
  /** The database file, created (with its folder) if missing. `:memory:` gives a throwaway database. */
  file: string;
  /** How long a write waits for another connection's lock before failing with `storage_busy`. Default 5 s. */
  busyTimeoutMs?: number;
  /** Open for reading only; every write fails with `storage_permission_denied`. Default false. */
  readonly?: boolean;
  /**
   * `full` (default) flushes every commit to disk; `normal` may lose the last commits on power loss (never on a
   * process crash) and is faster. Both keep every write atomic.
   */
  synchronous?: "full" | "normal";
}

interface StoreRow {
  id: string;
  name: string;
  description: string;
  metadata: string;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  locked_by: string | null;
}

interface MemoryRow {
  id: string;
  store_id: string;
  path: string;
  content: string;
  content_sha256: string;
  content_size_bytes: number;
  created_at: string;
  updated_at: string;
  lineage: string | null;
}

interface DreamRow {
  dream: string;
  report: string | null;
  owner: string | null;
}

const nowIso = () => new Date().toISOString();

function storeOf(row: StoreRow): MemoryStore {
  return {
    id: row.id,
    type: "memory_store",
    name: row.name,
    description: row.description,
    metadata: JSON.parse(row.metadata) as MemoryStore["metadata"],
    created_at: row.created_at,
    updated_at: row.updated_at,
    archived_at: row.archived_at,
  };
}

function memoryOf(row: MemoryRow): Memory {
  return {
    id: row.id,
    memory_store_id: row.store_id,
    path: row.path,
    content: row.content,
    content_sha256: row.content_sha256,
    content_size_bytes: row.content_size_bytes,
    created_at: row.created_at,
    updated_at: row.updated_at,
    lineage: storageRules.parseLineage(row.lineage),
  };
}

/** One page from rows fetched with `LIMIT size + 1`. */
function pageFrom<T>(rows: T[], size: number, keyOf: (row: T) => string): Page<T> {
  const data = rows.slice(0, size);
  const last = data.at(-1);
  return { data, next_cursor: rows.length > size && last !== undefined ? keyOf(last) : null };
}

const MEMORY_COLUMNS =
  "id, store_id, path, content, content_sha256, content_size_bytes, created_at, updated_at, lineage";

/**
 * A StorageAdapter over one SQLite database file (better-sqlite3): stores, memories (with their versions), sessions
 * and dream records in six tables. WAL journaling, `secure_delete`, a busy timeout, versioned migrations, every
 * write in an immediate transaction, and only bound parameters in queries. Several processes may share the file.
 */
export class SqliteAdapter implements StorageAdapter {
  readonly name = "sqlite";
  readonly capabilities: AdapterCapabilities;
  /** Absolute path of the database file (or `:memory:`). */
  readonly file: string;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly writers = new Set<SessionWriter>();
  /** Every memory write's version, in the `memory_versions` table. */
  readonly memoryVersions: MemoryVersionLog;

  constructor(options: SqliteAdapterOptions) {
    const inMemory = options.file === ":memory:";
    this.file = inMemory ? options.file : resolve(options.file);
    this.capabilities = { persistent: !inMemory, multiProcess: !inMemory, memoryVersions: true };
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    try {
      if (!inMemory && !options.readonly) mkdirSync(dirname(this.file), { recursive: true });
      this.db = new Database(this.file, {
        readonly: options.readonly ?? false,
        fileMustExist: options.readonly ?? false,
        timeout: busyTimeoutMs,
      });
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
      if (!options.readonly && !inMemory) this.db.pragma("journal_mode = WAL");
      this.db.pragma(`synchronous = ${options.synchronous === "normal" ? "NORMAL" : "FULL"}`);
      this.db.pragma("foreign_keys = ON");
      this.db.pragma("secure_delete = ON");
      if (!options.readonly) migrate(this.db, this.file);
    } catch (error) {
      throw toStorageError(error, "open the database", this.file);
    }
    this.memoryVersions = sqliteVersionLog({ db: this.db, run: this.run.bind(this), write: this.write.bind(this) });
  }

  // — stores

  async createMemoryStore(input: CreateMemoryStoreInput): Promise<MemoryStore> {
    const fields = storageRules.parseInput(CreateMemoryStoreInput, input, "memory store");
    return this.run("create a memory store", () => {
      const store = storageRules.newMemoryStore(fields);
      this.sql(
        `INSERT INTO memory_stores (id, name, description, metadata, created_at, updated_at, archived_at, locked_by)
         VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)`,
      ).run(
        store.id,
        store.name,
        store.description,
        JSON.stringify(store.metadata),
        store.created_at,
        store.updated_at,
      );
      return store;
    });
  }

  async getMemoryStore(id: string): Promise<MemoryStore | null> {
    return this.run("read a memory store", () => {
      const row = this.storeRow(id);
      return row ? storeOf(row) : null;
    });
  }

  async listMemoryStores(options: ListArchivableOptions = {}): Promise<Page<MemoryStore>> {
    return this.run("list memory stores", () => {
      const size = storageRules.pageSize(options.limit);
      const rows = this.sql(
        `SELECT * FROM memory_stores
         WHERE (@all = 1 OR archived_at IS NULL) AND (@after IS NULL OR id > @after)
         ORDER BY id LIMIT @limit`,
      ).all({ all: options.include_archived ? 1 : 0, after: options.after ?? null, limit: size + 1 }) as StoreRow[];
      return pageFrom(rows.map(storeOf), size, (store) => store.id);
    });
  }

  async updateMemoryStore(id: string, input: UpdateMemoryStoreInput): Promise<MemoryStore> {
    const patch = storageRules.parseInput(UpdateMemoryStoreInput, input, "memory store update");
    return this.write("update a memory store", () => {
      const row = this.requireStore(id);
      const next: StoreRow = {
        ...row,
        name: patch.name ?? row.name,
        description: patch.description ?? row.description,
        metadata: patch.metadata ? JSON.stringify(patch.metadata) : row.metadata,
        updated_at: nowIso(),
      };
      this.sql("UPDATE memory_stores SET name = ?, description = ?, metadata = ?, updated_at = ? WHERE id = ?").run(
        next.name,
        next.description,
        next.metadata,
        next.updated_at,
        id,
      );
      return storeOf(next);
    });
  }

  async archiveMemoryStore(id: string): Promise<MemoryStore> {
    return this.write("archive a memory store", () => {
      const row = this.requireStore(id);
      if (row.locked_by !== null) throw storageRules.storeLocked(id, row.locked_by);
      if (row.archived_at !== null) return storeOf(row);
      const now = nowIso();
      this.sql("UPDATE memory_stores SET archived_at = ?, updated_at = ? WHERE id = ?").run(now, now, id);
      return storeOf({ ...row, archived_at: now, updated_at: now });
    });
  }

  async deleteMemoryStore(id: string): Promise<void> {
    await this.write("delete a memory store", () => {
      const row = this.requireStore(id);
      if (row.locked_by !== null) throw storageRules.storeLocked(id, row.locked_by);
      this.sql("DELETE FROM memory_stores WHERE id = ?").run(id);
    });
  }

  async setMemoryStoreLock(id: string, dreamId: string | null): Promise<void> {
    await this.write("lock a memory store", () => {
      this.requireStore(id);
      this.sql("UPDATE memory_stores SET locked_by = ? WHERE id = ?").run(dreamId, id);
    });
  }

  // — memories

  async createMemory(storeId: string, input: CreateMemoryInput, options?: MemoryWriteOptions): Promise<Memory> {
    const { path, content, lineage } = storageRules.checkCreateMemory(input);
    const { actor } = storageRules.checkWriteOptions(options);
    return this.write("create a memory", () => {
      this.requireWritableStore(storeId);
      if (this.memoryRowByPath(storeId, path)) throw storageRules.pathConflict(storeId, path);
      this.assertNoClash(storeId, path);
      const now = nowIso();
      const memory = storageRules.newMemory(storeId, path, content, now, lineage ?? null);
      this.insertMemory(memory);
      recordVersion(this.db, storageRules.versionOf(null, memory, actor, now));
      return memory;
    });
  }

  async getMemory(storeId: string, memoryId: string): Promise<Memory | null> {
    return this.run("read a memory", () => {
      const row = this.sql(`SELECT ${MEMORY_COLUMNS} FROM memories WHERE id = ? AND store_id = ?`).get(
        memoryId,
        storeId,
      ) as MemoryRow | undefined;
      return row ? memoryOf(row) : null;
    });
  }

  async getMemoryByPath(storeId: string, path: string): Promise<Memory | null> {
    storageRules.checkPath(path);
    return this.run("read a memory", () => {
      const row = this.memoryRowByPath(storeId, path);
      return row ? memoryOf(row) : null;
    });
  }

  async updateMemory(
    storeId: string,
    memoryId: string,
    input: UpdateMemoryInput,
    options?: MemoryWriteOptions,
  ): Promise<Memory> {
    const patch = storageRules.checkUpdateMemory(input);
    const { actor } = storageRules.checkWriteOptions(options);
    return this.write("update a memory", () => {
      this.requireWritableStore(storeId);
      const row = this.sql(`SELECT ${MEMORY_COLUMNS} FROM memories WHERE id = ? AND store_id = ?`).get(
        memoryId,
        storeId,
      ) as MemoryRow | undefined;
      if (!row) throw storageRules.memoryNotFound(storeId, memoryId);
      if (patch.precondition && patch.precondition.content_sha256 !== row.content_sha256) {
        throw storageRules.preconditionFailed(row.path, patch.precondition.content_sha256, row.content_sha256);
      }
      const path = patch.path ?? row.path;
      if (path !== row.path) {
        if (this.memoryRowByPath(storeId, path)) throw storageRules.pathConflict(storeId, path);
        this.assertNoClash(storeId, path, row.id);
      }
      const updated = storageRules.buildMemory({
        ...memoryOf(row),
        path,
        content: patch.content ?? row.content,
        updated_at: nowIso(),
        lineage: storageRules.nextLineage(patch.lineage, storageRules.parseLineage(row.lineage)),
      });
      this.sql(
        `UPDATE memories SET path = ?, content = ?, content_sha256 = ?, content_size_bytes = ?, updated_at = ?,
         lineage = ? WHERE id = ?`,
      ).run(
        path,
        updated.content,
        updated.content_sha256,
        updated.content_size_bytes,
        updated.updated_at,
        storageRules.lineageJson(updated.lineage),
        row.id,
      );
      recordVersion(this.db, storageRules.versionOf(memoryOf(row), updated, actor, updated.updated_at));
      return updated;
    });
  }

  async deleteMemory(
    storeId: string,
    memoryId: string,
    options: { precondition?: Precondition } & MemoryWriteOptions = {},
  ): Promise<void> {
    const { actor } = storageRules.checkWriteOptions({ actor: options.actor });
    await this.write("delete a memory", () => {
      this.requireWritableStore(storeId);
      const row = this.sql(`SELECT ${MEMORY_COLUMNS} FROM memories WHERE id = ? AND store_id = ?`).get(
        memoryId,
        storeId,
      ) as MemoryRow | undefined;
      if (!row) throw storageRules.memoryNotFound(storeId, memoryId);
      if (options.precondition && options.precondition.content_sha256 !== row.content_sha256) {
        throw storageRules.preconditionFailed(row.path, options.precondition.content_sha256, row.content_sha256);
      }
      this.sql("DELETE FROM memories WHERE id = ?").run(memoryId);
      recordVersion(this.db, storageRules.versionOf(memoryOf(row), null, actor, nowIso()));
    });
  }

  async listMemories(storeId: string, options: ListMemoriesOptions = {}): Promise<Page<Memory>> {
    return this.run("list memories", () => {
      if (!this.storeRow(storeId)) throw storageRules.storeNotFound(storeId);
      const size = storageRules.pageSize(options.limit);
      const prefix = options.path_prefix ?? "";
      const rows = this.sql(
        `SELECT ${MEMORY_COLUMNS} FROM memories
         WHERE store_id = @store AND path >= @prefix AND (@end IS NULL OR path < @end)
           AND (@after IS NULL OR path > @after)
         ORDER BY path LIMIT @limit`,
      ).all({
        store: storeId,
        prefix,
        end: prefixEnd(prefix),
        after: options.after ?? null,
        limit: size + 1,
      }) as MemoryRow[];
      return pageFrom(rows.map(memoryOf), size, (memory) => memory.path);
    });
  }

  async writeMemories(storeId: string, writes: MemoryWrite[], options?: MemoryWriteOptions): Promise<Memory[]> {
    const checked = storageRules.parseInput(MemoryWrite.array(), writes, "memory writes");
    const { actor } = storageRules.checkWriteOptions(options);
    return this.write("write memories", () => {
      this.requireWritableStore(storeId);
      const written: Memory[] = [];
      const now = nowIso();
      for (const write of checked) {
        const row = this.memoryRowByPath(storeId, write.path);
        if (write.precondition && write.precondition.content_sha256 !== row?.content_sha256) {
          throw storageRules.preconditionFailed(
            write.path,
            write.precondition.content_sha256,
            row?.content_sha256 ?? null,
          );
        }
        const current = row ? memoryOf(row) : null;
        if (write.op === "delete") {
          if (row) this.sql("DELETE FROM memories WHERE id = ?").run(row.id);
          recordVersion(this.db, storageRules.versionOf(current, null, actor, now));
          continue;
        }
        const memory = storageRules.upsertedMemory(storeId, current, write, now);
        recordVersion(this.db, storageRules.versionOf(current, memory, actor, now));
        if (row) {
          this.sql(
            "UPDATE memories SET content = ?, content_sha256 = ?, content_size_bytes = ?, updated_at = ?, lineage = ? WHERE id = ?",
          ).run(
            memory.content,
            memory.content_sha256,
            memory.content_size_bytes,
            now,
            storageRules.lineageJson(memory.lineage),
            row.id,
          );
          written.push(memory);
          continue;
        }
        this.assertNoClash(storeId, write.path);
        this.insertMemory(memory);
        written.push(memory);
      }
      return written;
    });
  }

  // — sessions

  async putSession(session: Session): Promise<Session> {
    const checked = storageRules.checkSession(session);
    return this.write("store a session", () => {
      const old = this.sql("SELECT parts_key FROM sessions WHERE id = ?").get(checked.id) as
        | { parts_key: string | null }
        | undefined;
      this.sql(
        `INSERT INTO sessions (id, title, created_at, event_count, body, parts_key) VALUES (?, ?, ?, ?, ?, NULL)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, created_at = excluded.created_at,
           event_count = excluded.event_count, body = excluded.body, parts_key = NULL`,
      ).run(checked.id, checked.title, checked.created_at, checked.events.length, JSON.stringify(checked));
      if (old?.parts_key) dropParts(this.db, old.parts_key);
      return checked;
    });
  }

  /**
   * A session written in parts: staged in a temporary table of this connection, copied into `session_parts` at
   * commit in one immediate transaction (see `sqliteSessionParts`).
   */
  async openSessionWriter(): Promise<SessionWriter> {
    const adapter = { db: this.db, run: this.run.bind(this), write: this.write.bind(this) };
    return storageRules.sessionWriter(sqliteSessionParts(adapter), { open: this.writers });
  }

  async getSession(id: string): Promise<Session | null> {
    return this.run("read a session", () =>
      this.db.transaction(() => {
        const row = this.sql("SELECT body, parts_key FROM sessions WHERE id = ?").get(id) as
          | { body: string; parts_key: string | null }
          | undefined;
        if (!row) return null;
        const stored = JSON.parse(row.body) as Session;
        const events = row.parts_key === null ? stored.events : readParts(this.db, row.parts_key);
        return storageRules.sessionOf(stored, events);
      })(),
    );
  }

  async listSessions(options: PageOptions = {}): Promise<Page<SessionSummary>> {
    return this.run("list sessions", () => {
      const size = storageRules.pageSize(options.limit);
      const rows = this.sql(
        "SELECT id, title, created_at, event_count FROM sessions WHERE (@after IS NULL OR id > @after) ORDER BY id LIMIT @limit",
      ).all({ after: options.after ?? null, limit: size + 1 }) as SessionSummary[];
      return pageFrom(rows, size, (summary) => summary.id);
    });
  }

  async deleteSession(id: string): Promise<void> {
    await this.write("delete a session", () => {
      const row = this.sql("DELETE FROM sessions WHERE id = ? RETURNING parts_key").get(id) as
        | { parts_key: string | null }
        | undefined;
      if (!row) throw storageRules.sessionNotFound(id);
      if (row.parts_key) dropParts(this.db, row.parts_key);
    });
  }

  // — dreams

  async putDreamRecord(record: DreamRecord): Promise<void> {
    storageRules.checkDreamRecord(record);
    await this.write("store a dream record", () => {
      this.sql(
        `INSERT INTO dreams (id, archived_at, dream, report, owner) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET archived_at = excluded.archived_at, dream = excluded.dream,
           report = excluded.report, owner = excluded.owner`,
      ).run(
        record.dream.id,
        record.dream.archived_at,
        JSON.stringify(record.dream),
        record.report === null ? null : JSON.stringify(record.report),
        record.owner ? JSON.stringify(record.owner) : null,
      );
    });
  }

  async getDreamRecord(id: string): Promise<DreamRecord | null> {
    return this.run("read a dream record", () => {
      const row = this.sql("SELECT dream, report, owner FROM dreams WHERE id = ?").get(id) as DreamRow | undefined;
      if (!row) return null;
      return {
        dream: JSON.parse(row.dream) as Dream,
        report: row.report === null ? null : (JSON.parse(row.report) as DreamRecord["report"]),
        owner: row.owner === null ? null : (JSON.parse(row.owner) as DreamRecord["owner"]),
      };
    });
  }

  async listDreams(options: ListArchivableOptions = {}): Promise<Page<Dream>> {
    return this.run("list dreams", () => {
      const size = storageRules.pageSize(options.limit);
      const rows = this.sql(
        `SELECT dream FROM dreams WHERE (@all = 1 OR archived_at IS NULL) AND (@after IS NULL OR id < @after)
         ORDER BY id DESC LIMIT @limit`,
      ).all({ all: options.include_archived ? 1 : 0, after: options.after ?? null, limit: size + 1 }) as Array<{
        dream: string;
      }>;
      return pageFrom(
        rows.map((row) => JSON.parse(row.dream) as Dream),
        size,
        (dream) => dream.id,
      );
    });
  }

  /** Closes the database; the adapter is unusable afterwards. */
  /** Discards sessions still being written in parts, then closes the database. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.writers].map((writer) => writer.abort()));
    if (this.db.open) this.db.close();
  }

  // — internals

  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  private async run<T>(action: string, task: () => T): Promise<T> {
    try {
      return task();
    } catch (error) {
      throw toStorageError(error, action, this.file);
    }
  }

  /** Runs `task` in an immediate transaction: the write lock is taken first, so checks and writes are one step. */
  private async write<T>(action: string, task: () => T): Promise<T> {
    return this.run(action, () => this.db.transaction(task).immediate());
  }

  private storeRow(id: string): StoreRow | undefined {
    return this.sql("SELECT * FROM memory_stores WHERE id = ?").get(id) as StoreRow | undefined;
  }

  private requireStore(id: string): StoreRow {
    const row = this.storeRow(id);
    if (!row) throw storageRules.storeNotFound(id);
    return row;
  }

  private requireWritableStore(id: string): StoreRow {
    const row = this.requireStore(id);
    if (row.archived_at !== null) throw storageRules.storeArchived(storeOf(row));
    return row;
  }

  private memoryRowByPath(storeId: string, path: string): MemoryRow | undefined {
    return this.sql(`SELECT ${MEMORY_COLUMNS} FROM memories WHERE store_id = ? AND path = ?`).get(storeId, path) as
      | MemoryRow
      | undefined;
  }

  private insertMemory(memory: Memory): void {
    this.sql(`INSERT INTO memories (${MEMORY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      memory.id,
      memory.memory_store_id,
      memory.path,
      memory.content,
      memory.content_sha256,
      memory.content_size_bytes,
      memory.created_at,
      memory.updated_at,
      storageRules.lineageJson(memory.lineage),
    );
  }

  /** `memory_path_conflict` when a memory sits at a folder of `path` or below it (ignoring `movingId`). */
  private assertNoClash(storeId: string, path: string, movingId?: string): void {
    const parent = this.sql(
      `SELECT path FROM memories WHERE store_id = @store AND path IN (SELECT value FROM json_each(@parents))
         AND (@moving IS NULL OR id != @moving) LIMIT 1`,
    ).get({ store: storeId, parents: JSON.stringify(storageRules.parentPaths(path)), moving: movingId ?? null }) as
      | { path: string }
      | undefined;
    if (parent) throw storageRules.pathClash(storeId, path, parent.path);
    const below = this.sql(
      `SELECT path FROM memories WHERE store_id = @store AND path > @from AND path < @to
         AND (@moving IS NULL OR id != @moving)
       ORDER BY path LIMIT 1`,
    ).get({ store: storeId, from: `${path}/`, to: `${path}0`, moving: movingId ?? null }) as
      | { path: string }
      | undefined;
    if (below) throw storageRules.pathClash(storeId, path, below.path);
  }
}

/**
 * Creates a SQLite-backed StorageAdapter; pass a file path or options.
 *
 * @example
 * const storage = createSqliteAdapter({ file: "./nocturne.db" });
 */
export function createSqliteAdapter(options: SqliteAdapterOptions | string): SqliteAdapter {
  return new SqliteAdapter(typeof options === "string" ? { file: options } : options);
}
