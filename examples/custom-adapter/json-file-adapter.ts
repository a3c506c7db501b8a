// A third-party storage driver written against @nocturne/core's public API: the whole state lives in one JSON
// file, rewritten atomically (temporary file + rename) on every commit. Small, persistent, single-process.
// The driver only stores keyed JSON values with versions; `createDriverStorage` turns it into a full
// StorageAdapter and keeps every rule (paths, preconditions, locks, paging, copies, timestamps, versions).
// It passes the conformance suite; see json-file-adapter.test.ts.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import {
  createDriverStorage,
  type DriverEntry,
  type DriverListOptions,
  type DriverStorage,
  type DriverWrite,
  NocturneError,
  type StorageDriver,
  storageRules,
} from "@nocturne/core";

/** A value as the driver keeps it. */
interface Stored {
  value: unknown;
  version: string;
}

/** The file: the counter versions are drawn from, and each collection's entries as [key, value, version]. */
interface JsonFile {
  format: 1;
  clock: number;
  collections: Record<string, Array<[string, unknown, string]>>;
}

const { compareUtf8 } = storageRules;

/** A StorageDriver that keeps everything in one JSON file. One process at a time. */
export class JsonFileDriver implements StorageDriver {
  readonly name = "json-file";
  readonly capabilities = { persistent: true, multiProcess: false };
  private collections: Map<string, Map<string, Stored>> | undefined;
  private clock = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  async get(collection: string, key: string): Promise<DriverEntry | null> {
    return this.serially(async () => {
      const stored = (await this.load()).get(collection)?.get(key);
      return stored ? { key, ...stored } : null;
    });
  }

  async list(collection: string, { prefix = "", after, limit }: DriverListOptions): Promise<DriverEntry[]> {
    return this.serially(async () => {
      const entries = (await this.load()).get(collection) ?? new Map<string, Stored>();
      return [...entries.keys()]
        .filter((key) => key.startsWith(prefix) && (after === undefined || compareUtf8(key, after) > 0))
        .sort(compareUtf8)
        .slice(0, limit)
        .map((key) => ({ key, ...(entries.get(key) as Stored) }));
    });
  }

  /**
   * Checks every expected version, applies the writes and saves the file; if saving fails, the writes are undone,
   * so the file and what this driver serves never part.
   */
  async commit(writes: DriverWrite[]): Promise<boolean> {
    return this.serially(async () => {
      const collections = await this.load();
      const current = (write: DriverWrite) => collections.get(write.collection)?.get(write.key);
      const holds = (write: DriverWrite) =>
        write.expected === undefined ||
        (write.expected === null ? current(write) === undefined : current(write)?.version === write.expected);
      if (!writes.every(holds)) return false;
      const undo = writes.map((write) => ({ write, before: current(write) })).reverse();
      const version = String(++this.clock);
      for (const write of writes) {
        const entries = collections.get(write.collection) ?? new Map<string, Stored>();
        collections.set(write.collection, entries);
        if (write.op === "put") entries.set(write.key, { value: write.value, version });
        else entries.delete(write.key);
      }
      try {
        await this.save(collections);
      } catch (error) {
        for (const { write, before } of undo) {
          const entries = collections.get(write.collection);
          if (before) entries?.set(write.key, before);
          else entries?.delete(write.key);
        }
        throw error;
      }
      return true;
    });
  }

  /** Waits for the calls under way. */
  async close(): Promise<void> {
    await this.serially(async () => undefined);
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<Map<string, Map<string, Stored>>> {
    if (this.collections) return this.collections;
    let file: JsonFile = { format: 1, clock: 0, collections: {} };
    try {
      file = JSON.parse(await readFile(this.file, "utf8")) as JsonFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
        throw new NocturneError("storage_error", `Could not read ${this.file}: ${String(error)}.`, { cause: error });
      }
    }
    this.clock = file.clock;
    this.collections = new Map(
      Object.entries(file.collections).map(([name, rows]) => [
        name,
        new Map(rows.map(([key, value, version]) => [key, { value, version }])),
      ]),
    );
    return this.collections;
  }

  private async save(collections: Map<string, Map<string, Stored>>): Promise<void> {
    const file: JsonFile = { format: 1, clock: this.clock, collections: {} };
    for (const [name, entries] of collections) {
      file.collections[name] = [...entries].map(([key, { value, version }]) => [key, value, version]);
    }
    const temp = `${this.file}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFile(temp, JSON.stringify(file), { flush: true });
      await rename(temp, this.file);
    } catch (error) {
      throw new NocturneError("storage_error", `Could not write ${this.file}: ${String(error)}.`, { cause: error });
    }
  }
}

/** Creates the JSON-file driver over `file` (created on the first write). */
export function createJsonFileDriver(file: string): JsonFileDriver {
  return new JsonFileDriver(file);
}

/** A full StorageAdapter over one JSON file, memory versions included. */
export function createJsonFileAdapter(file: string): DriverStorage {
  return createDriverStorage(createJsonFileDriver(file), { memoryVersions: true });
}
