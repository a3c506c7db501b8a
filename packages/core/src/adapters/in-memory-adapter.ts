import { z } from "zod";
import type { SessionWriter } from "../ports/session-writer.js";
import type {
  AdapterCapabilities,
  DreamRecord,
  ListArchivableOptions,
  MemoryVersionLog,
  StorageAdapter,
} from "../ports/storage-adapter.js";
import type { Page, PageOptions } from "../schemas/common.js";
import type { Dream } from "../schemas/dream.js";
import type {
  CreateMemoryInput,
  ListMemoriesOptions,
  Memory,
  MemoryWrite,
  Precondition,
  UpdateMemoryInput,
} from "../schemas/memory.js";
import { MemoryWrite as MemoryWriteSchema } from "../schemas/memory.js";
import { CreateMemoryStoreInput, type MemoryStore, UpdateMemoryStoreInput } from "../schemas/memory-store.js";
import type { MemoryVersion, MemoryWriteOptions } from "../schemas/memory-version.js";
import type { Session, SessionEvent, SessionSummary } from "../schemas/session.js";
import { copySteps } from "../util/copy-steps.js";
import { newId } from "../util/ids.js";
import { createPacer } from "../util/pacer.js";
import { sortSteps } from "../util/sort-steps.js";
import { nowIso } from "../util/time.js";
import { FolderIndex } from "./folder-index.js";
import {
  buildMemory,
  checkCreateMemory,
  checkDreamRecord,
  checkListVersionsOptions,
  checkPath,
  checkSession,
  checkUpdateMemory,
  checkWriteOptions,
  compareUtf8,
  memoryNotFound,
  newMemory,
  nextLineage,
  pageOf,
  pageOfVersions,
  parseInput,
  pathClash,
  pathConflict,
  preconditionFailed,
  redactedVersion,
  sessionNotFound,
  sessionOf,
  sessionWriter,
  storeArchived,
  storeLocked,
  storeNotFound,
  upsertedMemory,
  versionNotFound,
  versionOf,
} from "./storage-rules.js";

/** A stored dream record: its head (dream and owner) at once, its report once copied. */
interface StoredDream {
  head: Omit<DreamRecord, "report">;
  report: DreamRecord["report"];
  /** The report's copy while it is made; readers of the whole record wait for it. */
  copying: Promise<void> | null;
}

interface StoreState {
  store: MemoryStore;
  lock: string | null;
  byPath: Map<string, Memory>;
  folders: FolderIndex;
  /** The memories in list order, kept until the next write. */
  sorted: Memory[] | null;
  /** Every version of the store's memories, oldest first. */
  versions: MemoryVersion[];
}

const byId = compareUtf8;

/**
 * The reference StorageAdapter: everything in process memory, nothing persisted. Every other adapter must behave
 * like this one (the conformance suite checks it). Values are copied in and out, so callers can't alias state.
 */
export class InMemoryAdapter implements StorageAdapter {
  readonly name = "memory";
  readonly capabilities: AdapterCapabilities = { persistent: false, multiProcess: false, memoryVersions: true };
  private readonly stores = new Map<string, StoreState>();
  private readonly sessions = new Map<string, Session>();
  private readonly dreams = new Map<string, StoredDream>();

  async createMemoryStore(input: CreateMemoryStoreInput): Promise<MemoryStore> {
    const fields = parseInput(CreateMemoryStoreInput, input, "memory store");
    const now = nowIso();
    const store: MemoryStore = {
      id: newId("memstore"),
      type: "memory_store",
      ...fields,
      created_at: now,
      updated_at: now,
      archived_at: null,
    };
    this.stores.set(store.id, {
      store,
      lock: null,
      byPath: new Map(),
      folders: new FolderIndex(),
      sorted: null,
      versions: [],
    });
    return structuredClone(store);
  }

  async getMemoryStore(id: string): Promise<MemoryStore | null> {
    const state = this.stores.get(id);
    return state ? structuredClone(state.store) : null;
  }

  async listMemoryStores(options: ListArchivableOptions = {}): Promise<Page<MemoryStore>> {
    const stores = [...this.stores.values()]
      .map((state) => state.store)
      .filter((store) => options.include_archived || store.archived_at === null)
      .sort((a, b) => byId(a.id, b.id));
    return structuredClone(pageOf(stores, (store) => store.id, options.limit, options.after, byId));
  }

  async updateMemoryStore(id: string, input: UpdateMemoryStoreInput): Promise<MemoryStore> {
    const patch = parseInput(UpdateMemoryStoreInput, input, "memory store update");
    const state = this.requireStore(id);
    state.store = { ...state.store, ...definedOnly(patch), updated_at: nowIso() };
    return structuredClone(state.store);
  }

  async archiveMemoryStore(id: string): Promise<MemoryStore> {
    const state = this.requireStore(id);
    if (state.lock !== null) throw storeLocked(id, state.lock);
    if (state.store.archived_at === null) {
      const now = nowIso();
      state.store = { ...state.store, archived_at: now, updated_at: now };
    }
    return structuredClone(state.store);
  }

  async deleteMemoryStore(id: string): Promise<void> {
    const state = this.requireStore(id);
    if (state.lock !== null) throw storeLocked(id, state.lock);
    this.stores.delete(id);
  }

  async setMemoryStoreLock(id: string, dreamId: string | null): Promise<void> {
    this.requireStore(id).lock = dreamId;
  }

  async createMemory(storeId: string, input: CreateMemoryInput, options?: MemoryWriteOptions): Promise<Memory> {
    const { path, content, lineage } = checkCreateMemory(input);
    const { actor } = checkWriteOptions(options);
    const state = this.requireWritableStore(storeId);
    if (state.byPath.has(path)) throw pathConflict(storeId, path);
    const clash = state.folders.clash(path, state.byPath);
    if (clash !== null) throw pathClash(storeId, path, clash);
    const now = nowIso();
    const memory = newMemory(storeId, path, content, now, lineage ?? null);
    state.byPath.set(path, memory);
    state.folders.add(path);
    state.sorted = null;
    record(state.versions, versionOf(null, memory, actor, now));
    return structuredClone(memory);
  }

  async getMemory(storeId: string, memoryId: string): Promise<Memory | null> {
    const found = this.findById(storeId, memoryId);
    return found ? structuredClone(found) : null;
  }

  async getMemoryByPath(storeId: string, path: string): Promise<Memory | null> {
    checkPath(path);
    const found = this.stores.get(storeId)?.byPath.get(path);
    return found ? structuredClone(found) : null;
  }

  async updateMemory(
    storeId: string,
    memoryId: string,
    input: UpdateMemoryInput,
    options?: MemoryWriteOptions,
  ): Promise<Memory> {
    const patch = checkUpdateMemory(input);
    const { actor } = checkWriteOptions(options);
    const state = this.requireWritableStore(storeId);
    const current = this.findById(storeId, memoryId);
    if (!current) throw memoryNotFound(storeId, memoryId);
    if (patch.precondition && patch.precondition.content_sha256 !== current.content_sha256) {
      throw preconditionFailed(current.path, patch.precondition.content_sha256, current.content_sha256);
    }
    const path = patch.path ?? current.path;
    if (path !== current.path) {
      if (state.byPath.has(path)) throw pathConflict(storeId, path);
      const clash = state.folders.clash(path, state.byPath, current.path);
      if (clash !== null) throw pathClash(storeId, path, clash);
    }
    const now = nowIso();
    const updated = buildMemory({
      ...current,
      path,
      content: patch.content ?? current.content,
      updated_at: now,
      lineage: nextLineage(patch.lineage, current.lineage),
    });
    record(state.versions, versionOf(current, updated, actor, now));
    state.byPath.delete(current.path);
    state.byPath.set(path, updated);
    state.folders.remove(current.path);
    state.folders.add(path);
    state.sorted = null;
    return structuredClone(updated);
  }

  async deleteMemory(
    storeId: string,
    memoryId: string,
    options: { precondition?: Precondition } & MemoryWriteOptions = {},
  ): Promise<void> {
    const { actor } = checkWriteOptions({ actor: options.actor });
    const state = this.requireWritableStore(storeId);
    const current = this.findById(storeId, memoryId);
    if (!current) throw memoryNotFound(storeId, memoryId);
    if (options.precondition && options.precondition.content_sha256 !== current.content_sha256) {
      throw preconditionFailed(current.path, options.precondition.content_sha256, current.content_sha256);
    }
    state.byPath.delete(current.path);
    state.folders.remove(current.path);
    state.sorted = null;
    record(state.versions, versionOf(current, null, actor, nowIso()));
  }

  async listMemories(storeId: string, options: ListMemoriesOptions = {}): Promise<Page<Memory>> {
    const state = this.requireStore(storeId);
    const prefix = options.path_prefix ?? "";
    state.sorted ??= await createPacer().run(
      sortSteps([...state.byPath.values()], (a, b) => compareUtf8(a.path, b.path)),
    );
    const memories = prefix === "" ? state.sorted : state.sorted.filter((memory) => memory.path.startsWith(prefix));
    return structuredClone(pageOf(memories, (memory) => memory.path, options.limit, options.after, compareUtf8));
  }

  async writeMemories(storeId: string, writes: MemoryWrite[], options?: MemoryWriteOptions): Promise<Memory[]> {
    const checked = parseInput(z.array(MemoryWriteSchema), writes, "memory writes");
    const { actor } = checkWriteOptions(options);
    const state = this.requireWritableStore(storeId);
    const next = new Map(state.byPath);
    const folders = state.folders.clone();
    const written: Memory[] = [];
    const versions: MemoryVersion[] = [];
    const now = nowIso();
    for (const write of checked) {
      const current = next.get(write.path);
      if (write.precondition && write.precondition.content_sha256 !== current?.content_sha256) {
        throw preconditionFailed(write.path, write.precondition.content_sha256, current?.content_sha256 ?? null);
      }
      if (write.op === "delete") {
        if (next.delete(write.path)) folders.remove(write.path);
        record(versions, versionOf(current, null, actor, now));
        continue;
      }
      if (!current) {
        const clash = folders.clash(write.path, next);
        if (clash !== null) throw pathClash(storeId, write.path, clash);
        folders.add(write.path);
      }
      const memory = upsertedMemory(storeId, current, write, now);
      next.set(write.path, memory);
      written.push(memory);
      record(versions, versionOf(current, memory, actor, now));
    }
    state.versions.push(...versions);
    state.byPath = next;
    state.folders = folders;
    state.sorted = null;
    return structuredClone(written);
  }

  async putSession(session: Session): Promise<Session> {
    const checked = checkSession(session);
    this.sessions.set(checked.id, structuredClone(checked));
    return structuredClone(checked);
  }

  /** Stages parts in a list of its own; commit swaps the whole session in. */
  async openSessionWriter(): Promise<SessionWriter> {
    let staged: SessionEvent[] = [];
    return sessionWriter({
      stage: async (part) => {
        for (const event of structuredClone(part.events)) staged.push(event);
      },
      commit: async (header) => {
        this.sessions.set(header.id, sessionOf(structuredClone(header), staged));
        staged = [];
      },
      abort: async () => {
        staged = [];
      },
    });
  }

  async getSession(id: string): Promise<Session | null> {
    const session = this.sessions.get(id);
    return session ? structuredClone(session) : null;
  }

  async listSessions(options: PageOptions = {}): Promise<Page<SessionSummary>> {
    const summaries = [...this.sessions.values()]
      .map((session) => ({
        id: session.id,
        title: session.title,
        created_at: session.created_at,
        event_count: session.events.length,
      }))
      .sort((a, b) => byId(a.id, b.id));
    return pageOf(summaries, (summary) => summary.id, options.limit, options.after, byId);
  }

  async deleteSession(id: string): Promise<void> {
    if (!this.sessions.delete(id)) throw sessionNotFound(id);
  }

  /**
   * Stores the dream and owner at once and copies the report in paced steps, so a large report never holds the
   * event loop; keep the record unchanged until this resolves. Reads see the last record put, whole.
   */
  async putDreamRecord(record: DreamRecord): Promise<void> {
    checkDreamRecord(record);
    const { report, ...head } = record;
    const previous = this.dreams.get(record.dream.id);
    const stored: StoredDream = { head: structuredClone(head), report: null, copying: null };
    this.dreams.set(record.dream.id, stored);
    stored.copying = createPacer()
      .run(copySteps(report))
      .then(
        (copy) => {
          stored.report = copy;
          stored.copying = null;
        },
        (error: unknown) => {
          if (this.dreams.get(record.dream.id) === stored) {
            if (previous) this.dreams.set(record.dream.id, previous);
            else this.dreams.delete(record.dream.id);
          }
          throw error;
        },
      );
    await stored.copying;
  }

  async getDreamRecord(id: string, options: { report?: boolean } = {}): Promise<DreamRecord | null> {
    const stored = this.dreams.get(id);
    if (!stored) return null;
    if (options.report === false) return { ...structuredClone(stored.head), report: null };
    if (stored.copying !== null) {
      await stored.copying.catch(() => undefined);
      if (stored.copying !== null) return this.getDreamRecord(id, options);
    }
    return { ...structuredClone(stored.head), report: structuredClone(stored.report) };
  }

  async listDreams(options: ListArchivableOptions = {}): Promise<Page<Dream>> {
    const newestFirst = (a: string, b: string) => byId(b, a);
    const dreams = [...this.dreams.values()]
      .map((stored) => stored.head.dream)
      .filter((dream) => options.include_archived || dream.archived_at === null)
      .sort((a, b) => newestFirst(a.id, b.id));
    return structuredClone(pageOf(dreams, (dream) => dream.id, options.limit, options.after, newestFirst));
  }

  /** The store's memory versions, kept in process memory with the store. */
  readonly memoryVersions: MemoryVersionLog = {
    list: async (storeId, options) => {
      const checked = checkListVersionsOptions(options);
      const newestFirst = [...this.requireStore(storeId).versions].reverse();
      return structuredClone(pageOfVersions(newestFirst, checked));
    },
    get: async (storeId, versionId) => {
      const found = this.stores.get(storeId)?.versions.find((version) => version.id === versionId);
      return found ? structuredClone(found) : null;
    },
    redact: async (storeId, versionId, options) => {
      const { actor } = checkWriteOptions(options);
      const { versions } = this.requireStore(storeId);
      const index = versions.findIndex((version) => version.id === versionId);
      const found = versions[index];
      if (!found) throw versionNotFound(storeId, versionId);
      const redacted = redactedVersion(found, actor, nowIso());
      versions[index] = redacted;
      return structuredClone(redacted);
    },
  };

  private requireStore(id: string): StoreState {
    const state = this.stores.get(id);
    if (!state) throw storeNotFound(id);
    return state;
  }

  private requireWritableStore(id: string): StoreState {
    const state = this.requireStore(id);
    if (state.store.archived_at !== null) throw storeArchived(state.store);
    return state;
  }

  private findById(storeId: string, memoryId: string): Memory | undefined {
    const state = this.stores.get(storeId);
    if (!state) return undefined;
    for (const memory of state.byPath.values()) if (memory.id === memoryId) return memory;
    return undefined;
  }
}

function record(versions: MemoryVersion[], version: MemoryVersion | null): void {
  if (version !== null) versions.push(version);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Creates the reference in-memory adapter. */
export function createInMemoryAdapter(): InMemoryAdapter {
  return new InMemoryAdapter();
}
