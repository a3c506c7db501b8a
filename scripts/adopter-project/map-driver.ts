// What an adopter writes when a driver is enough: a StorageDriver kept in Maps, made a whole StorageAdapter by
// createDriverStorage. The adopter check copies this folder into its fresh project, type-checks it and runs the
// published conformance suite against it.
import {
  createDriverStorage,
  type DriverEntry,
  type DriverListOptions,
  type DriverStorage,
  type DriverWrite,
  type StorageDriver,
  storageRules,
} from "@nocturne/core";

const { compareUtf8 } = storageRules;

/** Every collection in a Map of entries; versions are drawn from one counter. */
export class MapDriver implements StorageDriver {
  readonly name = "map-driver";
  readonly capabilities = { persistent: false, multiProcess: false };
  private readonly collections = new Map<string, Map<string, DriverEntry>>();
  private clock = 0;

  async get(collection: string, key: string): Promise<DriverEntry | null> {
    return this.collections.get(collection)?.get(key) ?? null;
  }

  async list(collection: string, { prefix = "", after, limit }: DriverListOptions): Promise<DriverEntry[]> {
    return [...(this.collections.get(collection)?.values() ?? [])]
      .filter((entry) => entry.key.startsWith(prefix) && (after === undefined || compareUtf8(entry.key, after) > 0))
      .sort((a, b) => compareUtf8(a.key, b.key))
      .slice(0, limit);
  }

  async commit(writes: DriverWrite[]): Promise<boolean> {
    const holds = (write: DriverWrite) => {
      const current = this.collections.get(write.collection)?.get(write.key);
      return write.expected === undefined || (write.expected === null ? !current : current?.version === write.expected);
    };
    if (!writes.every(holds)) return false;
    const version = String(++this.clock);
    for (const write of writes) {
      const entries = this.collections.get(write.collection) ?? new Map<string, DriverEntry>();
      this.collections.set(write.collection, entries);
      if (write.op === "put") entries.set(write.key, { key: write.key, value: write.value, version });
      else entries.delete(write.key);
    }
    return true;
  }
}

/** A whole StorageAdapter over a MapDriver, memory versions included. */
export function createMapDriverAdapter(): DriverStorage {
  return createDriverStorage(new MapDriver(), { memoryVersions: true });
}
