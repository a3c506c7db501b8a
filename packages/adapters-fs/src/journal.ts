import { randomBytes } from "node:crypto";
import { lstat, mkdir, readdir, readFile, rmdir, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type MemoryVersion, NocturneError } from "@nocturne/core";
import { fsyncDir, writeFileAtomic } from "./atomic-write.js";
import { isErrno } from "./fs-errors.js";
import type { MetaRecord } from "./probe.js";
import { fileOf, META_DIR, metaFileOf, type StoreFolder, segmentsOf, symlinkWrite } from "./store-folder.js";
import { sweepTempFiles } from "./temp-files.js";
import { versionFileOf, versionsDir } from "./version-files.js";

/** One change to a store folder, recorded in the journal before it is made. */
export type JournalOp =
  | { op: "put"; path: string; content: string; meta: MetaRecord }
  | { op: "remove"; path: string }
  | { op: "version"; version: MemoryVersion };

interface JournalFile {
  version: 1;
  ops: JournalOp[];
}

/** Files written at once while applying a change. */
const PARALLEL_WRITES = 16;

const journalDir = (folder: StoreFolder) => join(folder.dir, META_DIR, "journal");
/** Where a store's temporary files go. */
export const tempDir = (folder: StoreFolder) => join(folder.dir, META_DIR, "tmp");

async function ensureParents(folder: StoreFolder, path: string, changed: Set<string>): Promise<void> {
  let dir = folder.dir;
  for (const segment of segmentsOf(path).slice(0, -1)) {
    const next = join(dir, segment);
    try {
      const info = await lstat(next);
      if (info.isSymbolicLink()) throw symlinkWrite(folder, path, next);
      if (!info.isDirectory()) {
        throw new NocturneError("storage_error", `Cannot write memory ${path}: ${next} is a file, not a folder.`, {
          details: { memory_store_id: folder.storeId, path },
        });
      }
    } catch (error) {
      if (!isErrno(error, "ENOENT")) throw error;
      await mkdir(next).catch((mkdirError: unknown) => {
        if (!isErrno(mkdirError, "EEXIST")) throw mkdirError;
      });
      changed.add(dir);
    }
    dir = next;
  }
}

async function removeFile(file: string): Promise<boolean> {
  try {
    const info = await lstat(file);
    if (info.isDirectory()) return false;
    await unlink(file);
    return true;
  } catch (error) {
    if (isErrno(error, "ENOENT", "ENOTDIR")) return false;
    throw error;
  }
}

async function pruneEmptyFolders(folder: StoreFolder, path: string, changed: Set<string>): Promise<void> {
  const segments = segmentsOf(path).slice(0, -1);
  while (segments.length > 0) {
    const dir = join(folder.dir, ...segments);
    try {
      await rmdir(dir);
    } catch (error) {
      if (isErrno(error, "ENOENT")) {
        segments.pop();
        continue;
      }
      if (isErrno(error, "ENOTEMPTY", "EEXIST", "ENOTDIR")) return;
      throw error;
    }
    segments.pop();
    changed.add(dirname(dir));
  }
}

/**
 * Makes the changes: removals first (pruning folders they leave empty), then writes, each file replaced
 * atomically and given its `updated_at` as modification time, and memory versions, each a file of its own (written
 * again whole when redacted). Safe to run again on a half-applied journal.
 */
async function applyOps(folder: StoreFolder, ops: JournalOp[], durable: boolean): Promise<void> {
  const changed = new Set<string>();
  for (const op of ops) {
    if (op.op !== "remove") continue;
    const file = fileOf(folder, op.path);
    if (await removeFile(file)) changed.add(dirname(file));
    const meta = metaFileOf(folder, op.path);
    if (await removeFile(meta)) changed.add(dirname(meta));
    await pruneEmptyFolders(folder, op.path, changed);
  }
  const puts = ops.filter((op) => op.op === "put");
  await inParallel(puts, async (op) => {
    await ensureParents(folder, op.path, changed);
    const file = fileOf(folder, op.path);
    const existing = await lstat(file).catch(() => null);
    if (existing?.isDirectory()) await rmdir(file);
    const options = { durable, syncDir: false, tempDir: tempDir(folder) };
    await writeFileAtomic(file, op.content, { ...options, mtime: new Date(op.meta.updated_at) });
    changed.add(dirname(file));
    const meta = metaFileOf(folder, op.path);
    await mkdir(dirname(meta), { recursive: true });
    await writeFileAtomic(meta, JSON.stringify(op.meta), options);
    changed.add(dirname(meta));
  });
  const versions = ops.filter((op) => op.op === "version");
  if (versions.length > 0) await mkdir(versionsDir(folder), { recursive: true });
  await inParallel(versions, async ({ version }) => {
    const file = versionFileOf(folder, version.id);
    if (file === null) throw new Error(`memory version id ${version.id} cannot name a file`);
    await writeFileAtomic(file, JSON.stringify(version), { durable, syncDir: false, tempDir: tempDir(folder) });
    changed.add(dirname(file));
  });
  if (!durable) return;
  await inParallel([...changed], (dir) =>
    fsyncDir(dir).catch((error: unknown) => {
      if (!isErrno(error, "ENOENT")) throw error;
    }),
  );
}

/** Runs `task` over `items`, a few at a time: writes to distinct files overlap, and their fsyncs can share a flush. */
async function inParallel<T>(items: T[], task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_WRITES, items.length) }, worker));
}

/**
 * Applies `ops` all-or-nothing with respect to crashes: several ops are first written to a journal file
 * (flushed), then applied, then the journal is removed. A crash before the journal lands changes nothing; a crash after it
 * is finished by {@link settleJournal} on the next write or read. The caller holds the store's lock.
 */
export async function commitOps(folder: StoreFolder, ops: JournalOp[], durable: boolean): Promise<void> {
  if (ops.length === 0) return;
  await mkdir(tempDir(folder), { recursive: true });
  if (ops.length === 1) {
    // One file needs no journal: its content lands by rename before its metadata, and a reader that finds new
    // content beside old metadata keeps the id and takes the file's time, which is already the new updated_at.
    await applyOps(folder, ops, durable);
    return;
  }
  const dir = journalDir(folder);
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${Date.now().toString().padStart(15, "0")}-${randomBytes(6).toString("hex")}.json`);
  const journal: JournalFile = { version: 1, ops };
  await writeFileAtomic(file, JSON.stringify(journal), { durable, tempDir: tempDir(folder) });
  await applyOps(folder, ops, durable);
  await unlink(file);
  if (durable) await fsyncDir(dir);
}

/** True when a journal is waiting to be finished (a writer died mid-write, or is writing right now). */
export async function hasPendingJournal(folder: StoreFolder): Promise<boolean> {
  try {
    return (await readdir(journalDir(folder))).some((name) => name.endsWith(".json"));
  } catch (error) {
    if (isErrno(error, "ENOENT", "ENOTDIR")) return false;
    throw error;
  }
}

/**
 * Finishes journals a dead writer left behind and removes its temporary files (never those of a live writer, see
 * `sweepTempFiles`). The caller holds the lock.
 */
export async function settleJournal(folder: StoreFolder, durable: boolean, staleMs: number): Promise<void> {
  if (folder.readOnly) return;
  let names: string[];
  try {
    names = (await readdir(journalDir(folder))).filter((name) => name.endsWith(".json")).sort();
  } catch (error) {
    if (isErrno(error, "ENOENT", "ENOTDIR")) return;
    throw error;
  }
  await sweepTempFiles(tempDir(folder), staleMs);
  for (const name of names) {
    const file = join(journalDir(folder), name);
    const journal = JSON.parse(await readFile(file, "utf8")) as JournalFile;
    await applyOps(folder, journal.ops, durable);
    await unlink(file);
  }
  if (durable && names.length > 0) await fsyncDir(journalDir(folder));
}
