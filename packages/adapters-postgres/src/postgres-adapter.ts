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
  type MemoryVersion,
  type MemoryVersionLog,
  MemoryWrite,
  type MemoryWriteOptions,
  newId,
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
import pg from "pg";
import { listMemoriesQuery } from "./list-memories-query.js";
import { insertVersions, postgresVersionLog } from "./memory-versions.js";
import { assertSchemaVersion, migrate } from "./migrate.js";
import { existingNear, lockPathTrees } from "./path-tree.js";
import { pgCode, toStorageError, UNIQUE_VIOLATION } from "./pg-errors.js";
import {
  MEMORY_COLUMNS,
  type MemoryRow,
  memoryColumns,
  STORE_COLUMNS,
  type StoreRow,
  toMemory,
  toMemoryStore,
} from "./rows.js";
import { eventsOf, postgresSessionParts, putHeader, readSessionQuery, type SessionPartRow } from "./session-parts.js";
import { checkTenant, quoteSchema } from "./sql-names.js";
import { inTransaction } from "./transaction.js";

const {
  buildMemory,
  lineageJson,
  newMemory,
  nextLineage,
  upsertedMemory,
  checkCreateMemory,
  checkDreamRecord,
  checkPath,
  checkSession,
  clashingPath,
  checkUpdateMemory,
  checkWriteOptions,
  memoryNotFound,
  pageSize,
  parseInput,
  pathClash,
  pathConflict,
  preconditionFailed,
  sessionNotFound,
  storeArchived,
  storeLocked,
  storeNotFound,
  versionOf,
} = storageRules;

/** How to open a {@link PostgresAdapter}. Give `connectionString` or `pool`. */
export interface PostgresAdapterOptions {
  /** A `postgres://user@host:port/database` URL. Ignored when `pool` is given. */
  connectionString?: string;
  /** A pool you manage; the adapter uses it and does not end it on `close()`. */
  pool?: pg.Pool;
  /** Pool size when the adapter makes its own pool. Default 10. */
  maxConnections?: number;
  /** PostgreSQL schema that holds Nocturne's tables (lower-case letters, digits, `_`). Default `nocturne`. */
  schema?: string;
  /**
   * The tenant this adapter acts for. Many tenants share one database and schema; each sees only its own
   * stores, sessions and dreams. Default `default`.
   */
  tenant?: string;
  /** Apply pending migrations on open (default true). With false, open fails unless the schema is up to date. */
  migrate?: boolean;
}

type LockMode = "FOR SHARE" | "FOR UPDATE";

/** A store row with the tenant check done, as read inside a transaction. */
interface LockedStore {
  row: StoreRow;
  store: MemoryStore;
}

/** The versions writes recorded, leaving out the writes that changed nothing. */
function recorded(versions: Array<MemoryVersion | null>): MemoryVersion[] {
  return versions.filter((version): version is MemoryVersion => version !== null);
}

function pageFrom<T>(rows: T[], size: number, keyOf: (item: T) => string): Page<T> {
  const data = rows.slice(0, size);
  const last = data.at(-1);
  return { data, next_cursor: rows.length > size && last !== undefined ? keyOf(last) : null };
}

/**
 * The StorageAdapter on PostgreSQL, through `pg` (node-postgres). Every statement is parameterised; writes run in
 * transactions that lock the store row `FOR SHARE` (archive and delete take it `FOR UPDATE`, so they wait for
 * in-flight writes) and the memory rows they check `FOR UPDATE`, so sha256 preconditions hold under any number
 * of concurrent writers in any number of processes.
 */
export class PostgresAdapter implements StorageAdapter {
  readonly name = "postgres";
  readonly capabilities: AdapterCapabilities = { persistent: true, multiProcess: true, memoryVersions: true };
  /** Every memory write's version, in the `memory_versions` table. */
  readonly memoryVersions: MemoryVersionLog;
  /** The tenant this adapter acts for. */
  readonly tenant: string;
  /** The PostgreSQL schema holding the tables. */
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private closed = false;
  private readonly writers = new Set<SessionWriter>();
  private readonly s: string;

  /** Use {@link createPostgresAdapter}, which also migrates; this constructor does no I/O. */
  constructor(options: PostgresAdapterOptions) {
    this.schema = options.schema ?? "nocturne";
    this.s = quoteSchema(this.schema);
    this.tenant = checkTenant(options.tenant ?? "default");
    if (options.pool) {
      this.pool = options.pool;
      this.ownsPool = false;
    } else {
      this.pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
      this.pool.on("error", () => {
        // An idle connection died (server restart); the pool drops it and the next query reconnects.
      });
      this.ownsPool = true;
    }
    this.memoryVersions = postgresVersionLog({
      pool: this.pool,
      s: this.s,
      tenant: this.tenant,
      run: this.run.bind(this),
    });
  }

  /** Same database, same pool, another tenant: for services that act for many tenants. */
  forTenant(tenant: string): PostgresAdapter {
    return new PostgresAdapter({ pool: this.pool, schema: this.schema, tenant, migrate: false });
  }

  async createMemoryStore(input: CreateMemoryStoreInput): Promise<MemoryStore> {
    const fields = parseInput(CreateMemoryStoreInput, input, "memory store");
    const now = new Date();
    return this.run("create a memory store", async () => {
      const result = await this.pool.query<StoreRow>(
        `INSERT INTO ${this.s}.memory_stores (id, tenant, name, description, metadata, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ${STORE_COLUMNS}`,
        [newId("memstore"), this.tenant, fields.name, fields.description, JSON.stringify(fields.metadata), now],
      );
      return toMemoryStore(this.first(result.rows));
    });
  }

  async getMemoryStore(id: string): Promise<MemoryStore | null> {
    return this.run("read a memory store", async () => {
      const result = await this.pool.query<StoreRow>(
        `SELECT ${STORE_COLUMNS} FROM ${this.s}.memory_stores WHERE tenant = $1 AND id = $2`,
        [this.tenant, id],
      );
      const row = result.rows[0];
      return row ? toMemoryStore(row) : null;
    });
  }

  async listMemoryStores(options: ListArchivableOptions = {}): Promise<Page<MemoryStore>> {
    const size = pageSize(options.limit);
    return this.run("list memory stores", async () => {
      const result = await this.pool.query<StoreRow>(
        `SELECT ${STORE_COLUMNS} FROM ${this.s}.memory_stores
         WHERE tenant = $1 AND ($2 OR archived_at IS NULL) AND id > $3
         ORDER BY id LIMIT $4`,
        [this.tenant, options.include_archived === true, options.after ?? "", size + 1],
      );
      return pageFrom(result.rows.map(toMemoryStore), size, (store) => store.id);
    });
  }

  async updateMemoryStore(id: string, input: UpdateMemoryStoreInput): Promise<MemoryStore> {
    const patch = parseInput(UpdateMemoryStoreInput, input, "memory store update");
    return this.run("update a memory store", async () => {
      const result = await this.pool.query<StoreRow>(
        `UPDATE ${this.s}.memory_stores
         SET name = COALESCE($3, name), description = COALESCE($4, description),
             metadata = COALESCE($5::json, metadata), updated_at = $6
         WHERE tenant = $1 AND id = $2 RETURNING ${STORE_COLUMNS}`,
        [
          this.tenant,
          id,
          patch.name ?? null,
          patch.description ?? null,
          patch.metadata === undefined ? null : JSON.stringify(patch.metadata),
          new Date(),
        ],
      );
      const row = result.rows[0];
      if (!row) throw storeNotFound(id);
      return toMemoryStore(row);
    });
  }

  async archiveMemoryStore(id: string): Promise<MemoryStore> {
    return this.transaction("archive a memory store", async (client) => {
      const { row, store } = await this.lockStore(client, id, "FOR UPDATE");
      if (row.lock_dream_id !== null) throw storeLocked(id, row.lock_dream_id);
      if (store.archived_at !== null) return store;
      const now = new Date();
      const result = await client.query<StoreRow>(
        `UPDATE ${this.s}.memory_stores SET archived_at = $2, updated_at = $2 WHERE id = $1 RETURNING ${STORE_COLUMNS}`,
        [id, now],
      );
      return toMemoryStore(this.first(result.rows));
    });
  }

  async deleteMemoryStore(id: string): Promise<void> {
    await this.transaction("delete a memory store", async (client) => {
      const { row } = await this.lockStore(client, id, "FOR UPDATE");
      if (row.lock_dream_id !== null) throw storeLocked(id, row.lock_dream_id);
      await client.query(`DELETE FROM ${this.s}.memory_stores WHERE id = $1`, [id]);
    });
  }

  async setMemoryStoreLock(id: string, dreamId: string | null): Promise<void> {
    await this.run("lock a memory store", async () => {
      const result = await this.pool.query(
        `UPDATE ${this.s}.memory_stores SET lock_dream_id = $3 WHERE tenant = $1 AND id = $2`,
        [this.tenant, id, dreamId],
      );
      if (result.rowCount === 0) throw storeNotFound(id);
    });
  }

  async createMemory(storeId: string, input: CreateMemoryInput, options?: MemoryWriteOptions): Promise<Memory> {
    const { path, content, lineage } = checkCreateMemory(input);
    const { actor } = checkWriteOptions(options);
    return this.transaction("create a memory", async (client) => {
      await this.lockWritableStore(client, storeId);
      await lockPathTrees(client, storeId, [path]);
      const near = await existingNear(client, this.s, storeId, [path], 1);
      if (near.has(path)) throw pathConflict(storeId, path);
      const clash = clashingPath(path, near);
      if (clash !== null) throw pathClash(storeId, path, clash);
      const now = new Date().toISOString();
      const memory = newMemory(storeId, path, content, now, lineage ?? null);
      const result = await client
        .query<MemoryRow>(
          `INSERT INTO ${this.s}.memories (${MEMORY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)
           RETURNING ${MEMORY_COLUMNS}`,
          [
            storeId,
            memory.id,
            path,
            content,
            memory.content_sha256,
            memory.content_size_bytes,
            now,
            lineageJson(memory.lineage),
          ],
        )
        .catch((error: unknown) => {
          throw pgCode(error) === UNIQUE_VIOLATION ? pathConflict(storeId, path) : error;
        });
      const created = toMemory(this.first(result.rows));
      await insertVersions(client, this.s, recorded([versionOf(null, created, actor, now)]));
      return created;
    });
  }

  async getMemory(storeId: string, memoryId: string): Promise<Memory | null> {
    return this.readMemory("read a memory", "m.id = $3", storeId, memoryId);
  }

  async getMemoryByPath(storeId: string, path: string): Promise<Memory | null> {
    checkPath(path);
    return this.readMemory("read a memory", "m.path = $3", storeId, path);
  }

  async updateMemory(
    storeId: string,
    memoryId: string,
    input: UpdateMemoryInput,
    options?: MemoryWriteOptions,
  ): Promise<Memory> {
    const patch = checkUpdateMemory(input);
    const { actor } = checkWriteOptions(options);
    return this.transaction("update a memory", async (client) => {
      await this.lockWritableStore(client, storeId);
      const current = await this.lockMemoryById(client, storeId, memoryId);
      if (!current) throw memoryNotFound(storeId, memoryId);
      if (patch.precondition && patch.precondition.content_sha256 !== current.content_sha256) {
        throw preconditionFailed(current.path, patch.precondition.content_sha256, current.content_sha256);
      }
      const path = patch.path ?? current.path;
      if (path !== current.path) {
        await lockPathTrees(client, storeId, [path]);
        const near = await existingNear(client, this.s, storeId, [path], 2);
        if (near.has(path)) throw pathConflict(storeId, path);
        near.delete(current.path);
        const clash = clashingPath(path, near);
        if (clash !== null) throw pathClash(storeId, path, clash);
      }
      const now = new Date().toISOString();
      const next = buildMemory({
        ...current,
        path,
        content: patch.content ?? current.content,
        updated_at: now,
        lineage: nextLineage(patch.lineage, current.lineage),
      });
      try {
        const result = await client.query<MemoryRow>(
          `UPDATE ${this.s}.memories SET path = $3, content = $4, content_sha256 = $5, content_size_bytes = $6, updated_at = $7,
           lineage = $8 WHERE store_id = $1 AND id = $2 RETURNING ${MEMORY_COLUMNS}`,
          [
            storeId,
            memoryId,
            path,
            next.content,
            next.content_sha256,
            next.content_size_bytes,
            now,
            lineageJson(next.lineage),
          ],
        );
        const updated = toMemory(this.first(result.rows));
        await insertVersions(client, this.s, recorded([versionOf(current, updated, actor, now)]));
        return updated;
      } catch (error) {
        if (pgCode(error) === UNIQUE_VIOLATION) throw pathConflict(storeId, path);
        throw error;
      }
    });
  }

  async deleteMemory(
    storeId: string,
    memoryId: string,
    options: { precondition?: Precondition } & MemoryWriteOptions = {},
  ): Promise<void> {
    const { actor } = checkWriteOptions({ actor: options.actor });
    await this.transaction("delete a memory", async (client) => {
      await this.lockWritableStore(client, storeId);
      const current = await this.lockMemoryById(client, storeId, memoryId);
      if (!current) throw memoryNotFound(storeId, memoryId);
      if (options.precondition && options.precondition.content_sha256 !== current.content_sha256) {
        throw preconditionFailed(current.path, options.precondition.content_sha256, current.content_sha256);
      }
      await client.query(`DELETE FROM ${this.s}.memories WHERE store_id = $1 AND id = $2`, [storeId, memoryId]);
      await insertVersions(client, this.s, recorded([versionOf(current, null, actor, new Date().toISOString())]));
    });
  }

  async listMemories(storeId: string, options: ListMemoriesOptions = {}): Promise<Page<Memory>> {
    const size = pageSize(options.limit);
    const prefix = options.path_prefix ?? "";
    return this.run("list memories", async () => {
      if (prefix.includes("\u0000") || options.after?.includes("\u0000")) {
        await this.requireStore(storeId);
        return { data: [], next_cursor: null };
      }
      const query = listMemoriesQuery({
        schema: this.s,
        tenant: this.tenant,
        storeId,
        prefix,
        after: options.after,
        limit: size + 1,
      });
      const result = await this.pool.query<MemoryRow>(query.text, query.values);
      if (result.rows.length === 0) await this.requireStore(storeId);
      return pageFrom(result.rows.map(toMemory), size, (memory) => memory.path);
    });
  }

  async writeMemories(storeId: string, writes: MemoryWrite[], options?: MemoryWriteOptions): Promise<Memory[]> {
    const checked = parseInput(MemoryWrite.array(), writes, "memory writes");
    const { actor } = checkWriteOptions(options);
    return this.transaction("write memories", async (client) => {
      await this.lockWritableStore(client, storeId);
      const paths = [...new Set(checked.map((write) => write.path))];
      const existing = await client.query<MemoryRow>(
        `SELECT ${MEMORY_COLUMNS} FROM ${this.s}.memories WHERE store_id = $1 AND path = ANY($2::text[])
         ORDER BY path FOR UPDATE`,
        [storeId, paths],
      );
      const before = new Map(existing.rows.map((row) => [row.path, toMemory(row)]));
      const added = [...new Set(checked.filter((write) => write.op === "upsert").map((write) => write.path))];
      const deletes = checked.filter((write) => write.op === "delete").length;
      await lockPathTrees(client, storeId, added);
      const present =
        added.length > 0 ? await existingNear(client, this.s, storeId, added, deletes + 1) : new Set<string>();
      const next = new Map<string, Memory | undefined>();
      const stateOf = (path: string) => (next.has(path) ? next.get(path) : before.get(path));
      function* livePaths(): Iterable<string> {
        for (const path of present) if (!next.has(path) || next.get(path)) yield path;
        for (const [path, memory] of next) if (memory && !present.has(path)) yield path;
      }
      const written: Memory[] = [];
      const versions: Array<MemoryVersion | null> = [];
      const now = new Date().toISOString();
      for (const write of checked) {
        const current = stateOf(write.path);
        if (write.precondition && write.precondition.content_sha256 !== current?.content_sha256) {
          throw preconditionFailed(write.path, write.precondition.content_sha256, current?.content_sha256 ?? null);
        }
        if (write.op === "delete") {
          next.set(write.path, undefined);
          versions.push(versionOf(current, null, actor, now));
          continue;
        }
        if (!current) {
          const clash = clashingPath(write.path, livePaths());
          if (clash !== null) throw pathClash(storeId, write.path, clash);
        }
        const memory = upsertedMemory(storeId, current, write, now);
        next.set(write.path, memory);
        written.push(memory);
        versions.push(versionOf(current, memory, actor, now));
      }
      const stored = await this.applyFinalState(client, storeId, before, next);
      await insertVersions(client, this.s, recorded(versions));
      const lastIndex = new Map(written.map((memory, index) => [memory.path, index]));
      return written.map((memory, index) =>
        lastIndex.get(memory.path) === index ? (stored.get(memory.path) ?? memory) : memory,
      );
    });
  }

  async putSession(session: Session): Promise<Session> {
    const checked = checkSession(session);
    return this.transaction("store a session", async (client) => {
      await putHeader(client, { s: this.s, tenant: this.tenant }, checked, checked.events.length, null);
      return checked;
    });
  }

  /**
   * A session written in parts: one connection holds a transaction open from the first part to commit (see
   * `postgresSessionParts`), so nothing is visible before, and nothing is left if the writer dies.
   */
  async openSessionWriter(): Promise<SessionWriter> {
    const parts = postgresSessionParts({ pool: this.pool, s: this.s, tenant: this.tenant, run: this.run.bind(this) });
    return storageRules.sessionWriter(parts, { open: this.writers });
  }

  async getSession(id: string): Promise<Session | null> {
    return this.run("read a session", async () => {
      const result = await this.pool.query<SessionPartRow>(readSessionQuery(this.s), [this.tenant, id]);
      const first = result.rows[0];
      return first ? storageRules.sessionOf(first.body, eventsOf(result.rows)) : null;
    });
  }

  async listSessions(options: PageOptions = {}): Promise<Page<SessionSummary>> {
    const size = pageSize(options.limit);
    return this.run("list sessions", async () => {
      const result = await this.pool.query<SessionSummary>(
        `SELECT id, title, created_at, event_count FROM ${this.s}.sessions
         WHERE tenant = $1 AND id > $2 ORDER BY id LIMIT $3`,
        [this.tenant, options.after ?? "", size + 1],
      );
      return pageFrom(result.rows, size, (summary) => summary.id);
    });
  }

  async deleteSession(id: string): Promise<void> {
    await this.transaction("delete a session", async (client) => {
      const result = await client.query(`DELETE FROM ${this.s}.sessions WHERE tenant = $1 AND id = $2`, [
        this.tenant,
        id,
      ]);
      if (result.rowCount === 0) throw sessionNotFound(id);
      await client.query(`DELETE FROM ${this.s}.session_parts WHERE tenant = $1 AND session_id = $2`, [
        this.tenant,
        id,
      ]);
    });
  }

  async putDreamRecord(record: DreamRecord): Promise<void> {
    checkDreamRecord(record);
    await this.run("store a dream record", async () => {
      await this.pool.query(
        `INSERT INTO ${this.s}.dreams (tenant, id, status, archived, record, written_at) VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (tenant, id) DO UPDATE SET status = EXCLUDED.status, archived = EXCLUDED.archived,
           record = EXCLUDED.record, written_at = now()`,
        [this.tenant, record.dream.id, record.dream.status, record.dream.archived_at !== null, JSON.stringify(record)],
      );
    });
  }

  async getDreamRecord(id: string): Promise<DreamRecord | null> {
    return this.run("read a dream record", async () => {
      const result = await this.pool.query<{ record: DreamRecord }>(
        `SELECT record FROM ${this.s}.dreams WHERE tenant = $1 AND id = $2`,
        [this.tenant, id],
      );
      return result.rows[0]?.record ?? null;
    });
  }

  async listDreams(options: ListArchivableOptions = {}): Promise<Page<Dream>> {
    const size = pageSize(options.limit);
    return this.run("list dreams", async () => {
      const params: unknown[] = [this.tenant, options.include_archived === true, size + 1];
      const after = options.after === undefined ? "" : `AND id < $${params.push(options.after)}`;
      const result = await this.pool.query<{ record: DreamRecord }>(
        `SELECT record FROM ${this.s}.dreams WHERE tenant = $1 AND ($2 OR NOT archived) ${after}
         ORDER BY id DESC LIMIT $3`,
        params,
      );
      return pageFrom(
        result.rows.map((row) => row.record.dream),
        size,
        (dream) => dream.id,
      );
    });
  }

  /** Applies pending migrations to this adapter's schema (see {@link migrate}); returns the versions applied. */
  async migrate(): Promise<number[]> {
    return migrate(this.pool, this.schema);
  }

  /** Throws `storage_error` unless the schema is at the version this package expects. */
  async checkSchema(): Promise<void> {
    await assertSchemaVersion(this.pool, this.schema);
  }

  /**
   * Rolls back sessions still being written in parts (returning their connections), then ends the pool when the
   * adapter created it; a pool passed in is left to its owner.
   */
  async close(): Promise<void> {
    await Promise.allSettled([...this.writers].map((writer) => writer.abort()));
    if (!this.ownsPool || this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  /** Deletes, then upserts, the rows a batch changes, so the table matches `next`. Returns the rows as stored. */
  private async applyFinalState(
    client: pg.PoolClient,
    storeId: string,
    before: Map<string, Memory>,
    next: Map<string, Memory | undefined>,
  ): Promise<Map<string, Memory>> {
    const removals: string[] = [];
    const upserts: Memory[] = [];
    for (const [path, memory] of next) {
      const old = before.get(path);
      if (old && (!memory || memory.id !== old.id)) removals.push(path);
      if (memory && memory !== old) upserts.push(memory);
    }
    if (removals.length > 0) {
      await client.query(`DELETE FROM ${this.s}.memories WHERE store_id = $1 AND path = ANY($2::text[])`, [
        storeId,
        removals,
      ]);
    }
    if (upserts.length === 0) return new Map();
    const column = <K extends keyof Memory>(key: K) => upserts.map((memory) => memory[key]);
    const result = await client.query<MemoryRow>(
      `INSERT INTO ${this.s}.memories (${MEMORY_COLUMNS})
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::integer[], $7::timestamptz[], $8::timestamptz[], $9::text[])
       ON CONFLICT (store_id, path) DO UPDATE SET content = EXCLUDED.content, content_sha256 = EXCLUDED.content_sha256,
         content_size_bytes = EXCLUDED.content_size_bytes, updated_at = EXCLUDED.updated_at, lineage = EXCLUDED.lineage
       RETURNING ${MEMORY_COLUMNS}`,
      [
        storeId,
        column("id"),
        column("path"),
        column("content"),
        column("content_sha256"),
        column("content_size_bytes"),
        column("created_at"),
        column("updated_at"),
        upserts.map((memory) => lineageJson(memory.lineage)),
      ],
    );
    return new Map(result.rows.map((row) => [row.path, toMemory(row)]));
  }

  private async readMemory(action: string, condition: string, storeId: string, value: string): Promise<Memory | null> {
    return this.run(action, async () => {
      const result = await this.pool.query<MemoryRow>(
        `SELECT ${memoryColumns("m")}
         FROM ${this.s}.memories m JOIN ${this.s}.memory_stores s ON s.id = m.store_id
         WHERE m.store_id = $1 AND s.tenant = $2 AND ${condition}`,
        [storeId, this.tenant, value],
      );
      const row = result.rows[0];
      return row ? toMemory(row) : null;
    });
  }

  private async requireStore(id: string): Promise<MemoryStore> {
    const store = await this.getMemoryStore(id);
    if (!store) throw storeNotFound(id);
    return store;
  }

  private async lockStore(client: pg.PoolClient, id: string, mode: LockMode): Promise<LockedStore> {
    const result = await client.query<StoreRow>(
      `SELECT ${STORE_COLUMNS} FROM ${this.s}.memory_stores WHERE tenant = $1 AND id = $2 ${mode}`,
      [this.tenant, id],
    );
    const row = result.rows[0];
    if (!row) throw storeNotFound(id);
    return { row, store: toMemoryStore(row) };
  }

  private async lockWritableStore(client: pg.PoolClient, id: string): Promise<MemoryStore> {
    const { store } = await this.lockStore(client, id, "FOR SHARE");
    if (store.archived_at !== null) throw storeArchived(store);
    return store;
  }

  private async lockMemoryById(client: pg.PoolClient, storeId: string, memoryId: string): Promise<Memory | null> {
    const result = await client.query<MemoryRow>(
      `SELECT ${MEMORY_COLUMNS} FROM ${this.s}.memories WHERE store_id = $1 AND id = $2 FOR UPDATE`,
      [storeId, memoryId],
    );
    const row = result.rows[0];
    return row ? toMemory(row) : null;
  }

  private first<T>(rows: T[]): T {
    const row = rows[0];
    if (row === undefined) throw new Error("PostgreSQL returned no row where one was expected");
    return row;
  }

  private async run<T>(action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toStorageError(error, action);
    }
  }

  private async transaction<T>(action: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.run(action, () => inTransaction(this.pool, work));
  }
}

/**
 * Opens the PostgreSQL adapter: connects, applies pending migrations (unless `migrate: false`, in which case the
 * schema must already be current) and returns it. Call `close()` when done.
 */
export async function createPostgresAdapter(options: PostgresAdapterOptions): Promise<PostgresAdapter> {
  const adapter = new PostgresAdapter(options);
  try {
    if (options.migrate === false) await adapter.checkSchema();
    else await adapter.migrate();
  } catch (error) {
    await adapter.close();
    throw error;
  }
  return adapter;
}
