import { mkdir, readFile, realpath, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
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
  type Metadata,
  NocturneError,
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
import { writeFileAtomic } from "./atomic-write.js";
import { acquireFileLock } from "./file-lock.js";
import { isErrno, toStorageError } from "./fs-errors.js";
import { commitOps, hasPendingJournal, settleJournal } from "./journal.js";
import { KeyedMutex } from "./keyed-mutex.js";
import { sweepLeftovers } from "./leftovers.js";
import { listMemoryPaths, probeMemory, readMeta } from "./probe.js";
import { DreamFiles, SessionFiles } from "./record-files.js";
import { Registry, type StoreRecord } from "./registry.js";
import { sessionPartsFile } from "./session-parts-file.js";
import { checkFsPath, derivedMemoryId, META_DIR, readOnlyStore, type StoreFolder } from "./store-folder.js";
import { listVersions, readVersion } from "./version-files.js";
import { foreignFile, WritePlan } from "./write-plan.js";

/** A file in a store folder that was skipped because it cannot be read as a memory. */
export interface FsWarning {
  memory_store_id: string;
  path: string;
  message: string;
}

/** Options for {@link createFsAdapter}. */
export interface FsAdapterOptions {
  /**
   * The adapter's own folder: `registry/` (one file per store), `stores/` (folders of stores created without an
   * explicit folder), `sessions/` and `dreams/`. Created if missing.
   */
  root: string;
  /** Flush files and folders to disk before a write returns (fsync). Default true; turn off only for scratch data. */
  durable?: boolean;
  /** How long a write waits for another process's lock before failing with `storage_busy`. Default 10 s. */
  lockTimeoutMs?: number;
  /** A lock older than this is taken over even if its process seems alive. Default 10 minutes. */
  staleLockMs?: number;
  /** Called once per skipped file (too large, not UTF-8, a link out of the folder, a name that is no path). */
  onWarning?: (warning: FsWarning) => void;
  /**
   * Chooses the folder of a store created through `createMemoryStore` (for example the output store a dream
   * creates). Return a folder that does not exist yet, or undefined for the default `<root>/stores/<id>`.
   */
  storeFolder?: (input: { name: string; description: string; metadata: Metadata }) => string | undefined;
}

/** Options for {@link FsAdapter.mountFolder}. */
export interface MountFolderOptions {
  /** Default: the folder's name. */
  name?: string;
  description?: string;
  metadata?: Metadata;
  /**
   * Default true: nothing is ever written into the folder (no metadata, no lock), and writes are refused with
   * `storage_permission_denied`. With false, the store is writable and keeps its metadata in `<folder>/.nocturne/`,
   * its id included, so mounting the folder again (from any root) gives the same store with its versions.
   */
  readOnly?: boolean;
}

interface StoreIdentity {
  id: string;
  created_at: string;
}

const SCAN_BATCH = 32;
const nowIso = () => new Date().toISOString();

/**
 * A StorageAdapter over plain folders. A memory store is a folder of files: the memory `/notes/editor.md` is the
 * file `<folder>/notes/editor.md`, its content byte for byte, so people and agents can read and edit it. Ids and
 * timestamps live beside the content in `<folder>/.nocturne/`, never inside it; a file without them is still a
 * memory (id derived from its path, timestamps from the file). Writes are journaled and atomic, never follow
 * symbolic links, and are serialized across processes by a lock file per store.
 */
export class FsAdapter implements StorageAdapter {
  readonly name = "fs";
  readonly capabilities: AdapterCapabilities = { persistent: true, multiProcess: true, memoryVersions: true };

  private readonly root: string;
  private readonly durable: boolean;
  private readonly lockTimeoutMs: number;
  private readonly staleLockMs: number;
  private readonly mutex = new KeyedMutex();
  private readonly registry: Registry;
  private readonly sessions: SessionFiles;
  private readonly dreams: DreamFiles;
  private readonly idIndex = new Map<string, Map<string, string>>();
  private readonly warned = new Set<string>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly writers = new Set<SessionWriter>();
  private ready: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: FsAdapterOptions) {
    this.root = resolve(options.root);
    this.durable = options.durable ?? true;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
    this.staleLockMs = options.staleLockMs ?? 10 * 60_000;
    this.registry = new Registry({
      dir: join(this.root, "registry"),
      durable: this.durable,
      lockTimeoutMs: this.lockTimeoutMs,
      staleLockMs: this.staleLockMs,
      mutex: this.mutex,
    });
    this.sessions = new SessionFiles(join(this.root, "sessions"), this.durable);
    this.dreams = new DreamFiles(join(this.root, "dreams"), this.durable);
  }

  // — stores

  async createMemoryStore(input: CreateMemoryStoreInput): Promise<MemoryStore> {
    const fields = storageRules.parseInput(CreateMemoryStoreInput, input, "memory store");
    const folder = this.options.storeFolder?.(fields);
    if (folder !== undefined) return this.createMemoryStoreAt(folder, fields);
    return this.guard("create a memory store", async () => {
      const id = newId("memstore");
      return this.createStore(id, fields, join(this.root, "stores", id), null);
    });
  }

  /**
   * Creates a store in a new folder of your choosing (for example a dream's output, the CLI's `--out`). The folder
   * must not exist yet; its parent is created if needed. Deleting the store deletes the folder.
   */
  async createMemoryStoreAt(folder: string, input: CreateMemoryStoreInput): Promise<MemoryStore> {
    const fields = storageRules.parseInput(CreateMemoryStoreInput, input, "memory store");
    return this.guard(`create a memory store in ${folder}`, async () => {
      const dir = resolve(folder);
      await mkdir(dirname(dir), { recursive: true });
      return this.createStore(newId("memstore"), fields, dir, dir);
    });
  }

  /**
   * Opens an existing folder of files (for example a folder of markdown notes) as a memory store and returns it.
   * Read-only by default: nothing is written into the folder, not even metadata, so it stays byte-identical.
   * Mounting the same folder again returns the same store. Deleting a mounted store only forgets it; the folder
   * and its files are never deleted.
   */
  async mountFolder(folder: string, options: MountFolderOptions = {}): Promise<MemoryStore> {
    return this.guard(`mount the folder ${folder}`, async () => {
      const dir = await realpath(resolve(folder)).catch((error: unknown) => {
        if (isErrno(error, "ENOENT", "ENOTDIR")) {
          throw new NocturneError("invalid_input", `Folder ${folder} does not exist. Check the path and try again.`, {
            details: { folder },
          });
        }
        throw error;
      });
      if (!(await stat(dir)).isDirectory()) {
        throw new NocturneError("invalid_input", `${folder} is a file, not a folder. Mount the folder that holds it.`, {
          details: { folder },
        });
      }
      const readOnly = options.readOnly ?? true;
      return this.registry.change(async () => {
        const records = await this.registry.list();
        const existing = records.find((record) => record.folder === dir);
        if (existing) {
          if (existing.read_only !== readOnly) await this.registry.write({ ...existing, read_only: readOnly });
          return existing.store;
        }
        const fields = storageRules.parseInput(
          CreateMemoryStoreInput,
          {
            name: options.name ?? (basename(dir) || "folder"),
            description: options.description,
            metadata: options.metadata,
          },
          "memory store",
        );
        const identity = await this.readIdentity(dir);
        const taken = identity !== null && records.some((record) => record.store.id === identity.id);
        const store = storageRules.newMemoryStore(fields, identity !== null && !taken ? identity.id : undefined);
        if (!readOnly && identity === null)
          await this.writeIdentity(dir, { id: store.id, created_at: store.created_at });
        await this.registry.write({ version: 1, store, folder: dir, owned: false, read_only: readOnly, lock: null });
        return store;
      });
    });
  }

  /** The folder that holds a store's files. `memory_store_not_found`. */
  async folderOf(storeId: string): Promise<string> {
    return this.guard("find a store's folder", async () => (await this.requireFolder(storeId)).dir);
  }

  async getMemoryStore(id: string): Promise<MemoryStore | null> {
    return this.guard("read a memory store", async () => (await this.registry.read(id))?.store ?? null);
  }

  async listMemoryStores(options: ListArchivableOptions = {}): Promise<Page<MemoryStore>> {
    return this.guard("list memory stores", async () => {
      const stores = (await this.registry.list())
        .map((record) => record.store)
        .filter((store) => options.include_archived || store.archived_at === null)
        .sort((a, b) => storageRules.compareUtf8(a.id, b.id));
      return storageRules.pageOf(stores, (store) => store.id, options.limit, options.after, storageRules.compareUtf8);
    });
  }

  async updateMemoryStore(id: string, input: UpdateMemoryStoreInput): Promise<MemoryStore> {
    const patch = storageRules.parseInput(UpdateMemoryStoreInput, input, "memory store update");
    return this.changeRecord(id, "update a memory store", (record) => {
      const store = { ...record.store, updated_at: nowIso() };
      if (patch.name !== undefined) store.name = patch.name;
      if (patch.description !== undefined) store.description = patch.description;
      if (patch.metadata !== undefined) store.metadata = patch.metadata;
      return { ...record, store };
    });
  }

  async archiveMemoryStore(id: string): Promise<MemoryStore> {
    return this.changeRecord(id, "archive a memory store", (record) => {
      if (record.lock !== null) throw storageRules.storeLocked(id, record.lock);
      if (record.store.archived_at !== null) return record;
      const now = nowIso();
      return { ...record, store: { ...record.store, archived_at: now, updated_at: now } };
    });
  }

  async deleteMemoryStore(id: string): Promise<void> {
    await this.guard("delete a memory store", async () => {
      const record = await this.registry.change(async () => {
        const found = await this.registry.read(id);
        if (!found) throw storageRules.storeNotFound(id);
        if (found.lock !== null) throw storageRules.storeLocked(id, found.lock);
        await this.registry.remove(id);
        return found;
      });
      this.idIndex.delete(id);
      if (!record.owned) return;
      const folder = this.folderFor(record);
      await this.mutex.run(`store:${folder.dir}`, () => rm(folder.dir, { recursive: true, force: true }));
    });
  }

  async setMemoryStoreLock(id: string, dreamId: string | null): Promise<void> {
    await this.changeRecord(id, "lock a memory store", (record) => ({ ...record, lock: dreamId }));
  }

  // — memories

  async createMemory(storeId: string, input: CreateMemoryInput, options?: MemoryWriteOptions): Promise<Memory> {
    const { path, content, lineage } = storageRules.checkCreateMemory(input);
    const { actor } = storageRules.checkWriteOptions(options);
    checkFsPath(path);
    return this.write(storeId, "create a memory", async (plan, folder) => {
      const found = await plan.current(path);
      if (found.kind === "memory") throw storageRules.pathConflict(storeId, path);
      if (found.kind === "foreign") throw foreignFile(folder, path, found.reason);
      await plan.assertNoLinks(path);
      await plan.assertNoClash(path);
      const now = nowIso();
      const memory = storageRules.newMemory(storeId, path, content, now, lineage ?? null);
      plan.put(memory);
      plan.record(storageRules.versionOf(null, memory, actor, now));
      return memory;
    });
  }

  async getMemory(storeId: string, memoryId: string): Promise<Memory | null> {
    return this.guard("read a memory", async () => {
      const folder = await this.folderOrNull(storeId);
      if (folder === null) return null;
      await this.settleForRead(folder);
      return this.findById(folder, memoryId);
    });
  }

  async getMemoryByPath(storeId: string, path: string): Promise<Memory | null> {
    checkFsPath(path);
    return this.guard("read a memory", async () => {
      const folder = await this.folderOrNull(storeId);
      if (folder === null) return null;
      await this.settleForRead(folder);
      const found = await probeMemory(folder, path);
      if (found.kind === "foreign") this.warn(storeId, path, found.reason);
      return found.kind === "memory" ? this.remember(found.memory) : null;
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
    if (patch.path !== undefined) checkFsPath(patch.path);
    return this.write(storeId, "update a memory", async (plan, folder) => {
      const current = await this.findById(folder, memoryId);
      if (!current) throw storageRules.memoryNotFound(storeId, memoryId);
      if (patch.precondition && patch.precondition.content_sha256 !== current.content_sha256) {
        throw storageRules.preconditionFailed(current.path, patch.precondition.content_sha256, current.content_sha256);
      }
      const path = patch.path ?? current.path;
      await plan.assertNoLinks(current.path);
      await plan.recordUnseen(current);
      if (path !== current.path) {
        const found = await plan.current(path);
        if (found.kind === "memory") throw storageRules.pathConflict(storeId, path);
        if (found.kind === "foreign") throw foreignFile(folder, path, found.reason);
        await plan.assertNoLinks(path);
        plan.remove(current.path);
        await plan.assertNoClash(path);
      }
      const updated = storageRules.buildMemory({
        ...current,
        path,
        content: patch.content ?? current.content,
        updated_at: nowIso(),
        lineage: storageRules.nextLineage(patch.lineage, current.lineage),
      });
      plan.put(updated);
      plan.record(storageRules.versionOf(current, updated, actor, updated.updated_at));
      return updated;
    });
  }

  async deleteMemory(
    storeId: string,
    memoryId: string,
    options: { precondition?: Precondition } & MemoryWriteOptions = {},
  ): Promise<void> {
    const { actor } = storageRules.checkWriteOptions({ actor: options.actor });
    await this.write(storeId, "delete a memory", async (plan, folder) => {
      const current = await this.findById(folder, memoryId);
      if (!current) throw storageRules.memoryNotFound(storeId, memoryId);
      if (options.precondition && options.precondition.content_sha256 !== current.content_sha256) {
        throw storageRules.preconditionFailed(
          current.path,
          options.precondition.content_sha256,
          current.content_sha256,
        );
      }
      await plan.assertNoLinks(current.path);
      await plan.recordUnseen(current);
      plan.remove(current.path);
      plan.record(storageRules.versionOf(current, null, actor, nowIso()));
    });
  }

  async listMemories(storeId: string, options: ListMemoriesOptions = {}): Promise<Page<Memory>> {
    return this.guard("list memories", async () => {
      const folder = await this.requireFolder(storeId);
      await this.settleForRead(folder);
      const warn = this.warn.bind(this);
      const paths = (await listMemoryPaths(folder, options.path_prefix ?? "", warn)).sort(storageRules.compareUtf8);
      const after = options.after;
      let next = after === undefined ? 0 : paths.findIndex((path) => storageRules.compareUtf8(path, after) > 0);
      if (next === -1) next = paths.length;
      const size = storageRules.pageSize(options.limit);
      const data: Memory[] = [];
      let lastPath: string | undefined;
      while (data.length < size && next < paths.length) {
        const batch = paths.slice(next, next + Math.min(size - data.length, SCAN_BATCH));
        next += batch.length;
        const found = await Promise.all(batch.map((path) => probeMemory(folder, path)));
        found.forEach((probe, i) => {
          const path = batch[i] as string;
          lastPath = path;
          if (probe.kind === "memory") data.push(this.remember(probe.memory));
          else if (probe.kind === "foreign") this.warn(storeId, path, probe.reason);
        });
      }
      return { data, next_cursor: next < paths.length && lastPath !== undefined ? lastPath : null };
    });
  }

  async writeMemories(storeId: string, writes: MemoryWrite[], options?: MemoryWriteOptions): Promise<Memory[]> {
    const checked = storageRules.parseInput(MemoryWrite.array(), writes, "memory writes");
    const { actor } = storageRules.checkWriteOptions(options);
    for (const write of checked) checkFsPath(write.path);
    return this.write(storeId, "write memories", async (plan, folder) => {
      const written: Memory[] = [];
      const now = nowIso();
      for (const write of checked) {
        const found = await plan.current(write.path);
        const current = found.kind === "memory" ? found.memory : null;
        if (write.precondition && write.precondition.content_sha256 !== current?.content_sha256) {
          throw storageRules.preconditionFailed(
            write.path,
            write.precondition.content_sha256,
            current?.content_sha256 ?? null,
          );
        }
        if (write.op === "delete") {
          if (current) {
            await plan.assertNoLinks(write.path);
            await plan.recordUnseen(current);
            plan.remove(write.path);
            plan.record(storageRules.versionOf(current, null, actor, now));
          }
          continue;
        }
        if (found.kind === "foreign") throw foreignFile(folder, write.path, found.reason);
        await plan.assertNoLinks(write.path);
        if (!current) await plan.assertNoClash(write.path);
        else await plan.recordUnseen(current);
        const memory = storageRules.upsertedMemory(storeId, current, write, now);
        plan.put(memory);
        plan.record(storageRules.versionOf(current, memory, actor, now));
        written.push(memory);
      }
      return written;
    });
  }

  /**
   * The store's memory versions, one JSON file each in `<folder>/.nocturne/versions/`, written with the change they
   * record (journaled together). A redaction writes the version's file again without its path and content, by
   * rename, so no file holds them afterwards; it is allowed in archived stores, refused in read-only ones.
   */
  readonly memoryVersions: MemoryVersionLog = {
    list: (storeId, options) => {
      const checked = storageRules.checkListVersionsOptions(options);
      return this.guard("list memory versions", async () => {
        const folder = await this.requireFolder(storeId);
        await this.settleForRead(folder);
        return listVersions(folder, checked);
      });
    },
    get: (storeId, versionId) =>
      this.guard("read a memory version", async () => {
        const folder = await this.folderOrNull(storeId);
        if (folder === null) return null;
        await this.settleForRead(folder);
        return readVersion(folder, versionId);
      }),
    redact: (storeId, versionId, options) => {
      const { actor } = storageRules.checkWriteOptions(options);
      return this.guard("redact a memory version", async () => {
        const folder = await this.requireFolder(storeId);
        if (folder.readOnly) throw readOnlyStore(folder);
        return this.withStoreLock(folder, async () => {
          await settleJournal(folder, this.durable, this.staleLockMs);
          const found = await readVersion(folder, versionId);
          if (!found) throw storageRules.versionNotFound(storeId, versionId);
          const redacted = storageRules.redactedVersion(found, actor, nowIso());
          if (redacted !== found) await commitOps(folder, [{ op: "version", version: redacted }], this.durable);
          return redacted;
        });
      });
    },
  };

  // — sessions

  async putSession(session: Session): Promise<Session> {
    const checked = storageRules.checkSession(session);
    return this.guard("store a session", async () => {
      await this.sessions.put(checked);
      return checked;
    });
  }

  /**
   * A session written in parts into a temporary file in `sessions/`, renamed into place at commit (see
   * `sessionPartsFile`), so a large transcript is never held in memory.
   */
  async openSessionWriter(): Promise<SessionWriter> {
    return this.guard("start writing a session", async () => {
      const parts = sessionPartsFile({
        dir: join(this.root, "sessions"),
        fileOf: (id) => this.sessions.fileOf(id),
        durable: this.durable,
      });
      return storageRules.sessionWriter(
        {
          stage: (part) => this.guard("store part of a session", () => parts.stage(part)),
          commit: (header, count) => this.guard("store a session", () => parts.commit(header, count)),
          abort: () =>
            parts.abort().catch((error: unknown) => {
              throw toStorageError(error, "discard a session");
            }),
        },
        { open: this.writers },
      );
    });
  }

  async getSession(id: string): Promise<Session | null> {
    return this.guard("read a session", async () => {
      return this.sessions.get(id);
    });
  }

  async listSessions(options: PageOptions = {}): Promise<Page<SessionSummary>> {
    return this.guard("list sessions", async () => {
      const ids = (await this.sessions.ids()).sort(storageRules.compareUtf8);
      const page = storageRules.pageOf(ids, (id) => id, options.limit, options.after, storageRules.compareUtf8);
      const summaries = await Promise.all(page.data.map((id) => this.sessions.summary(id)));
      return {
        data: summaries.filter((summary): summary is SessionSummary => summary !== null),
        next_cursor: page.next_cursor,
      };
    });
  }

  async deleteSession(id: string): Promise<void> {
    await this.guard("delete a session", async () => {
      if (!(await this.sessions.delete(id))) throw storageRules.sessionNotFound(id);
    });
  }

  // — dreams

  async putDreamRecord(record: DreamRecord): Promise<void> {
    storageRules.checkDreamRecord(record);
    await this.guard("store a dream record", async () => {
      await this.dreams.put(record);
    });
  }

  async getDreamRecord(id: string): Promise<DreamRecord | null> {
    return this.guard("read a dream record", async () => {
      return this.dreams.get(id);
    });
  }

  async listDreams(options: ListArchivableOptions = {}): Promise<Page<Dream>> {
    return this.guard("list dreams", async () => {
      const newestFirst = (a: string, b: string) => storageRules.compareUtf8(b, a);
      const dreams = (await this.dreams.dreams())
        .filter((dream) => options.include_archived || dream.archived_at === null)
        .sort((a, b) => newestFirst(a.id, b.id));
      return storageRules.pageOf(dreams, (dream) => dream.id, options.limit, options.after, newestFirst);
    });
  }

  /**
   * Refuses further calls, waits for calls in flight and discards sessions still being written in parts. Locks are
   * only held during a write, so none is left.
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.writers].map((writer) => writer.abort()));
    await Promise.allSettled([...this.inFlight]);
  }

  // — internals

  private async guard<T>(action: string, task: () => Promise<T>): Promise<T> {
    if (this.closed) {
      throw new NocturneError("storage_error", `Could not ${action}: this fs adapter was closed. Create a new one.`);
    }
    const running = this.ensureRoot().then(task);
    this.inFlight.add(running);
    try {
      return await running;
    } catch (error) {
      throw toStorageError(error, action);
    } finally {
      this.inFlight.delete(running);
    }
  }

  private ensureRoot(): Promise<void> {
    this.ready ??= (async () => {
      await mkdir(this.root, { recursive: true, mode: 0o700 });
      for (const dir of ["registry", "stores", "sessions", "dreams"])
        await mkdir(join(this.root, dir), { recursive: true });
      const records = await this.registry.list().catch(() => []);
      await sweepLeftovers(
        this.root,
        records.map((record) => this.folderFor(record)),
        this.staleLockMs,
      );
    })();
    return this.ready.catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
  }

  private async createStore(
    id: string,
    fields: { name: string; description: string; metadata: Metadata },
    dir: string,
    folder: string | null,
  ): Promise<MemoryStore> {
    await this.ensureRoot();
    try {
      await mkdir(dir);
    } catch (error) {
      if (isErrno(error, "EEXIST")) {
        throw new NocturneError(
          "invalid_input",
          `Folder ${dir} already exists. A new memory store needs a new folder (Nocturne never writes into an existing one); choose another path.`,
          { details: { folder: dir } },
        );
      }
      throw error;
    }
    const real = await realpath(dir);
    const store = storageRules.newMemoryStore(fields, id);
    const now = store.created_at;
    await mkdir(join(real, META_DIR, "tmp"), { recursive: true });
    await mkdir(join(real, META_DIR, "journal"));
    await this.writeIdentity(real, { id, created_at: now });
    await this.registry.change(() =>
      this.registry.write({
        version: 1,
        store,
        folder: folder === null ? null : real,
        owned: true,
        read_only: false,
        lock: null,
      }),
    );
    return store;
  }

  /** Records a store folder's id in it, so it is the same store (with its versions) whichever root mounts it. */
  private async writeIdentity(dir: string, identity: StoreIdentity): Promise<void> {
    await mkdir(join(dir, META_DIR), { recursive: true });
    await writeFileAtomic(join(dir, META_DIR, "store.json"), `${JSON.stringify(identity, null, 2)}\n`, {
      durable: this.durable,
    });
  }

  private async readIdentity(dir: string): Promise<StoreIdentity | null> {
    try {
      const value = JSON.parse(await readFile(join(dir, META_DIR, "store.json"), "utf8")) as Partial<StoreIdentity>;
      return typeof value.id === "string" && typeof value.created_at === "string"
        ? { id: value.id, created_at: value.created_at }
        : null;
    } catch {
      return null;
    }
  }

  private async changeRecord(
    id: string,
    action: string,
    change: (record: StoreRecord) => StoreRecord,
  ): Promise<MemoryStore> {
    return this.guard(action, async () => {
      return this.registry.change(async () => {
        const record = await this.registry.read(id);
        if (!record) throw storageRules.storeNotFound(id);
        const next = change(record);
        if (next !== record) await this.registry.write(next);
        return next.store;
      });
    });
  }

  private folderFor(record: StoreRecord): StoreFolder {
    return {
      storeId: record.store.id,
      dir: record.folder ?? join(this.root, "stores", record.store.id),
      readOnly: record.read_only,
    };
  }

  private async folderOrNull(storeId: string): Promise<StoreFolder | null> {
    const record = await this.registry.read(storeId);
    return record ? this.folderFor(record) : null;
  }

  private async requireFolder(storeId: string): Promise<StoreFolder> {
    const folder = await this.folderOrNull(storeId);
    if (!folder) throw storageRules.storeNotFound(storeId);
    return folder;
  }

  /** Runs `task` holding the store's lock: one writer at a time in this process, and across processes. */
  private withStoreLock<T>(folder: StoreFolder, task: () => Promise<T>): Promise<T> {
    return this.mutex.run(`store:${folder.dir}`, async () => {
      const release = await acquireFileLock(join(folder.dir, META_DIR, "lock"), {
        timeoutMs: this.lockTimeoutMs,
        staleMs: this.staleLockMs,
        what: `Memory store ${folder.storeId} (${folder.dir})`,
      }).catch((error: unknown) => {
        if (isErrno(error, "ENOENT")) throw storageRules.storeNotFound(folder.storeId);
        throw error;
      });
      try {
        return await task();
      } finally {
        await release();
      }
    });
  }

  /** Before a read: if a writer left a journal, wait for it (or finish it, if it died) so reads see whole batches. */
  private async settleForRead(folder: StoreFolder): Promise<void> {
    if (folder.readOnly || !(await hasPendingJournal(folder))) return;
    await this.withStoreLock(folder, () => settleJournal(folder, this.durable, this.staleLockMs));
  }

  private write<T>(
    storeId: string,
    action: string,
    plan: (plan: WritePlan, folder: StoreFolder) => Promise<T>,
  ): Promise<T> {
    return this.guard(action, async () => {
      const known = await this.requireFolder(storeId);
      if (known.readOnly) throw readOnlyStore(known);
      return this.withStoreLock(known, async () => {
        const record = await this.registry.read(storeId);
        if (!record) throw storageRules.storeNotFound(storeId);
        const folder = this.folderFor(record);
        if (record.store.archived_at !== null) throw storageRules.storeArchived(record.store);
        if (folder.readOnly) throw readOnlyStore(folder);
        await settleJournal(folder, this.durable, this.staleLockMs);
        const staged = new WritePlan(folder);
        const result = await plan(staged, folder);
        await commitOps(folder, staged.ops(), this.durable);
        for (const memory of staged.written()) this.remember(memory);
        return result;
      });
    });
  }

  private remember(memory: Memory): Memory {
    let index = this.idIndex.get(memory.memory_store_id);
    if (!index) {
      index = new Map();
      this.idIndex.set(memory.memory_store_id, index);
    }
    index.set(memory.id, memory.path);
    return memory;
  }

  /** Finds a memory by id: through the index of ids seen so far, else by reading every path's metadata. */
  private async findById(folder: StoreFolder, memoryId: string): Promise<Memory | null> {
    const cached = this.idIndex.get(folder.storeId)?.get(memoryId);
    if (cached !== undefined) {
      const found = await probeMemory(folder, cached);
      if (found.kind === "memory" && found.memory.id === memoryId) return found.memory;
    }
    const paths = await listMemoryPaths(folder, "", this.warn.bind(this));
    const index = new Map<string, string>();
    for (let i = 0; i < paths.length; i += SCAN_BATCH) {
      const batch = paths.slice(i, i + SCAN_BATCH);
      const metas = await Promise.all(batch.map((path) => readMeta(folder, path)));
      for (const [j, path] of batch.entries()) index.set(metas[j]?.id ?? derivedMemoryId(folder.storeId, path), path);
    }
    this.idIndex.set(folder.storeId, index);
    const path = index.get(memoryId);
    if (path === undefined) return null;
    const found = await probeMemory(folder, path);
    return found.kind === "memory" && found.memory.id === memoryId ? found.memory : null;
  }

  private warn(storeId: string, path: string, message: string): void {
    const key = `${storeId}\u0000${path}\u0000${message}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.onWarning?.({ memory_store_id: storeId, path, message: `Skipped ${path}: ${message}.` });
  }
}

/**
 * Creates a folder-backed StorageAdapter.
 *
 * @example
 * const storage = createFsAdapter({ root: "~/.nocturne" });
 * const notes = await storage.mountFolder("./my-notes");            // read-only input, nothing written into it
 * const out = await storage.createMemoryStoreAt("./consolidated", { name: "Consolidated notes" });
 */
export function createFsAdapter(options: FsAdapterOptions): FsAdapter {
  return new FsAdapter(options);
}
