import { createHash, randomBytes } from "node:crypto";
import { lstat, readdir, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { isErrno } from "./fs-errors.js";
import { isProcessAlive } from "./process-alive.js";

/** Prefix of temporary files; names starting with a dot are never read as memories, sessions or dreams. */
export const TEMP_PREFIX = ".tmp-";

/** Who wrote a temporary file: a short tag of the host's name, and the process id. */
export interface TempOwner {
  host: string;
  pid: number;
}

const hostTag = (name: string) => createHash("sha256").update(name).digest("hex").slice(0, 8);
const OWN_HOST = hostTag(hostname());
const OWNED_NAME = /^\.tmp-([0-9a-f]{8})-(\d+)-[0-9a-f]+$/;

/** A fresh temporary file name naming its writer: `.tmp-<host tag>-<pid>-<random>`. */
export function tempName(): string {
  return `${TEMP_PREFIX}${OWN_HOST}-${process.pid}-${randomBytes(8).toString("hex")}`;
}

/** The writer a temporary file's name records, or null for a name that records none (written by older versions). */
export function tempOwner(name: string): TempOwner | null {
  const match = OWNED_NAME.exec(name);
  return match ? { host: match[1] as string, pid: Number(match[2]) } : null;
}

/**
 * Whether a temporary file is a leftover: its writer is a process of this host that no longer runs, or — when that
 * cannot be told (another host, or a name without a writer) — it has not been written for `staleMs`, the age after
 * which a store lock is taken over too. A file of a live process of this host is never a leftover.
 */
export function isLeftover(name: string, ageMs: number, staleMs: number): boolean {
  const owner = tempOwner(name);
  if (owner !== null && owner.host === OWN_HOST) return !isProcessAlive(owner.pid);
  return ageMs > staleMs;
}

/**
 * Removes the leftover temporary files (see {@link isLeftover}) directly in `dir`, which a process killed in the
 * middle of a write leaves behind. A missing folder has none. Returns the names removed.
 */
export async function sweepTempFiles(dir: string, staleMs: number): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.startsWith(TEMP_PREFIX));
  } catch (error) {
    if (isErrno(error, "ENOENT", "ENOTDIR")) return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const info = await lstat(file).catch(() => null);
    if (info === null || !isLeftover(name, Date.now() - info.mtimeMs, staleMs)) continue;
    await rm(file, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
