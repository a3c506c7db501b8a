// What an adopter writes: a StorageAdapter kept in Maps, built only on @nocturne/core's public API. The adopter check
// copies this folder into its fresh project, type-checks it and runs the published conformance suite against it.
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
  MemoryWrite,
  type Page,
  type PageOptions,
  type Precondition,
  type Session,
  type SessionSummary,
  type StorageAdapter,
  storageRules,
  type UpdateMemoryInput,
  UpdateMemoryStoreInput,
} from "@nocturne/core";

interface StoreEntry {
  store: MemoryStore;
  lock: string | null;
  memories: Map<string, Memory>;
}

interface MapState {
  stores: Map<string, StoreEntry>;
  sessions: Map<string, Session>;
  dreams: Map<string, DreamRecord>;
}

const { compareUtf8 } = storageRules;
const now = () => new Date().toISOString();

/** A StorageAdapter over Maps: every result is a copy, every change applies whole or not at all. */
export class MapAdapter implements StorageAdapter {
  readonly name = "map";
  readonly capabilities: AdapterCapabilities = { persistent: false, multiProcess: false };
  private state: MapState = { stores: new Map(), sessions: new Map(), dreams: new Map() };

  async createMemoryStore(input: CreateMemoryStoreInput): Promise<MemoryStore> {
    const fields = storageRules.parseInput(CreateMemoryStoreInput, input, "memory store");
    return this.change((state) => {
      const store = storageRules.newMemoryStore(fields);
      state.stores.set(store.id, { store, lock: null, memories: new Map() });
      return store;
    });
  }

  async getMemoryStore(id: string): Promise<MemoryStore | null> {
    return this.read((state) => state.stores.get(id)?.store ?? null);
  }

  async listMemoryStores(options: ListArchivableOptions = {}): Promise<Page<MemoryStore>> {
    return this.read((state) => {
      const stores = [...state.stores.values()]
        .map((entry) => entry.store)
        .filter((store) => options.include_archived || store.archived_at === null)
        .sort((a, b) => compareUtf8(a.id, b.id));
      return storageRules.pageOf(stores, (store) => store.id, options.limit, options.after, compareUtf8);
    });
  }

  async updateMemoryStore(id: string, input: UpdateMemoryStoreInput): Promise<MemoryStore> {
    const { name, description, metadata } = storageRules.parseInput(UpdateMemoryStoreInput, input, "store update");
    return this.change((state) => {
      const entry = requireStore(state, id);
      entry.store = {
        ...entry.store,
        ...(name !== undefined && { name }),
        ...(description !== undefined && { description }),
        ...(metadata !== undefined && { metadata }),
        updated_at: now(),
      };
      return entry.store;
    });
  }

  async archiveMemoryStore(id: string): Promise<MemoryStore> {
    return this.change((state) => {
      const entry = requireStore(state, id);
      if (entry.lock !== null) throw storageRules.storeLocked(id, entry.lock);
      if (entry.store.archived_at === null) {
        const at = now();
        entry.store = { ...entry.store, archived_at: at, updated_at: at };
      }
      return entry.store;
    });
  }

  async deleteMemoryStore(id: string): Promise<void> {
    return this.change((state) => {
      const entry = requireStore(state, id);
      if (entry.lock !== null) throw storageRules.storeLocked(id, entry.lock);
      state.stores.delete(id);
    });
  }

  async setMemoryStoreLock(id: string, dreamId: string | null): Promise<void> {
    return this.change((state) => {
      requireStore(state, id).lock = dreamId;
    });
  }

  async createMemory(storeId: string, input: CreateMemoryInput): Promise<Memory> {
    const { path, content, lineage } = storageRules.checkCreateMemory(input);
    return this.change((state) => {
      const entry = requireWritable(state, storeId);
      if (entry.memories.has(path)) throw storageRules.pathConflict(storeId, path);
      assertNoClash(entry, storeId, path);
      const memory = storageRules.newMemory(storeId, path, content, now(), lineage ?? null);
      entry.memories.set(path, memory);
      return memory;
    });
  }

  async getMemory(storeId: string, memoryId: string): Promise<Memory | null> {
    return this.read((state) => findById(state.stores.get(storeId), memoryId) ?? null);
  }

  async getMemoryByPath(storeId: string, path: string): Promise<Memory | null> {
    storageRules.checkPath(path);
    return this.read((state) => state.stores.get(storeId)?.memories.get(path) ?? null);
  }

  async updateMemory(storeId: string, memoryId: string, input: UpdateMemoryInput): Promise<Memory> {
    const patch = storageRules.checkUpdateMemory(input);
    return this.change((state) => {
      const entry = requireWritable(state, storeId);
      const current = findById(entry, memoryId);
      if (!current) throw storageRules.memoryNotFound(storeId, memoryId);
      checkPrecondition(current, current.path, patch.precondition);
      const path = patch.path ?? current.path;
      entry.memories.delete(current.path);
      if (entry.memories.has(path)) throw storageRules.pathConflict(storeId, path);
      assertNoClash(entry, storeId, path);
      const updated = storageRules.buildMemory({
        ...current,
        path,
        content: patch.content ?? current.content,
        updated_at: now(),
        lineage: storageRules.nextLineage(patch.lineage, current.lineage),
      });
      entry.memories.set(path, updated);
      return updated;
    });
  }

  async deleteMemory(storeId: string, memoryId: string, options: { precondition?: Precondition } = {}): Promise<void> {
    return this.change((state) => {
      const entry = requireWritable(state, storeId);
      const current = findById(entry, memoryId);
      if (!current) throw storageRules.memoryNotFound(storeId, memoryId);
      checkPrecondition(current, current.path, options.precondition);
      entry.memories.delete(current.path);
    });
  }

  async listMemories(storeId: string, options: ListMemoriesOptions = {}): Promise<Page<Memory>> {
    return this.read((state) => {
      const entry = state.stores.get(storeId);
      if (!entry) throw storageRules.storeNotFound(storeId);
      const prefix = options.path_prefix ?? "";
      const memories = [...entry.memories.values()]
        .filter((memory) => memory.path.startsWith(prefix))
        .sort((a, b) => compareUtf8(a.path, b.path));
      return storageRules.pageOf(memories, (memory) => memory.path, options.limit, options.after, compareUtf8);
    });
  }

  async writeMemories(storeId: string, writes: MemoryWrite[]): Promise<Memory[]> {
    const checked = storageRules.parseInput(MemoryWrite.array(), writes, "memory writes");
    return this.change((state) => {
      const entry = requireWritable(state, storeId);
      const written: Memory[] = [];
      const at = now();
      for (const write of checked) {
        const current = entry.memories.get(write.path);
        checkPrecondition(current, write.path, write.precondition);
        if (write.op === "delete") {
          entry.memories.delete(write.path);
          continue;
        }
        if (!current) assertNoClash(entry, storeId, write.path);
        const memory = storageRules.upsertedMemory(storeId, current, write, at);
        entry.memories.set(write.path, memory);
        written.push(memory);
      }
      return written;
    });
  }

  async putSession(session: Session): Promise<Session> {
    const checked = storageRules.checkSession(session);
    return this.change((state) => {
      state.sessions.set(checked.id, checked);
      return checked;
    });
  }

  async getSession(id: string): Promise<Session | null> {
    return this.read((state) => state.sessions.get(id) ?? null);
  }

  async listSessions(options: PageOptions = {}): Promise<Page<SessionSummary>> {
    return this.read((state) => {
      const summaries = [...state.sessions.values()]
        .map(({ id, title, created_at, events }) => ({ id, title, created_at, event_count: events.length }))
        .sort((a, b) => compareUtf8(a.id, b.id));
      return storageRules.pageOf(summaries, (summary) => summary.id, options.limit, options.after, compareUtf8);
    });
  }

  async deleteSession(id: string): Promise<void> {
    return this.change((state) => {
      if (!state.sessions.delete(id)) throw storageRules.sessionNotFound(id);
    });
  }

  async putDreamRecord(record: DreamRecord): Promise<void> {
    storageRules.checkDreamRecord(record);
    return this.change((state) => {
      state.dreams.set(record.dream.id, structuredClone(record));
    });
  }

  async getDreamRecord(id: string): Promise<DreamRecord | null> {
    return this.read((state) => state.dreams.get(id) ?? null);
  }

  async listDreams(options: ListArchivableOptions = {}): Promise<Page<Dream>> {
    const newestFirst = (a: string, b: string) => compareUtf8(b, a);
    return this.read((state) => {
      const dreams = [...state.dreams.values()]
        .map((record) => record.dream)
        .filter((dream) => options.include_archived || dream.archived_at === null)
        .sort((a, b) => newestFirst(a.id, b.id));
      return storageRules.pageOf(dreams, (dream) => dream.id, options.limit, options.after, newestFirst);
    });
  }

  /** A read whose result is a copy: callers cannot change stored data through it. */
  private async read<T>(task: (state: MapState) => T): Promise<T> {
    return structuredClone(task(this.state));
  }

  /** A change made on a copy of the state, which replaces the state only when the change did not throw. */
  private async change<T>(task: (state: MapState) => T): Promise<T> {
    const draft = structuredClone(this.state);
    const result = task(draft);
    this.state = draft;
    return structuredClone(result);
  }
}

function requireStore(state: MapState, id: string): StoreEntry {
  const entry = state.stores.get(id);
  if (!entry) throw storageRules.storeNotFound(id);
  return entry;
}

function requireWritable(state: MapState, id: string): StoreEntry {
  const entry = requireStore(state, id);
  if (entry.store.archived_at !== null) throw storageRules.storeArchived(entry.store);
  return entry;
}

function findById(entry: StoreEntry | undefined, memoryId: string): Memory | undefined {
  return [...(entry?.memories.values() ?? [])].find((memory) => memory.id === memoryId);
}

function assertNoClash(entry: StoreEntry, storeId: string, path: string): void {
  const clash = storageRules.clashingPath(path, [...entry.memories.keys()]);
  if (clash !== null) throw storageRules.pathClash(storeId, path, clash);
}

function checkPrecondition(current: Memory | undefined, path: string, precondition?: Precondition): void {
  if (precondition && precondition.content_sha256 !== current?.content_sha256) {
    throw storageRules.preconditionFailed(path, precondition.content_sha256, current?.content_sha256 ?? null);
  }
}
