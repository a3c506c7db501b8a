import type { DriverEntry, DriverWrite, StorageDriver } from "../ports/storage-driver.js";
import type { Memory } from "../schemas/memory.js";
import type { MemoryActor, MemoryVersion } from "../schemas/memory-version.js";
import { nowIso } from "../util/time.js";
import { MEMORIES, MEMORY_PATHS, STORES, storeKey, VERSIONS } from "./driver-records.js";
import { parentPaths } from "./storage-rules.js";
import { versionOf } from "./version-rules.js";

/**
 * One attempt at changing a store's memories: reads see the driver as changed so far, changes are staged, and
 * `writes()` turns them into one commit conditional on the store record being unchanged since it was read.
 */
export class StoreChange {
  readonly now = nowIso();
  private readonly staged = new Map<string, Memory | null>();
  private readonly removedIds = new Set<string>();
  private readonly versions: MemoryVersion[] = [];

  constructor(
    private readonly driver: StorageDriver,
    readonly storeId: string,
    private readonly storeEntry: DriverEntry,
    private readonly actor: MemoryActor | undefined,
    private readonly keepVersions: boolean,
  ) {}

  /** The memory at `path`, or null. */
  async at(path: string): Promise<Memory | null> {
    const staged = this.staged.get(path);
    if (staged !== undefined) return staged;
    const entry = await this.driver.get(MEMORIES, storeKey(this.storeId, path));
    return (entry?.value as Memory | undefined) ?? null;
  }

  /** The memory with this id, or null. */
  async byId(memoryId: string): Promise<Memory | null> {
    const entry = await this.driver.get(MEMORY_PATHS, storeKey(this.storeId, memoryId));
    const memory = entry ? await this.at(entry.value as string) : null;
    return memory?.id === memoryId ? memory : null;
  }

  /** A memory that clashes with a memory at `path` (at one of its folders, or below it), `except` aside; or null. */
  async clash(path: string, except?: string): Promise<string | null> {
    for (const parent of parentPaths(path)) if (parent !== except && (await this.at(parent))) return parent;
    const below = `${path}/`;
    let hidden = except?.startsWith(below) ? 1 : 0;
    for (const [other, memory] of this.staged) {
      if (!other.startsWith(below)) continue;
      if (memory) return other;
      hidden++;
    }
    const listed = await this.driver.list(MEMORIES, { prefix: storeKey(this.storeId, below), limit: hidden + 1 });
    const found = listed.map((entry) => (entry.value as Memory).path);
    return found.find((other) => other !== except && !this.staged.has(other)) ?? null;
  }

  /** Stages `after` in place of `before` (null for a new memory); returns `after`. */
  put(before: Memory | null, after: Memory): Memory {
    if (before && before.path !== after.path) this.staged.set(before.path, null);
    this.staged.set(after.path, after);
    this.recordVersion(before, after);
    return after;
  }

  /** Stages the deletion of `before`. */
  remove(before: Memory): void {
    this.staged.set(before.path, null);
    this.removedIds.add(before.id);
    this.recordVersion(before, null);
  }

  /** The commit: the staged memories, their path index and versions, on the condition of the store record. */
  writes(): DriverWrite[] {
    const { storeId, storeEntry } = this;
    const writes: DriverWrite[] = [
      { op: "put", collection: STORES, key: storeId, value: storeEntry.value, expected: storeEntry.version },
    ];
    const kept = new Set<string>();
    for (const [path, memory] of this.staged) {
      const key = storeKey(storeId, path);
      if (!memory) {
        writes.push({ op: "delete", collection: MEMORIES, key });
        continue;
      }
      kept.add(memory.id);
      writes.push({ op: "put", collection: MEMORIES, key, value: memory });
      writes.push({ op: "put", collection: MEMORY_PATHS, key: storeKey(storeId, memory.id), value: path });
    }
    for (const id of this.removedIds) {
      if (!kept.has(id)) writes.push({ op: "delete", collection: MEMORY_PATHS, key: storeKey(storeId, id) });
    }
    for (const value of this.versions) {
      writes.push({ op: "put", collection: VERSIONS, key: storeKey(storeId, value.id), value, expected: null });
    }
    return writes;
  }

  private recordVersion(before: Memory | null, after: Memory | null): void {
    const version = this.keepVersions ? versionOf(before, after, this.actor, this.now) : null;
    if (version) this.versions.push(version);
  }
}
