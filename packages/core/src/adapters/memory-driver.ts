import type { DriverEntry, DriverListOptions, DriverWrite, StorageDriver } from "../ports/storage-driver.js";
import { compareUtf8 } from "./paging.js";

interface Collection {
  entries: Map<string, DriverEntry>;
  /** The keys in order, kept in step with every write, so listing never sorts. */
  sorted: string[];
}

/** A {@link StorageDriver} over maps in process memory: nothing persisted, one process. */
export function createMemoryDriver(): StorageDriver {
  const collections = new Map<string, Collection>();
  let clock = 0;
  const collection = (name: string): Collection => {
    const found = collections.get(name) ?? { entries: new Map(), sorted: [] };
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
      const { prefix = "", after, limit } = options;
      const start = after !== undefined && compareUtf8(after, prefix) >= 0 ? after : prefix;
      let at = firstNotBefore(found.sorted, start);
      if (found.sorted[at] === after) at++;
      const page: DriverEntry[] = [];
      for (; at < found.sorted.length && page.length < limit; at++) {
        const key = found.sorted[at] as string;
        if (!key.startsWith(prefix)) break;
        page.push(found.entries.get(key) as DriverEntry);
      }
      return page;
    },
    async commit(writes) {
      if (!writes.every(holds)) return false;
      const version = String(++clock);
      for (const write of writes) {
        const { entries, sorted } = collection(write.collection);
        const existed = entries.has(write.key);
        if (write.op === "put") entries.set(write.key, { key: write.key, value: write.value, version });
        else entries.delete(write.key);
        if (existed === (write.op === "put")) continue;
        const at = firstNotBefore(sorted, write.key);
        if (write.op === "put") sorted.splice(at, 0, write.key);
        else sorted.splice(at, 1);
      }
      return true;
    },
  };
}

/** The index of the first key not before `key`, by bisection. */
function firstNotBefore(sorted: string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareUtf8(sorted[middle] as string, key) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
