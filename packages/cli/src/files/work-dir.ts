import { rmSync } from "node:fs";
import { chmod, lstat, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NocturneError } from "@nocturne/core";
import { ownerPid, processAlive } from "./real-path.js";

/** A run's private working folder and how to remove it. */
export interface WorkDir {
  readonly path: string;
  /** Removes the folder (also done synchronously if the process exits first). */
  remove(): Promise<void>;
}

/** The folder, private to this user, that holds every run's working folder. */
export function workBase(): string {
  return join(tmpdir(), `nocturne-work-${process.getuid?.() ?? "user"}`);
}

/**
 * Creates this run's working folder (imported transcripts, dream records) inside a private base folder (mode 0700,
 * owned by this user, no link), after removing the folders of runs whose process is gone (killed with SIGKILL or
 * by a power cut): no transcript copy outlives its run by more than the next run's start. The folder is removed
 * when the run ends, on `process.exit` included.
 */
export async function createWorkDir(): Promise<WorkDir> {
  const base = workBase();
  await mkdir(base, { recursive: true, mode: 0o700 });
  const info = await lstat(base);
  const uid = process.getuid?.();
  if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) {
    throw new NocturneError(
      "storage_permission_denied",
      `${base} is not a folder of this user's; it would hold transcript copies. Remove it or set TMPDIR elsewhere.`,
      { details: { path: base } },
    );
  }
  if ((info.mode & 0o077) !== 0) await chmod(base, 0o700);
  await sweepWorkDirs(base);
  const path = await mkdtemp(join(base, `run-p${process.pid}-`));
  const onExit = () => rmSync(path, { recursive: true, force: true });
  process.once("exit", onExit);
  return {
    path,
    async remove() {
      process.off("exit", onExit);
      await rm(path, { recursive: true, force: true });
    },
  };
}

/** Removes the working folders of runs whose process no longer exists. Returns their names. */
export async function sweepWorkDirs(base = workBase()): Promise<string[]> {
  const names = await readdir(base).catch(() => [] as string[]);
  const swept: string[] = [];
  for (const name of names) {
    const pid = ownerPid(`${name}-`);
    if (pid === null || pid === process.pid || processAlive(pid)) continue;
    await rm(join(base, name), { recursive: true, force: true });
    swept.push(name);
  }
  return swept;
}
