import { lstat, readlink, realpath } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { NocturneError } from "@nocturne/core";

/**
 * The real path `path` has or would have once created: every symbolic link among its existing ancestors (and the
 * path itself, when it exists) resolved, the missing tail kept as written. Containment checks compare real paths,
 * so a link into the input folder is seen for what it is. A file where a folder should be fails `invalid_input`.
 */
export async function realPathOf(path: string, hops = 0): Promise<string> {
  if (hops > 40) {
    throw new NocturneError("invalid_input", `${path} goes through too many symbolic links. Choose another path.`, {
      details: { path },
    });
  }
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    try {
      return join(await realpath(current), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOTDIR") {
        throw new NocturneError("invalid_input", `${path} lies below a file, not a folder. Choose another path.`, {
          details: { path },
        });
      }
      const parent = dirname(current);
      if (code !== "ENOENT" || parent === current) throw error;
      // A dangling link: where it points is where a write through it would land.
      if ((await lstat(current).catch(() => null))?.isSymbolicLink()) {
        const target = resolve(parent, await readlink(current));
        return realPathOf(join(target, ...missing.reverse()), hops + 1);
      }
      missing.push(basename(current));
      current = parent;
    }
  }
}

/** True when `inner` is `outer` or inside it (compare real paths, see {@link realPathOf}). */
export function isInside(inner: string, outer: string): boolean {
  const rel = relative(resolve(outer), resolve(inner));
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel));
}

/** True while a process with this id runs on this machine. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The process id in a leftover's name written as `…-p<pid>-…`, or null. */
export function ownerPid(name: string): number | null {
  const match = /-p(\d+)-/.exec(name);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** Maps a failed file-system call on a path the CLI writes to a typed error. */
export function writeError(error: unknown, path: string, what: string): NocturneError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EEXIST" || code === "ENOTEMPTY") {
    return new NocturneError(
      "output_exists",
      `${what} ${path} already exists (another run may have taken it first); nocturne never writes over anything. Choose a new path.`,
      { details: { path }, cause: error },
    );
  }
  if (code === "ENOTDIR") {
    return new NocturneError("invalid_input", `${what} ${path} lies below a file, not a folder. Choose another path.`, {
      details: { path },
      cause: error,
    });
  }
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
    return new NocturneError(
      "storage_permission_denied",
      `${what} ${path} cannot be written (${code}): its folder is read-only. Choose a writable place.`,
      { details: { path }, cause: error },
    );
  }
  if (code === "ENOSPC") {
    return new NocturneError("storage_full", `${what} ${path}: the disk is full. Free space and try again.`, {
      details: { path },
      cause: error,
    });
  }
  return new NocturneError("storage_error", `${what} ${path} could not be written: ${(error as Error).message}`, {
    details: { path },
    cause: error,
  });
}
