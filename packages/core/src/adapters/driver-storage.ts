import { z } from "zod";
import type { SessionWriter } from "../ports/session-writer.js";
import type {
  AdapterCapabilities,
  DreamRecord,
  ListArchivableOptions,
  MemoryVersionLog,
  StorageAdapter,
} from "../ports/storage-adapter.js";
import type { DriverEntry, DriverWrite, StorageDriver } from "../ports/storage-driver.js";
import type { Page, PageOptions } from "../schemas/common.js";
import type { Dream } from "../schemas/dream.js";
import {
  type CreateMemoryInput,
  type ListMemoriesOptions,
  type Memory,
  type MemoryWrite,
  MemoryWrite as MemoryWriteSchema,
  type Precondition,
  type UpdateMemoryInput,
} from "../schemas/memory.js";
import { CreateMemoryStoreInput, type MemoryStore, UpdateMemoryStoreInput } from "../schemas/memory-store.js";
import type { MemoryActor, MemoryWriteOptions } from "../schemas/memory-version.js";
import type { Session, SessionSummary } from "../schemas/session.js";
import { copyPlain } from "../util/copy-steps.js";
import { nowIso } from "../util/time.js";
import { driverDreams } from "./driver-dreams.js";
import {
  commitWith,
  keyedQueue,
  listAll,
  MEMORIES,
  MEMORY_PATHS,
  pageOfEntries,
  STORES,
  type StoreRecord,
  storeKey,
  VERSIONS,
} from "./driver-records.js";
import { driverSessions } from "./driver-sessions.js";
import { driverVersionLog } from "./driver-version-log.js";
import { compareUtf8, pageOf } from "./paging.js";
import { bufferedSessionWriter } from "./session-writer-for.js";
import {
  buildMemory,
  checkCreateMemory,
  checkPath,
  checkUpdateMemory,
  checkWriteOptions,
  memoryNotFound,
  newMemory,
  newMemoryStore,
  nextLineage,
  parseInput,
  pathClash,
  pathConflict,
  preconditionFailed,
  storeArchived,
  storeLocked,
  storeNotFound,
  upsertedMemory,
} from "./storage-rules.js";
import { StoreChange } from "./store-change.js";

/** Options for {@link createDriverStorage}. */
export interface DriverStorageOptions {
  /** Record every memory write as a version, readable through `memoryVersions`. Default false. */
  memoryVersions?: boolean;
}

/**
 * A whole {@link StorageAdapter} on top of a {@link StorageDriver}: every rule (input checks, paths and their
 * clashes, preconditions, the dream lock, archived stores, paging, copies, timestamps, lineage, versions) lives
 * here once, and reaches the driver as plain gets, lists and conditional commits. Every write to a store commits
 * on the version of the store's record, so concurrent writers (in this process or, with a multi-process driver,
 * in others) serialize: one wins, the others read again and retry.
 */
export class DriverStorage implements StorageAdapter {
  readonly name: string;
  readonly capabilities: AdapterCapabilities;
  readonly memoryVersions?: MemoryVersionLog;
  private readonly serial = keyedQueue();

  constructor(
    private readonly driver: StorageDriver,
    options: DriverStorageOptions = {},
  ) {
    const versions = options.memoryVersions === true;
    this.name = driver.name;
    this.capabilities = { ...driver.capabilities, memoryVersions: versions };
    if (versions) {
      this.memoryVersions = driverVersionLog(driver, (storeId, plan) => this.writeStore(storeId, plan));
    }
  }

  async createMemoryStore(input: CreateMemoryStoreInput): Promise<MemoryStore> {
    const fields = parseInput(CreateMemoryStoreInput, input, "memory store");
    const store = newMemoryStore(fields);
    const value: StoreRecord = { store, lock: null };
    await commitWith(this.driver, async () => ({
      writes: [{ op: "put", collection: STORES, key: store.id, value, expected: null }],
      result: undefined,
    }));
    return copyPlain(store);
  }

  async getMemoryStore(id: string): Promise<MemoryStore | null> {
    const entry = await this.driver.get(STORES, id);
    return entry ? copyPlain((entry.value as StoreRecord).store) : null;
  }

  async listMemoryStores(options: ListArchivableOptions = {}): Promise<Page<MemoryStore>> {
    const stores = (await listAll(this.driver, STORES))
      .map((entry) => (entry.value as StoreRecord).store)
      .filter((store) => options.include_archived || store.archived_at === null);
    return copyPlain(pageOf(stores, (store) => store.id, options.limit, options.after, compareUtf8));
  }

  async updateMemoryStore(id: string, input: UpdateMemoryStoreInput): Promise<MemoryStore> {
    const patch = parseInput(UpdateMemoryStoreInput, input, "memory store update");
    return this.changeStoreRecord(id, (record) => ({
      ...record,
      store: { ...record.store, ...definedOnly(patch), updated_at: nowIso() },
    }));
  }

  async archiveMemoryStore(id: string): Promise<MemoryStore> {
    return this.changeStoreRecord(id, (record) => {
      if (record.lock !== null) throw storeLocked(id, record.lock);
      if (record.store.archived_at !== null) return record;
      const now = nowIso();
      return { ...record, store: { ...record.store, archived_at: now, updated_at: now } };
    });
  }

  async deleteMemoryStore(id: string): Promise<void> {
    await this.writeStore(id, async (entry) => {
      const { lock } = entry.value as StoreRecord;
      if (lock !== null) throw storeLocked(id, lock);
      const writes: DriverWrite[] = [{ op: "delete", collection: STORES, key: id, expected: entry.version }];
      for (const collection of [MEMORIES, MEMORY_PATHS, VERSIONS]) {
        for (const { key } of await listAll(this.driver, collection, storeKey(id))) {
          writes.push({ op: "delete", collection, key });
        }
      }
      return { writes, result: undefined };
    });
  }

  async setMemoryStoreLock(id: string, dreamId: string | null): Promise<void> {
    await this.changeStoreRecord(id, (record) => ({ ...record, lock: dreamId }));
  }

  async createMemory(storeId: string, input: CreateMemoryInput, options?: MemoryWriteOptions): Promise<Memory> {
    const { path, content, lineage } = checkCreateMemory(input);
    const { actor } = checkWriteOptions(options);
    return this.changeMemories(storeId, actor, async (change) => {
      if (await change.at(path)) throw pathConflict(storeId, path);
      const clash = await change.clash(path);
      if (clash !== null) throw pathClash(storeId, path, clash);
      return change.put(null, newMemory(storeId, path, content, change.now, lineage ?? null));
    });
  }

  async getMemory(storeId: string, memoryId: string): Promise<Memory | null> {
    for (;;) {
      const index = await this.driver.get(MEMORY_PATHS, storeKey(storeId, memoryId));
      if (!index) return null;
      const found = await this.driver.get(MEMORIES, storeKey(storeId, index.value as string));
      const memory = found?.value as Memory | undefined;
      if (memory?.id === memoryId) return memory.memory_store_id === storeId ? copyPlain(memory) : null;
      const again = await this.driver.get(MEMORY_PATHS, storeKey(storeId, memoryId));
      if (again?.version === index.version) return null;
    }
  }

  async getMemoryByPath(storeId: string, path: string): Promise<Memory | null> {
    checkPath(path);
    const memory = (await this.driver.get(MEMORIES, storeKey(storeId, path)))?.value as Memory | undefined;
    return memory?.memory_store_id === storeId ? copyPlain(memory) : null;
  }

  async updateMemory(
    storeId: string,
    memoryId: string,
    input: UpdateMemoryInput,
    options?: MemoryWriteOptions,
  ): Promise<Memory> {
    const patch = checkUpdateMemory(input);
    const { actor } = checkWriteOptions(options);
    return this.changeMemories(storeId, actor, async (change) => {
      const current = await change.byId(memoryId);
      if (!current) throw memoryNotFound(storeId, memoryId);
      checkPrecondition(current.path, current, patch.precondition);
      const path = patch.path ?? current.path;
      if (path !== current.path) {
        if (await change.at(path)) throw pathConflict(storeId, path);
        const clash = await change.clash(path, current.path);
        if (clash !== null) throw pathClash(storeId, path, clash);
      }
      const updated = buildMemory({
        ...current,
        path,
        content: patch.content ?? current.content,
        updated_at: change.now,
        lineage: nextLineage(patch.lineage, current.lineage),
      });
      return change.put(current, updated);
    });
  }

  async deleteMemory(
    storeId: string,
    memoryId: string,
    options: { precondition?: Precondition } & MemoryWriteOptions = {},
  ): Promise<void> {
    const { actor } = checkWriteOptions({ actor: options.actor });
    await this.changeMemories(storeId, actor, async (change) => {
      const current = await change.byId(memoryId);
      if (!current) throw memoryNotFound(storeId, memoryId);
      checkPrecondition(current.path, current, options.precondition);
      change.remove(current);
    });
  }

  async listMemories(storeId: string, options: ListMemoriesOptions = {}): Promise<Page<Memory>> {
    await this.requireStore(storeId);
    return pageOfEntries(this.driver, MEMORIES, storeKey(storeId), {
      prefix: options.path_prefix,
      after: options.after,
      limit: options.limit,
    });
  }

  async writeMemories(storeId: string, writes: MemoryWrite[], options?: MemoryWriteOptions): Promise<Memory[]> {
    const checked = parseInput(z.array(MemoryWriteSchema), writes, "memory writes");
    const { actor } = checkWriteOptions(options);
    return this.changeMemories(storeId, actor, async (change) => {
      const written: Memory[] = [];
      for (const write of checked) {
        const current = await change.at(write.path);
        checkPrecondition(write.path, current, write.precondition);
        if (write.op === "delete") {
          if (current) change.remove(current);
          continue;
        }
        if (!current) {
          const clash = await change.clash(write.path);
          if (clash !== null) throw pathClash(storeId, write.path, clash);
        }
        written.push(change.put(current, upsertedMemory(storeId, current, write, change.now)));
      }
      return written;
    });
  }

  async putSession(session: Session): Promise<Session> {
    return driverSessions.put(this.driver, session);
  }

  /** Gathers the checked parts in memory and stores the session with one `putSession` at commit. */
  async openSessionWriter(): Promise<SessionWriter> {
    return bufferedSessionWriter(this);
  }

  async getSession(id: string): Promise<Session | null> {
    return driverSessions.get(this.driver, id);
  }

  async listSessions(options: PageOptions = {}): Promise<Page<SessionSummary>> {
    return driverSessions.list(this.driver, options);
  }

  async deleteSession(id: string): Promise<void> {
    return driverSessions.delete(this.driver, id);
  }

  async putDreamRecord(record: DreamRecord): Promise<void> {
    return driverDreams.put(this.driver, record);
  }

  async getDreamRecord(id: string, options: { report?: boolean } = {}): Promise<DreamRecord | null> {
    return driverDreams.get(this.driver, id, options);
  }

  async listDreams(options: ListArchivableOptions = {}): Promise<Page<Dream>> {
    return driverDreams.list(this.driver, options);
  }

  async close(): Promise<void> {
    await this.driver.close?.();
  }

  private async requireStore(id: string): Promise<DriverEntry> {
    const entry = await this.driver.get(STORES, id);
    if (!entry) throw storeNotFound(id);
    return entry;
  }

  /**
   * Plans a write of store `id`'s records from its record as read, and commits it; one at a time per store in
   * this process, retried on conflicts with other processes. An error thrown on an outdated read retries too.
   */
  private writeStore<T>(
    id: string,
    plan: (entry: DriverEntry) => Promise<{ writes: DriverWrite[]; result: T }>,
  ): Promise<T> {
    let read: DriverEntry | undefined;
    return this.serial(id, () =>
      commitWith(
        this.driver,
        async () => {
          read = undefined;
          read = await this.requireStore(id);
          return plan(read);
        },
        async () => read !== undefined && (await this.driver.get(STORES, id))?.version !== read.version,
      ),
    );
  }

  private async changeStoreRecord(id: string, next: (record: StoreRecord) => StoreRecord): Promise<MemoryStore> {
    const store = await this.writeStore(id, async (entry) => {
      const value = next(entry.value as StoreRecord);
      return {
        writes: [{ op: "put", collection: STORES, key: id, value, expected: entry.version }],
        result: value.store,
      };
    });
    return copyPlain(store);
  }

  private async changeMemories<T>(
    storeId: string,
    actor: MemoryActor | undefined,
    work: (change: StoreChange) => Promise<T>,
  ): Promise<T> {
    const keepVersions = this.capabilities.memoryVersions === true;
    const result = await this.writeStore(storeId, async (entry) => {
      const { store } = entry.value as StoreRecord;
      if (store.archived_at !== null) throw storeArchived(store);
      const change = new StoreChange(this.driver, storeId, entry, actor, keepVersions);
      const result = await work(change);
      return { writes: change.writes(), result };
    });
    return copyPlain(result);
  }
}

function checkPrecondition(path: string, current: Memory | null, precondition: Precondition | undefined): void {
  if (precondition && precondition.content_sha256 !== current?.content_sha256) {
    throw preconditionFailed(path, precondition.content_sha256, current?.content_sha256 ?? null);
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A {@link StorageAdapter} over `driver`, with every rule kept by core. See {@link DriverStorage}. */
export function createDriverStorage(driver: StorageDriver, options?: DriverStorageOptions): DriverStorage {
  return new DriverStorage(driver, options);
}
