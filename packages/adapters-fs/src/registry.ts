import { readdir, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import { type MemoryStore, NocturneError } from "@nocturne/core";
import { writeFileAtomic } from "./atomic-write.js";
import { acquireFileLock } from "./file-lock.js";
import { decodeIdName, encodeIdName } from "./file-names.js";
import { isErrno } from "./fs-errors.js";
import type { KeyedMutex } from "./keyed-mutex.js";

/** How the adapter knows a store: the resource, where its folder is, and its dream lock. */
export interface StoreRecord {
  version: 1;
  store: MemoryStore;
  /** Absolute folder; null for a store kept under the root's `stores/` folder. */
  folder: string | null;
  /** Created by this adapter (deleting the store deletes the folder), or mounted (deleting only forgets it). */
  owned: boolean;
  read_only: boolean;
  /** The dream writing the store, if any. */
  lock: string | null;
}

/** Settings the registry needs from the adapter. */
export interface RegistryOptions {
  dir: string;
  durable: boolean;
  lockTimeoutMs: number;
  staleLockMs: number;
  mutex: KeyedMutex;
}

/** The `registry/` folder of a root: one JSON file per store. Changes run one at a time, across processes too. */
export class Registry {
  constructor(private readonly options: RegistryOptions) {}

  private fileOf(id: string): string | null {
    try {
      return join(this.options.dir, `${encodeIdName(id, "memory store")}.json`);
    } catch {
      return null;
    }
  }

  /** The record of store `id`, or null. */
  async read(id: string): Promise<StoreRecord | null> {
    const file = this.fileOf(id);
    if (file === null) return null;
    try {
      return JSON.parse(await readFile(file, "utf8")) as StoreRecord;
    } catch (error) {
      if (isErrno(error, "ENOENT")) return null;
      throw error;
    }
  }

  /** Every record, in no particular order. */
  async list(): Promise<StoreRecord[]> {
    const names = await readdir(this.options.dir);
    const records: StoreRecord[] = [];
    for (const name of names) {
      if (!name.endsWith(".json") || decodeIdName(name.slice(0, -5)) === null) continue;
      try {
        records.push(JSON.parse(await readFile(join(this.options.dir, name), "utf8")) as StoreRecord);
      } catch (error) {
        if (!isErrno(error, "ENOENT")) throw error;
      }
    }
    return records;
  }

  /** Writes a record atomically. Call inside {@link Registry.change}. */
  async write(record: StoreRecord): Promise<void> {
    const file = this.fileOf(record.store.id);
    if (file === null) throw new NocturneError("invalid_input", `Memory store id ${record.store.id} is not usable.`);
    await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`, { durable: this.options.durable });
  }

  /** Removes a record. Call inside {@link Registry.change}. */
  async remove(id: string): Promise<void> {
    const file = this.fileOf(id);
    if (file !== null) await unlink(file).catch(() => undefined);
  }

  /** Runs `task` holding the registry lock (in this process and across processes). */
  change<T>(task: () => Promise<T>): Promise<T> {
    const { dir, mutex, lockTimeoutMs, staleLockMs } = this.options;
    return mutex.run(`registry:${dir}`, async () => {
      const release = await acquireFileLock(join(dir, ".lock"), {
        timeoutMs: lockTimeoutMs,
        staleMs: staleLockMs,
        what: `The store registry ${dir}`,
      });
      try {
        return await task();
      } finally {
        await release();
      }
    });
  }
}
