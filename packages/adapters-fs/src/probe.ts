import type { Dirent } from "node:fs";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import {
  MAX_MEMORY_CONTENT_BYTES,
  type Memory,
  type MemoryLineage,
  memoryPathProblem,
  storageRules,
} from "@nocturne/core";
import { isErrno } from "./fs-errors.js";
import {
  derivedMemoryId,
  fileOf,
  fsPathProblem,
  isInside,
  META_DIR,
  metaFileOf,
  pathOfSegments,
  type StoreFolder,
  symlinkEscape,
} from "./store-folder.js";

/**
 * What the adapter remembers about a memory beside its file: id, timestamps, the hash they belong to, and the
 * lineage a dream wrote (kept when a person edits the file: lines they changed simply no longer match it).
 */
export interface MetaRecord {
  id: string;
  path: string;
  created_at: string;
  updated_at: string;
  content_sha256: string;
  lineage?: MemoryLineage;
  /** Written with a memory version holding this content (absent in metadata older than memory versions). */
  versioned?: true;
}

/** What is found at a memory path in a store folder. */
export type Probe =
  | { kind: "missing" }
  | { kind: "memory"; memory: Memory }
  | { kind: "folder" }
  | { kind: "foreign"; reason: string };

/** Reports a file that is skipped because it cannot be a memory. */
export type WarnFn = (storeId: string, path: string, message: string) => void;

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function isMeta(value: unknown, path: string): value is MetaRecord {
  if (typeof value !== "object" || value === null) return false;
  const meta = value as Record<string, unknown>;
  return (
    meta.path === path &&
    typeof meta.id === "string" &&
    meta.id.length > 0 &&
    typeof meta.created_at === "string" &&
    typeof meta.updated_at === "string" &&
    typeof meta.content_sha256 === "string"
  );
}

/** The metadata kept for `path`, or null when there is none (or it is unreadable, or for another path). */
export async function readMeta(folder: StoreFolder, path: string): Promise<MetaRecord | null> {
  try {
    const value: unknown = JSON.parse(await readFile(metaFileOf(folder, path), "utf8"));
    return isMeta(value, path) ? value : null;
  } catch {
    return null;
  }
}

const iso = (ms: number) => new Date(Math.round(ms)).toISOString();

/**
 * Looks at the file for `path` and reads it as a memory. The file is the truth: metadata supplies the id and
 * timestamps, and when the file changed behind the adapter's back (a person edited it) the change is kept and
 * `updated_at` becomes the file's modification time. A file without metadata gets an id derived from its path.
 * A path that leads out of the folder through a symbolic link is refused.
 */
export async function probeMemory(folder: StoreFolder, path: string): Promise<Probe> {
  let real: string;
  try {
    real = await realpath(fileOf(folder, path));
  } catch (error) {
    if (isErrno(error, "ENOENT", "ENOTDIR", "ELOOP")) return { kind: "missing" };
    throw error;
  }
  if (!isInside(real, folder.dir)) throw symlinkEscape(folder, path, real);
  if (isInside(real, join(folder.dir, META_DIR)))
    return { kind: "foreign", reason: "it links into Nocturne's own files" };
  const info = await stat(real);
  if (info.isDirectory()) return { kind: "folder" };
  if (!info.isFile()) return { kind: "foreign", reason: "it is not a regular file" };
  if (info.size > MAX_MEMORY_CONTENT_BYTES) {
    return { kind: "foreign", reason: `it is larger than ${MAX_MEMORY_CONTENT_BYTES} bytes` };
  }
  const bytes = await readFile(real);
  if (bytes.length > MAX_MEMORY_CONTENT_BYTES) {
    return { kind: "foreign", reason: `it is larger than ${MAX_MEMORY_CONTENT_BYTES} bytes` };
  }
  let content: string;
  try {
    content = decoder.decode(bytes);
  } catch {
    return { kind: "foreign", reason: "it is not UTF-8 text" };
  }
  const meta = await readMeta(folder, path);
  const modified = iso(info.mtimeMs);
  const draft = storageRules.buildMemory({
    id: meta?.id ?? derivedMemoryId(folder.storeId, path),
    memory_store_id: folder.storeId,
    path,
    content,
    created_at: "",
    updated_at: "",
    lineage: storageRules.parseLineage(meta?.lineage),
  });
  if (meta) {
    draft.created_at = meta.created_at;
    const edited = meta.content_sha256 !== draft.content_sha256;
    const afterCreation = Date.parse(modified) >= Date.parse(meta.created_at);
    draft.updated_at = edited ? (afterCreation ? modified : meta.created_at) : meta.updated_at;
  } else {
    const born = info.birthtimeMs > 0 && info.birthtimeMs <= info.mtimeMs ? info.birthtimeMs : info.mtimeMs;
    draft.created_at = iso(born);
    draft.updated_at = modified;
  }
  return { kind: "memory", memory: draft };
}

/** True when a folder at memory path `dir` may hold paths starting with `prefix`. */
function mayHold(dir: string, prefix: string): boolean {
  const below = `${dir}/`;
  return below.startsWith(prefix) || prefix.startsWith(below);
}

/**
 * Every path in the folder that can be a memory and starts with `prefix`, unsorted. Hidden names (starting with a
 * dot, such as `.nocturne`, `.git`) are skipped silently; files whose names cannot be memory paths, and links
 * that lead out of the folder or to folders, are skipped with a warning.
 */
export async function listMemoryPaths(folder: StoreFolder, prefix: string, warn: WarnFn): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string, segments: string[]): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isErrno(error, "ENOENT", "ENOTDIR")) return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const childSegments = [...segments, entry.name];
      const path = pathOfSegments(childSegments);
      if (entry.isDirectory()) {
        if (mayHold(path, prefix)) await visit(join(dir, entry.name), childSegments);
        continue;
      }
      if (!path.startsWith(prefix)) continue;
      if (entry.isSymbolicLink()) {
        const target = await realpath(join(dir, entry.name)).catch(() => null);
        if (target === null) {
          warn(folder.storeId, path, "it is a broken symbolic link");
          continue;
        }
        if (!isInside(target, folder.dir)) {
          warn(folder.storeId, path, `it is a symbolic link leading out of the store folder, to ${target}`);
          continue;
        }
        const info = await stat(target).catch(() => null);
        if (!info?.isFile()) {
          if (info?.isDirectory())
            warn(folder.storeId, path, "it is a symbolic link to a folder; linked folders are not read");
          continue;
        }
      } else if (!entry.isFile()) {
        continue;
      }
      const problem = memoryPathProblem(path) ?? fsPathProblem(path);
      if (problem !== null) {
        warn(folder.storeId, path, `its name cannot be a memory path: ${problem}`);
        continue;
      }
      found.push(path);
    }
  };
  await visit(folder.dir, []);
  return found;
}
