import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { NocturneError } from "@nocturne/core";
import { isErrno } from "./fs-errors.js";
import { isProcessAlive } from "./process-alive.js";

/** Who holds a lock file. */
export interface LockOwner {
  pid: number;
  host: string;
  token: string;
  acquired_at: string;
}

/** Options for {@link acquireFileLock}. */
export interface FileLockOptions {
  /** Give up with `storage_busy` after waiting this long. */
  timeoutMs: number;
  /** A lock older than this is taken over even if its owner seems alive (owners hold locks for one write). */
  staleMs: number;
  /** What the lock protects, for the error message. */
  what: string;
}

/** Releases a lock; safe to call twice. */
export type ReleaseLock = () => Promise<void>;

const GUARD_STALE_MS = 5_000;

async function readOwner(path: string): Promise<{ owner: LockOwner | null; ageMs: number } | null> {
  try {
    const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    let owner: LockOwner | null = null;
    try {
      owner = JSON.parse(text) as LockOwner;
    } catch {
      owner = null;
    }
    return { owner, ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if (isErrno(error, "ENOENT")) return null;
    throw error;
  }
}

function isStale(found: { owner: LockOwner | null; ageMs: number }, staleMs: number): boolean {
  if (found.ageMs > staleMs) return true;
  const { owner } = found;
  if (owner === null) return found.ageMs > GUARD_STALE_MS;
  return owner.host === hostname() && !isProcessAlive(owner.pid);
}

async function tryCreate(path: string, owner: LockOwner): Promise<boolean> {
  try {
    const handle = await open(path, "wx");
    try {
      await handle.writeFile(JSON.stringify(owner));
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if (isErrno(error, "EEXIST")) return false;
    if (isErrno(error, "ENOENT")) {
      await mkdir(dirname(path)).catch((mkdirError: unknown) => {
        if (!isErrno(mkdirError, "EEXIST")) throw mkdirError;
      });
      return tryCreate(path, owner);
    }
    throw error;
  }
}

/**
 * Removes a stale lock. Takers first create a short-lived guard file, so two processes that both found the same
 * stale lock cannot remove a fresh lock the other just created.
 */
async function breakStale(path: string, seen: LockOwner | null): Promise<void> {
  const guard = `${path}.break`;
  const me: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(8).toString("hex"), acquired_at: "" };
  if (!(await tryCreate(guard, me))) {
    const other = await readOwner(guard);
    if (other && other.ageMs > GUARD_STALE_MS) await unlink(guard).catch(() => undefined);
    return;
  }
  try {
    const now = await readOwner(path);
    if (now !== null && (now.owner?.token ?? null) === (seen?.token ?? null)) await unlink(path).catch(() => undefined);
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

/**
 * Takes an exclusive lock by creating `path` (O_EXCL) with the owner's pid, host and a random token. A lock left
 * by a dead process on this host, or older than `staleMs`, is broken. Waits with backoff up to `timeoutMs`, then
 * fails with `storage_busy`.
 */
export async function acquireFileLock(path: string, options: FileLockOptions): Promise<ReleaseLock> {
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    token: randomBytes(12).toString("hex"),
    acquired_at: new Date().toISOString(),
  };
  const deadline = Date.now() + options.timeoutMs;
  let delay = 1;
  for (;;) {
    if (await tryCreate(path, owner)) break;
    const found = await readOwner(path);
    if (found !== null && isStale(found, options.staleMs)) {
      await breakStale(path, found.owner);
      continue;
    }
    if (Date.now() >= deadline) {
      const holder = found?.owner;
      throw new NocturneError(
        "storage_busy",
        `${options.what} is locked by ${holder ? `process ${holder.pid} on ${holder.host} since ${holder.acquired_at}` : "another process"}. Retry when it is done; if that process is gone, delete ${path}.`,
        { retryable: true, details: { lock_file: path, owner: holder ?? null } },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 50);
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    const found = await readOwner(path);
    if (found?.owner?.token === owner.token) await unlink(path).catch(() => undefined);
  };
}
