import { NocturneError } from "../errors.js";
import type { DriverEntry, DriverWrite, StorageDriver } from "../ports/storage-driver.js";
import type { Page } from "../schemas/common.js";
import type { MemoryStore } from "../schemas/memory-store.js";
import { copyPlain } from "../util/copy-steps.js";
import { pageSize } from "./paging.js";

/** The collections `createDriverStorage` keeps, and what each key holds. */
export const STORES = "stores"; // store id → StoreRecord
export const MEMORIES = "memories"; // storeKey(store, path) → Memory
export const MEMORY_PATHS = "memory-paths"; // storeKey(store, memory id) → path
export const VERSIONS = "memory-versions"; // storeKey(store, version id) → MemoryVersion
export const SESSIONS = "sessions"; // session id → Session
export const SESSION_SUMMARIES = "session-summaries"; // session id → SessionSummary
export const DREAMS = "dreams"; // dream id → DreamRecord
export const DREAM_HEADS = "dream-heads"; // dream id → the record without its report

/** A store and the dream that holds its lock. Every write to a store's records commits on this record's version. */
export interface StoreRecord {
  store: MemoryStore;
  lock: string | null;
}

/** The key of a store's record in a per-store collection; all of a store's keys share the prefix `storeId:`. */
export function storeKey(storeId: string, rest = ""): string {
  return `${storeId}:${rest}`;
}

const ATTEMPTS = 1000;

/**
 * Reads, decides and commits until a commit lands: a conflict means another write got in first, so `attempt` runs
 * again on fresh reads. An error `attempt` throws ends it, unless `stale` says its reads were already outdated.
 */
export async function commitWith<T>(
  driver: StorageDriver,
  attempt: () => Promise<{ writes: DriverWrite[]; result: T }>,
  stale: () => Promise<boolean> = async () => false,
): Promise<T> {
  for (let tries = 0; tries < ATTEMPTS; tries++) {
    let planned: { writes: DriverWrite[]; result: T };
    try {
      planned = await attempt();
    } catch (error) {
      if (await stale()) continue;
      throw error;
    }
    if (await driver.commit(planned.writes)) return planned.result;
  }
  throw new NocturneError(
    "storage_busy",
    `Storage ${driver.name} kept changing under a write (${ATTEMPTS} attempts). Try again later.`,
  );
}

/** Every entry of a collection under `prefix`, read in pages. */
export async function listAll(driver: StorageDriver, collection: string, prefix = ""): Promise<DriverEntry[]> {
  const all: DriverEntry[] = [];
  for (;;) {
    const after = all.at(-1)?.key;
    const page = await driver.list(collection, { prefix, limit: 1000, ...(after !== undefined && { after }) });
    all.push(...page);
    if (page.length < 1000) return all;
  }
}

/** One page of a collection's values in key order; cursors are keys without `base`. */
export async function pageOfEntries<T>(
  driver: StorageDriver,
  collection: string,
  base: string,
  options: { prefix?: string | undefined; after?: string | undefined; limit?: number | undefined },
): Promise<Page<T>> {
  const size = pageSize(options.limit);
  const entries = await driver.list(collection, {
    prefix: base + (options.prefix ?? ""),
    limit: size + 1,
    ...(options.after !== undefined && { after: base + options.after }),
  });
  const data = entries.slice(0, size);
  const last = data.at(-1);
  const more = entries.length > size && last !== undefined;
  return {
    data: copyPlain(data.map((entry) => entry.value as T)),
    next_cursor: more ? last.key.slice(base.length) : null,
  };
}

/** Runs tasks one at a time per key, so writes from one process never race each other for a commit. */
export function keyedQueue(): <T>(key: string, task: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (key, task) => {
    const run = (tails.get(key) ?? Promise.resolve()).then(task, task);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}
