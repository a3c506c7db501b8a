import { lstat, readdir, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { NocturneError } from "@nocturne/core";
import { usageError } from "../exit-codes.js";
import { isInside, ownerPid, processAlive, realPathOf } from "./real-path.js";

/** The hidden prefix of the temporary file a report is written to before it is linked into place. */
export const reportTempPrefix = (file: string) => `.${basename(file)}.nocturne-`;

/**
 * Checks a `--report` path before anything runs and returns its real path: it must not exist (a report never
 * replaces a file, a link or a hard link to another file: `output_exists`) and must not lie, by its real path,
 * inside any of `protectedFolders` (the input memory folder, `--out`, the storage folder). Also removes the
 * temporary report files runs that were killed left beside it.
 */
export async function checkReportPath(report: string, protectedFolders: Array<{ flag: string; real: string }>) {
  if ((await lstat(report).catch(() => null)) !== null) {
    throw new NocturneError(
      "output_exists",
      `--report ${report} already exists; nocturne never writes over anything. Choose a new file name.`,
      { details: { path: report } },
    );
  }
  const real = await realPathOf(report);
  for (const folder of protectedFolders) {
    if (isInside(real, folder.real)) {
      throw usageError(
        `--report ${report} is inside ${folder.flag} (${folder.real}), which nocturne never writes into. Write it elsewhere.`,
      );
    }
  }
  const prefix = reportTempPrefix(real);
  for (const name of await readdir(dirname(real)).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue;
    const pid = ownerPid(`-${name.slice(prefix.length)}`);
    if (pid !== null && pid !== process.pid && !processAlive(pid)) await rm(join(dirname(real), name), { force: true });
  }
  return real;
}

/** {@link checkReportPath} for the storage commands: the report must not land inside a `--storage` folder. */
export async function checkStoredReportPath(report: string | undefined, storage: string | undefined): Promise<void> {
  if (report === undefined) return;
  const folders =
    storage === undefined || storage.startsWith("sqlite:")
      ? []
      : [{ flag: "--storage", real: await realPathOf(storage) }];
  await checkReportPath(report, folders);
}
