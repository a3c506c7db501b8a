import type { Dirent } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { type Memory, type MemoryVersion, NocturneError, storageRules } from "@nocturne/core";
import { isErrno } from "./fs-errors.js";
import type { JournalOp } from "./journal.js";
import { type MetaRecord, type Probe, probeMemory, readMeta } from "./probe.js";
import { fileOf, pathOfSegments, type StoreFolder, segmentsOf, symlinkWrite } from "./store-folder.js";

/** The refusal for a path that holds a file this adapter cannot read as a memory; that file is left alone. */
export function foreignFile(folder: StoreFolder, path: string, reason: string): NocturneError {
  return new NocturneError(
    "memory_path_conflict",
    `Memory path ${path} in store ${folder.storeId} holds a file that is not a memory (${reason}); Nocturne leaves it alone. Choose another path, or move that file away.`,
    { details: { memory_store_id: folder.storeId, path, reason } },
  );
}

async function filesBelow(dir: string, segments: string[]): Promise<string[]> {
  const found: string[] = [];
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isErrno(error, "ENOENT", "ENOTDIR")) return found;
    throw error;
  }
  for (const entry of entries) {
    const childSegments = [...segments, entry.name];
    if (entry.isDirectory()) found.push(...(await filesBelow(join(dir, entry.name), childSegments)));
    else found.push(pathOfSegments(childSegments));
  }
  return found;
}

/**
 * The changes one write call makes to a store folder, staged in memory: reads see staged changes first, then
 * the disk. Checks run against this view, so a batch behaves as if applied one write at a time; only the net
 * result is journaled.
 */
export class WritePlan {
  private readonly staged = new Map<string, Memory | null>();
  private readonly versions: MemoryVersion[] = [];

  constructor(private readonly folder: StoreFolder) {}

  /** What is at `path`, counting staged changes. */
  async current(path: string): Promise<Probe> {
    const staged = this.staged.get(path);
    if (staged === null) return { kind: "missing" };
    if (staged !== undefined) return { kind: "memory", memory: staged };
    return probeMemory(this.folder, path);
  }

  /** The memory at `path`, counting staged changes; a file that is not a memory counts as none. */
  async memoryAt(path: string): Promise<Memory | null> {
    const found = await this.current(path);
    return found.kind === "memory" ? found.memory : null;
  }

  /** Refuses writes through symbolic links: no folder on the way to `path`, nor the file itself, may be one. */
  async assertNoLinks(path: string): Promise<void> {
    let at = this.folder.dir;
    for (const segment of segmentsOf(path)) {
      at = join(at, segment);
      const info = await lstat(at).catch((error: unknown) => {
        if (isErrno(error, "ENOENT", "ENOTDIR")) return null;
        throw error;
      });
      if (info === null) return;
      if (info.isSymbolicLink()) throw symlinkWrite(this.folder, path, at);
    }
  }

  /**
   * Refuses a new memory at `path` that would make something both a memory and a folder: a memory (or any file)
   * at one of its folders, or anything left below it.
   */
  async assertNoClash(path: string): Promise<void> {
    const storeId = this.folder.storeId;
    for (const parent of storageRules.parentPaths(path)) {
      const staged = this.staged.get(parent);
      if (staged === null) continue;
      if (staged !== undefined) throw storageRules.pathClash(storeId, path, parent);
      const info = await lstat(fileOf(this.folder, parent)).catch(() => null);
      if (info === null) break;
      if (info.isSymbolicLink()) throw symlinkWrite(this.folder, path, fileOf(this.folder, parent));
      if (!info.isDirectory()) throw storageRules.pathClash(storeId, path, parent);
    }
    const below = `${path}/`;
    for (const [other, staged] of this.staged) {
      if (staged !== null && other.startsWith(below)) throw storageRules.pathClash(storeId, path, other);
    }
    for (const other of await filesBelow(fileOf(this.folder, path), segmentsOf(path))) {
      if (this.staged.get(other) !== null) throw storageRules.pathClash(storeId, path, other);
    }
  }

  /** Stages a memory to be written at its path. */
  put(memory: Memory): void {
    this.staged.set(memory.path, memory);
  }

  /** Stages the removal of the memory at `path`. */
  remove(path: string): void {
    this.staged.set(path, null);
  }

  /** Stages the version a change records (none for a change of nothing), or a redacted version's new form. */
  record(version: MemoryVersion | null): void {
    if (version !== null) this.versions.push(version);
  }

  /**
   * Before a change to `current`, records the version the adapter never saw, by no known actor: the file as it is
   * when it has no metadata (written by a person or another tool) or metadata older than memory versions
   * (`created`), or was edited behind the adapter's back (`modified`). So every change the adapter makes can be
   * undone from the versions.
   */
  async recordUnseen(current: Memory): Promise<void> {
    if (this.staged.has(current.path)) return;
    const meta = await readMeta(this.folder, current.path);
    const edited = meta !== null && meta.content_sha256 !== current.content_sha256;
    if (meta?.versioned === true && !edited) return;
    const before = meta?.versioned === true ? { ...current, content_sha256: meta.content_sha256 } : null;
    this.record(storageRules.versionOf(before, current, undefined, current.updated_at));
  }

  /** Memories this plan writes, for the id index. */
  written(): Memory[] {
    return [...this.staged.values()].filter((memory): memory is Memory => memory !== null);
  }

  /** The net changes, removals first, versions last. */
  ops(): JournalOp[] {
    const removals: JournalOp[] = [];
    const puts: JournalOp[] = [];
    for (const [path, memory] of this.staged) {
      if (memory === null) {
        removals.push({ op: "remove", path });
        continue;
      }
      const { id, created_at, updated_at, content_sha256, content } = memory;
      const meta: MetaRecord = { id, path, created_at, updated_at, content_sha256, versioned: true };
      if (memory.lineage) meta.lineage = memory.lineage;
      puts.push({ op: "put", path, content, meta });
    }
    return [...removals, ...puts, ...this.versions.map((version): JournalOp => ({ op: "version", version }))];
  }
}
