import { renameSync, rmdirSync, rmSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rename, rm, rmdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { processAlive, writeError } from "./real-path.js";

/** An `--out` folder this run has claimed, and the hidden staging folder the dream writes into. */
export interface OutputClaim {
  /** The real path of `--out` (an empty folder until published). */
  readonly out: string;
  /** The folder the dream's output store is created in (does not exist until the adapter creates it). */
  readonly store: string;
  /** Moves the written store into `--out` (call after its writers are closed). Idempotent. */
  publish(): Promise<void>;
  /** Gives `--out` back: removes the claim and anything staged (nothing was published). */
  release(): Promise<void>;
}

/**
 * Claims `--out` (its real path): creates it empty, exclusively, so of two runs racing for one folder the second
 * fails at once with `output_exists`; a read-only parent fails `storage_permission_denied`, a file where the parent
 * should be `invalid_input`. The dream writes into a hidden staging folder beside it, moved into place by
 * `publish()`, so a run killed mid-dream leaves only an empty `--out` that nothing can adopt. Staging folders and
 * claims of runs whose process is gone are swept first. If the process exits without publishing (a second Ctrl-C),
 * what was written is moved into `--out` anyway, without the completion marker.
 */
export async function claimOutput(out: string): Promise<OutputClaim> {
  const parent = dirname(out);
  await sweepStaging(out);
  try {
    await mkdir(parent, { recursive: true });
    await mkdir(out);
  } catch (error) {
    throw writeError(error, out, "--out");
  }
  let staging: string;
  try {
    staging = await mkdtemp(join(parent, `.${basename(out)}.nocturne-p${process.pid}-`));
  } catch (error) {
    await rmdir(out).catch(() => undefined);
    throw writeError(error, out, "--out");
  }
  const store = join(staging, "store");
  let settled = false;
  const onExit = () => {
    if (settled) return;
    try {
      renameSync(store, out);
    } catch {
      // Nothing staged yet: give the claim back.
      try {
        rmdirSync(out);
      } catch {}
    }
    rmSync(staging, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  return {
    out,
    store,
    async publish() {
      if (settled) return;
      settled = true;
      process.off("exit", onExit);
      await rename(store, out).catch(async (error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw writeError(error, out, "--out");
      });
      await rm(staging, { recursive: true, force: true });
    },
    async release() {
      if (settled) return;
      settled = true;
      process.off("exit", onExit);
      await rm(staging, { recursive: true, force: true });
      await rmdir(out).catch(() => undefined);
    },
  };
}

/**
 * Removes the staging folders killed runs left in `out`'s folder (`.<name>.nocturne-p<pid>-…` of a process that is
 * gone), and each one's `<name>` when it is the empty folder that run claimed.
 */
async function sweepStaging(out: string): Promise<void> {
  const parent = dirname(out);
  for (const entry of await readdir(parent).catch(() => [] as string[])) {
    const match = /^\.(.+)\.nocturne-p(\d+)-[^/]*$/.exec(entry);
    if (match?.[1] === undefined) continue;
    const pid = Number(match[2]);
    if (pid === process.pid || processAlive(pid)) continue;
    await rm(join(parent, entry), { recursive: true, force: true });
    await rmdir(join(parent, match[1])).catch(() => undefined);
  }
}
