// A third-party StorageAdapter written from scratch against @nocturne/core's public API: the whole state lives in
// one JSON file, rewritten atomically (temporary file + rename) on every change. Small, persistent, single-process.
// It passes the conformance suite; see json-file-adapter.test.ts. Every method is `async`, so bad input rejects the
// returned promise instead of throwing before there is one.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
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
  NocturneError,
  newId,
  type Page,
  type PageOptions,
  type Precondition,
  type Session,
  type SessionEvent,
  type SessionSummary,
  type SessionWriter,
  type StorageAdapter,
  storageRules,
  type UpdateMemoryInput,
  UpdateMemoryStoreInput,
} from "@nocturne/core";

/** Everything the adapter keeps, as it is written to the file. */
interface JsonState {
  version: 1;
  stores: Record<string, { store: MemoryStore; lock: string | null; memories: Record<string, Memory> }>;
  sessions: Record<string, Session>;
  dreams: Record<string, DreamRecord>;
}

type StoreEntry = JsonState["stores"][string];

const empty = (): JsonState => ({ version: 1, stores: {}, sessions: {}, dreams: {} });
const now = () => new Date().toISOString();
const { compareUtf8 } = storageRules;

/** A StorageAdapter that keeps everything in one JSON file. One process at a time. */
export class JsonFileAdapter implements StorageAdapter {
  readonly name = "json-file";
  readonly capabilities: AdapterCapabilities = { persistent: true, multiProcess: false };
  private state: JsonState | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  // — stores

  async createMemoryStore(input: CreateMemoryStoreInput): Promise<MemoryStore> {
    const fields = storageRules.parseInput(CreateMemoryStoreInput, input, "memory store");
    return this.change((state) => {
      const at = now();
      const store: MemoryStore = {
        id: newId("memstore"),
        type: "memory_store",
        ...fields,
        created_at: at,
        updated_at: at,
        archived_at: null,
      };
      state.stores[store.id] = { store, lock: null, memories: {} };
      return store;
    });
  }

  async getMemoryStore(id: string): Promise<MemoryStore | null> {
    return this.read((state) => state.stores[id]?.store ?? null);
  }

  async listMemoryStores(options: ListArchivableOptions = {}): Promise<Page<MemoryStore>> {
    return this.read((state) => {
      const stores = Object.values(state.stores)
        .map((entry) => entry.store)
        .filter((store) => options.include_archived || store.archived_at === null)
        .sort((a, b) => compareUtf8(a.id, b.id));
      return storageRules.pageOf(stores, (store) => store.id, options.limit, options.after, compareUtf8);
    });
  }

  async updateMemoryStore(id: string, input: UpdateMemoryStoreInput): Promise<MemoryStore> {
    const patch = storageRules.parseInput(UpdateMemoryStoreInput, input, "memory store update");
    return this.change((state) => {
      const entry = requireStore(state, id);
      const { name, description, metadata } = patch;
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
      delete state.stores[id];
    });
  }

  async setMemoryStoreLock(id: string, dreamId: string | null): Promise<void> {
    return this.change((state) => {
      requireStore(state, id).lock = dreamId;
    });
  }

  // — memories

  async createMemory(storeId: string, input: CreateMemoryInput): Promise<Memory> {
    const { path, content, lineage } = storageRules.checkCreateMemory(input);
    return this.change((state) => {
      const entry = requireWritable(state, storeId);
      if (entry.memories[path]) throw storageRules.pathConflict(storeId, path);
      assertNoClash(entry, storeId, path);
      const at = now();
      const memory = storageRules.newMemory(storeId, path, content, at, lineage ?? null);
      entry.memories[path] = memory;
      return memory;
    });
  }

  async getMemory(storeId: string, memoryId: string): Promise<Memory | null> {
    return this.read((state) => findById(state.stores[storeId], memoryId) ?? null);
  }

  async getMemoryByPath(storeId: string, path: string): Promise<Memory | null> {
    storageRules.checkPath(path);
    return this.read((state) => state.stores[storeId]?.memories[path] ?? null);
  }

  async updateMemory(storeId: string, memoryId: string, input: UpdateMemoryInput): Promise<Memory> {
    const patch = storageRules.checkUpdateMemory(input);
    return this.change((state) => {
      const entry = requireWritable(state, storeId);
      const current = findById(entry, memoryId);
      if (!current) throw storageRules.memoryNotFound(storeId, memoryId);
      checkPrecondition(current, current.path, patch.precondition);
      const path = patch.path ?? current.path;
      delete entry.memories[current.path];
      if (entry.memories[path]) throw storageRules.pathConflict(storeId, path);
      assertNoClash(entry, storeId, path);
      const updated = storageRules.buildMemory({
        ...current,
        path,
        content: patch.content ?? current.content,
        updated_at: now(),
        lineage: storageRules.nextLineage(patch.lineage, current.lineage),
      });
      entry.memories[path] = updated;
      return updated;
    });
  }

  async deleteMemory(storeId: string, memoryId: string, options: { precondition?: Precondition } = {}): Promise<void> {
    return this.change((state) => {
      const entry = requireWritable(state, storeId);
      const current = findById(entry, memoryId);
      if (!current) throw storageRules.memoryNotFound(storeId, memoryId);
      checkPrecondition(current, current.path, options.precondition);
      delete entry.memories[current.path];
    });
  }

  async listMemories(storeId: string, options: ListMemoriesOptions = {}): Promise<Page<Memory>> {
    return this.read((state) => {
      const entry = state.stores[storeId];
      if (!entry) throw storageRules.storeNotFound(storeId);
      const prefix = options.path_prefix ?? "";
      const memories = Object.values(entry.memories)
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
        const current = entry.memories[write.path];
        checkPrecondition(current, write.path, write.precondition);
        if (write.op === "delete") {
          delete entry.memories[write.path];
          continue;
        }
        if (!current) assertNoClash(entry, storeId, write.path);
        const memory = storageRules.upsertedMemory(storeId, current, write, at);
        entry.memories[write.path] = memory;
        written.push(memory);
      }
      return written;
    });
  }

  // — sessions

  async putSession(session: Session): Promise<Session> {
    const checked = storageRules.checkSession(session);
    return this.change((state) => {
      state.sessions[checked.id] = checked;
      return checked;
    });
  }

  /**
   * Sessions written in parts. This adapter holds its whole state in memory anyway, so its driver only gathers the
   * checked parts and swaps the session in with one change at commit; `storageRules.sessionWriter` does the rest
   * (checks, batching, order of calls, abort on failure). An adapter that leaves this method out still works:
   * `sessionWriterFor` falls back to the same buffering and one `putSession`.
   */
  async openSessionWriter(): Promise<SessionWriter> {
    let staged: SessionEvent[] = [];
    return storageRules.sessionWriter({
      stage: async (part) => {
        for (const event of part.events) staged.push(event);
      },
      commit: (header) =>
        this.change((state) => {
          state.sessions[header.id] = storageRules.sessionOf(header, staged);
          staged = [];
        }),
      abort: async () => {
        staged = [];
      },
    });
  }

  async getSession(id: string): Promise<Session | null> {
    return this.read((state) => state.sessions[id] ?? null);
  }

  async listSessions(options: PageOptions = {}): Promise<Page<SessionSummary>> {
    return this.read((state) => {
      const summaries = Object.values(state.sessions)
        .map(({ id, title, created_at, events }) => ({ id, title, created_at, event_count: events.length }))
        .sort((a, b) => compareUtf8(a.id, b.id));
      return storageRules.pageOf(summaries, (summary) => summary.id, options.limit, options.after, compareUtf8);
    });
  }

  async deleteSession(id: string): Promise<void> {
    return this.change((state) => {
      if (!state.sessions[id]) throw storageRules.sessionNotFound(id);
      delete state.sessions[id];
    });
  }

  // — dreams

  async putDreamRecord(record: DreamRecord): Promise<void> {
    storageRules.checkDreamRecord(record);
    return this.change((state) => {
      state.dreams[record.dream.id] = structuredClone(record);
    });
  }

  async getDreamRecord(id: string): Promise<DreamRecord | null> {
    return this.read((state) => state.dreams[id] ?? null);
  }

  async listDreams(options: ListArchivableOptions = {}): Promise<Page<Dream>> {
    const newestFirst = (a: string, b: string) => compareUtf8(b, a);
    return this.read((state) => {
      const dreams = Object.values(state.dreams)
        .map((record) => record.dream)
        .filter((dream) => options.include_archived || dream.archived_at === null)
        .sort((a, b) => newestFirst(a.id, b.id));
      return storageRules.pageOf(dreams, (dream) => dream.id, options.limit, options.after, newestFirst);
    });
  }

  // — plumbing

  /** Runs a read against the current state; the result is a copy, so callers cannot change stored data. */
  private read<T>(task: (state: JsonState) => T): Promise<T> {
    return this.serially(async () => structuredClone(task(await this.load())));
  }

  /**
   * Runs a change on a copy of the state and writes the file; the copy replaces the state only once the file is
   * written, so a change that throws (or a failed write) leaves both the file and the state as they were.
   */
  private change<T>(task: (state: JsonState) => T): Promise<T> {
    return this.serially(async () => {
      const draft = structuredClone(await this.load());
      const result = task(draft);
      await this.save(draft);
      this.state = draft;
      return structuredClone(result);
    });
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<JsonState> {
    if (this.state) return this.state;
    try {
      this.state = JSON.parse(await readFile(this.file, "utf8")) as JsonState;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
        throw new NocturneError("storage_error", `Could not read ${this.file}: ${String(error)}.`, { cause: error });
      }
      this.state = empty();
    }
    return this.state;
  }

  private async save(state: JsonState): Promise<void> {
    const temp = `${this.file}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFile(temp, JSON.stringify(state), { flush: true });
      await rename(temp, this.file);
    } catch (error) {
      throw new NocturneError("storage_error", `Could not write ${this.file}: ${String(error)}.`, { cause: error });
    }
  }
}

function requireStore(state: JsonState, id: string): StoreEntry {
  const entry = state.stores[id];
  if (!entry) throw storageRules.storeNotFound(id);
  return entry;
}

function requireWritable(state: JsonState, id: string): StoreEntry {
  const entry = requireStore(state, id);
  if (entry.store.archived_at !== null) throw storageRules.storeArchived(entry.store);
  return entry;
}

function findById(entry: StoreEntry | undefined, memoryId: string): Memory | undefined {
  return Object.values(entry?.memories ?? {}).find((memory) => memory.id === memoryId);
}

function assertNoClash(entry: StoreEntry, storeId: string, path: string): void {
  const clash = storageRules.clashingPath(path, Object.keys(entry.memories));
  if (clash !== null) throw storageRules.pathClash(storeId, path, clash);
}

function checkPrecondition(current: Memory | undefined, path: string, precondition?: Precondition): void {
  if (precondition && precondition.content_sha256 !== current?.content_sha256) {
    throw storageRules.preconditionFailed(path, precondition.content_sha256, current?.content_sha256 ?? null);
  }
}

/** Creates the JSON-file adapter over `file` (created on the first write). */
export function createJsonFileAdapter(file: string): JsonFileAdapter {
  return new JsonFileAdapter(file);
}
