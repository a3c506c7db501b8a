import type { DriverEntry, DriverListOptions, DriverWrite, StorageDriver } from "../ports/storage-driver.js";
import { compareUtf8 } from "./paging.js";

interface Collection {
  entries: Map<string, DriverEntry>;
  /** The keys in order, kept until the next write. */
  sorted: string[] | null;
}

/** A {@link StorageDriver} over maps in process memory: nothing persisted, one process. */
export function createMemoryDriver(): StorageDriver {
  const collections = new Map<string, Collection>();
  let clock = 0;
  const collection = (name: string): Collection => {
    const found = collections.get(name) ?? { entries: new Map(), sorted: null };
    collections.set(name, found);
    return found;
  };
  const holds = (write: DriverWrite): boolean => {
    if (write.expected === undefined) return true;
    const current = collections.get(write.collection)?.entries.get(write.key);
    return write.expected === null ? current === undefined : current?.version === write.expected;
  };

  return {
    name: "memory",
    capabilities: { persistent: false, multiProcess: false },
    async get(name, key) {
      return collections.get(name)?.entries.get(key) ?? null;
    },
    async list(name, options: DriverListOptions) {
      const found = collections.get(name);
      if (!found) return [];
      found.sorted ??= [...found.entries.keys()].sort(compareUtf8);
      const { prefix = "", after, limit } = options;
      const from = firstAfter(found.sorted, after !== undefined && compareUtf8(after, prefix) > 0 ? after : prefix);
      const page: DriverEntry[] = [];
      for (let at = from; at < found.sorted.length && page.length < limit; at++) {
        const key = found.sorted[at] as string;
        if (!key.startsWith(prefix)) break;
        if (after !== undefined && compareUtf8(key, after) <= 0) continue;
        page.push(found.entries.get(key) as DriverEntry);
      }
      return page;
    },
    async commit(writes) {
      if (!writes.every(holds)) return false;
      const version = String(++clock);
      for (const write of writes) {
        const target = collection(write.collection);
        const existed = target.entries.has(write.key);
        if (write.op === "put") target.entries.set(write.key, { key: write.key, value: write.value, version });
        else target.entries.delete(write.key);
        if (existed !== (write.op === "put")) target.sorted = null;
      }
      return true;
    },
  };
}

/** The index of the first key not before `from`, by bisection. */
function firstAfter(sorted: string[], from: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareUtf8(sorted[middle] as string, from) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
