import { open, rename, rm, utimes } from "node:fs/promises";
import { dirname, join } from "node:path";

import { tempName } from "./temp-files.js";

/** Flushes a folder's entries (new, renamed or removed names) to disk. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Options for {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** fsync the data before the rename (and the folder after it, unless `syncDir` is false). */
  durable: boolean;
  /** fsync the target's folder after the rename. Default: same as `durable`. */
  syncDir?: boolean;
  /** Where the temporary file goes; must be on the same file system as the target. Default: beside the target. */
  tempDir?: string;
  /** Modification time to give the file. */
  mtime?: Date;
}

/**
 * Writes a file so readers see either the old bytes or the new ones, never a mix: the data goes to a temporary
 * file which is flushed, then renamed over the target.
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions,
): Promise<void> {
  const temp = join(options.tempDir ?? dirname(target), tempName());
  const handle = await open(temp, "wx");
  try {
    try {
      await handle.writeFile(data);
      if (options.durable) await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.mtime) await utimes(temp, options.mtime, options.mtime);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  if (options.syncDir ?? options.durable) await fsyncDir(dirname(target));
}
