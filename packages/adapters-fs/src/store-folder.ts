import { createHash } from "node:crypto";
import { join, sep } from "node:path";
import { NocturneError, storageRules } from "@nocturne/core";

/** The folder inside every store folder where the adapter keeps its own files (ids, timestamps, journal, lock). */
export const META_DIR = ".nocturne";

/** Longest file or folder name most file systems allow, in bytes. */
const MAX_NAME_BYTES = 255;

/** A store's folder as the adapter works with it. */
export interface StoreFolder {
  storeId: string;
  /** Absolute, symlink-free path of the folder. */
  dir: string;
  /** Nothing may be written into the folder (a mounted input). */
  readOnly: boolean;
}

/** Why a valid memory path cannot be a file path in a store folder, or null. */
export function fsPathProblem(path: string): string | null {
  for (const segment of path.slice(1).split("/")) {
    if (segment.startsWith(".")) {
      return `the segment "${segment}" starts with a dot; hidden names are not memories in a folder store`;
    }
    if (Buffer.byteLength(segment, "utf8") > MAX_NAME_BYTES) {
      return `a segment is longer than ${MAX_NAME_BYTES} bytes, more than a file name can hold`;
    }
  }
  return null;
}

/** Checks a memory path for a folder store: the shared rules, then the file system's. */
export function checkFsPath(path: string): string {
  storageRules.checkPath(path);
  const problem = fsPathProblem(path);
  if (problem !== null) {
    throw new NocturneError(
      "invalid_memory_path",
      `Memory path ${JSON.stringify(path)} is invalid in a folder store: ${problem}. Rename it.`,
      { details: { path } },
    );
  }
  return path;
}

/** The segments of a memory path. */
export function segmentsOf(path: string): string[] {
  return path.slice(1).split("/");
}

/** The file that holds the memory at `path`. */
export function fileOf(folder: StoreFolder, path: string): string {
  return join(folder.dir, ...segmentsOf(path));
}

/** The memory path of a file given by its segments below the store folder. */
export function pathOfSegments(segments: string[]): string {
  return `/${segments.join("/")}`;
}

/** True when `child` is `parent` or lies below it. */
export function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

/** Hex SHA-256 of a memory path, used to name its metadata file. */
export function pathHash(path: string): string {
  return createHash("sha256").update(path, "utf8").digest("hex");
}

/** Where the metadata (id, timestamps, content hash) of the memory at `path` is kept. */
export function metaFileOf(folder: StoreFolder, path: string): string {
  const hash = pathHash(path);
  return join(folder.dir, META_DIR, "meta", hash.slice(0, 2), `${hash}.json`);
}

const BASE32 = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * The id of a memory that has no metadata (a file a person put in the folder): derived from the store and the
 * path, so it is the same every time the folder is read and nothing has to be written to remember it.
 */
export function derivedMemoryId(storeId: string, path: string): string {
  const digest = createHash("sha256").update(`${storeId}\u0000${path}`, "utf8").digest();
  let id = "mem_";
  for (let i = 0; i < 26; i++) id += BASE32[(digest[i] ?? 0) & 31];
  return id;
}

/** The refusal for a path that leads out of the store folder through a symbolic link. */
export function symlinkEscape(folder: StoreFolder, path: string, target: string): NocturneError {
  return new NocturneError(
    "storage_permission_denied",
    `Memory ${path} in store ${folder.storeId} is a symbolic link (or lies below one) leading to ${target}, outside the store folder ${folder.dir}. Nocturne does not follow links out of a store; replace the link with the file itself.`,
    { details: { memory_store_id: folder.storeId, path, target, reason: "symlink_escape" } },
  );
}

/** The refusal for a write through a symbolic link inside a store folder. */
export function symlinkWrite(folder: StoreFolder, path: string, link: string): NocturneError {
  return new NocturneError(
    "storage_permission_denied",
    `Cannot write memory ${path} in store ${folder.storeId}: ${link} is a symbolic link, and Nocturne never writes through links. Replace the link with a real folder or file.`,
    { details: { memory_store_id: folder.storeId, path, link, reason: "symlink_write" } },
  );
}

/** The refusal for any write into a read-only (mounted) store. */
export function readOnlyStore(folder: StoreFolder): NocturneError {
  return new NocturneError(
    "storage_permission_denied",
    `Memory store ${folder.storeId} is the folder ${folder.dir}, mounted read-only, so nothing is written into it. Mount it with readOnly: false to write, or write to another store.`,
    { details: { memory_store_id: folder.storeId, folder: folder.dir, reason: "read_only" } },
  );
}
