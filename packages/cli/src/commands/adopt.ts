import { cp, lstat, mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { NocturneError, type StorageAdapter } from "@nocturne/core";
import type { CliIo } from "../cli-io.js";
import { EXIT_CODES, usageError } from "../exit-codes.js";
import { readCompletionMarker } from "../files/completion-marker.js";
import { memoryFiles } from "../files/memory-files.js";
import { isInside, ownerPid, processAlive } from "../files/real-path.js";
import { parseCommand } from "../parse-options.js";
import { safeText } from "../terminal-text.js";
import { storeContents } from "../write-report.js";
import { withStorage } from "./with-storage.js";

/** The folder the fs adapter keeps its metadata in; a dream output's is not carried into the memory folder. */
const ADAPTER_META = ".nocturne";

/** What adopting would change, file by file (hidden entries are not memories and are not compared). */
export interface AdoptPlan {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
}

/** Compares two memory folders. */
export async function adoptPlan(from: string, memory: string): Promise<AdoptPlan> {
  const [next, current] = await Promise.all([memoryFiles(from), memoryFiles(memory)]);
  const plan: AdoptPlan = { added: [], changed: [], removed: [], unchanged: 0 };
  for (const [path, file] of next) {
    const old = current.get(path);
    if (old === undefined) plan.added.push(path);
    else if (!(await readFile(old)).equals(await readFile(file))) plan.changed.push(path);
    else plan.unchanged++;
  }
  for (const path of current.keys()) if (!next.has(path)) plan.removed.push(path);
  return plan;
}

async function requireFolder(path: string, flag: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (info === null || !info.isDirectory()) {
    throw new NocturneError("invalid_input", `${flag} ${path} is not a folder. Check the path.`, { details: { path } });
  }
}

/**
 * `nocturne adopt --from <dream-out> --memory <dir> [--yes]` (or `--storage <s> --dream <id>` for a dream kept in
 * storage): makes a dream's output the memory folder. Nothing is deleted: the previous folder is renamed to
 * `<dir>.before-<time>` beside it (adopt it back the same way to undo). Hidden entries of the old folder (`.git`,
 * editor settings, the adapter's `.nocturne` metadata, which re-checks each file's hash) are carried over; the dream
 * output's own `.nocturne` is not. Asks first on a terminal; elsewhere it needs `--yes`.
 */
export async function adoptCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand("adopt", args, {
    from: { type: "string" },
    storage: { type: "string" },
    dream: { type: "string" },
    memory: { type: "string" },
    yes: { type: "boolean" },
    json: { type: "boolean" },
  });
  if (positionals.length > 0) throw usageError(`nocturne adopt: unexpected argument "${positionals[0]}".`);
  const fromStorage = values.storage !== undefined || values.dream !== undefined;
  if (values.memory === undefined || (values.from === undefined) === !fromStorage) {
    throw usageError(
      "nocturne adopt needs --memory <folder> and either --from <dream output folder> or --storage <s> --dream <id>.",
    );
  }
  const memory = resolve(values.memory);
  await sweepAdoptLeftovers(memory);
  await requireFolder(memory, "--memory");
  const options = { yes: values.yes === true, json: values.json === true };
  if (values.from !== undefined) return adoptFolder(resolve(values.from), memory, io, options);
  if (values.dream === undefined) throw usageError("nocturne adopt --storage needs --dream <dream_id>.");
  const dreamId = values.dream;
  return withStorage(values.storage, async ({ storage, nocturne }) => {
    const dream = await nocturne.dreams.retrieve(dreamId);
    const output = dream.outputs[0]?.memory_store_id;
    if (dream.status !== "completed" || output === undefined) {
      throw new NocturneError(
        "invalid_input",
        `Dream ${dream.id} is ${dream.status}; only a completed dream's output can be adopted. Run a new dream.`,
        { details: { dream_id: dream.id, status: dream.status } },
      );
    }
    const exported = await mkdtemp(join(dirname(memory), `.${basename(memory)}.export-p${process.pid}-`));
    try {
      await exportStore(storage, output, exported);
      return await adoptFolder(exported, memory, io, { ...options, exported: true });
    } finally {
      await rm(exported, { recursive: true, force: true });
    }
  });
}

/** Writes every memory of a store as files below a folder. */
async function exportStore(storage: StorageAdapter, storeId: string, folder: string): Promise<void> {
  for (const memory of await storeContents(storage, storeId)) {
    const file = join(folder, ...memory.path.slice(1).split("/"));
    if (!isInside(file, folder))
      throw new NocturneError("invalid_memory_path", `Memory path ${memory.path} leaves the folder.`);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, memory.content, "utf8");
  }
}

async function adoptFolder(
  from: string,
  memory: string,
  io: CliIo,
  options: { yes: boolean; json: boolean; exported?: boolean },
): Promise<number> {
  await requireFolder(from, "--from");
  const [realFrom, realMemory] = await Promise.all([realpath(from), realpath(memory)]);
  if (isInside(realFrom, realMemory) || isInside(realMemory, realFrom)) {
    throw usageError("--from and --memory must be separate folders, neither inside the other.");
  }
  const leftOut =
    options.exported || isBackupOf(realFrom, realMemory) ? [] : (await readCompletionMarker(realFrom)).left_out;
  // What the dream did not take in as memories is shown before anything changes: carried over, or left out.
  for (const entry of leftOut) {
    io.stderr.write(
      safeText(`${entry.carried ? "carried over unchanged" : "left out"}: ${entry.path} (${entry.reason})\n`),
    );
  }
  const plan = await adoptPlan(from, memory);
  const json = options.json;
  const summary = `${plan.added.length} added, ${plan.changed.length} changed, ${plan.removed.length} removed, ${plan.unchanged} unchanged`;
  if (!options.yes) {
    const ok = await io.confirm(`Replace ${memory} with ${from} (${summary})? The current folder is kept beside it.`);
    if (!ok) {
      throw new NocturneError(
        "invalid_input",
        `Not adopted (${summary}). Run again with --yes to replace ${memory}; its current version is kept beside it.`,
      );
    }
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const backup = `${memory}.before-${stamp}`;
  const staging = join(dirname(memory), `.${basename(memory)}.adopting-p${process.pid}-${stamp}`);
  try {
    await cp(from, staging, {
      recursive: true,
      errorOnExist: true,
      filter: (source) => relative(from, source).split(/[\\/]/)[0] !== ADAPTER_META,
    });
    for (const entry of await readdir(memory, { withFileTypes: true })) {
      if (!entry.name.startsWith(".")) continue;
      if (await lstat(join(staging, entry.name)).catch(() => null)) continue;
      await cp(join(memory, entry.name), join(staging, entry.name), { recursive: true, verbatimSymlinks: true });
    }
    await rename(memory, backup);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw new NocturneError(
      "storage_error",
      `Could not prepare the adoption: ${(error as Error).message}. Nothing was changed.`,
      {
        cause: error,
      },
    );
  }
  try {
    await rename(staging, memory);
  } catch (error) {
    await rename(backup, memory);
    await rm(staging, { recursive: true, force: true });
    throw new NocturneError(
      "storage_error",
      `Could not adopt: ${(error as Error).message}. ${memory} was put back as it was.`,
      {
        cause: error,
      },
    );
  }
  if (json) io.stdout.write(`${JSON.stringify({ adopted: true, memory, backup, ...plan, left_out: leftOut })}\n`);
  else {
    io.stdout.write(
      `Adopted ${from} as ${memory} (${summary}).\nThe previous version is in ${backup}; to undo: nocturne adopt --from ${backup} --memory ${memory} --yes\n`,
    );
  }
  return EXIT_CODES.ok;
}

/** True when `from` is a backup adopt made of `memory` (`<memory>.before-<time>` beside it): undo needs no marker. */
function isBackupOf(from: string, memory: string): boolean {
  return dirname(from) === dirname(memory) && basename(from).startsWith(`${basename(memory)}.before-`);
}

/**
 * Cleans up after adopts and exports whose process was killed: their hidden staging folders beside `memory` are
 * removed; one killed between its two renames (the memory folder already moved to its backup) is rolled back first,
 * the backup renamed back into place.
 */
async function sweepAdoptLeftovers(memory: string): Promise<void> {
  const parent = dirname(memory);
  const name = basename(memory);
  for (const entry of await readdir(parent).catch(() => [] as string[])) {
    const adopting = entry.startsWith(`.${name}.adopting-`);
    if (!adopting && !entry.startsWith(`.${name}.export-`)) continue;
    const pid = ownerPid(entry);
    if (pid === null || pid === process.pid || processAlive(pid)) continue;
    if (adopting && (await lstat(memory).catch(() => null)) === null) {
      const stamp = entry.slice(`.${name}.adopting-p${pid}-`.length);
      const restored = await rename(`${memory}.before-${stamp}`, memory).then(
        () => true,
        () => false,
      );
      if (!restored) continue;
    }
    await rm(join(parent, entry), { recursive: true, force: true });
  }
}
