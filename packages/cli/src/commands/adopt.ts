import { realpath, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { createFsAdapter, type FsAdapter, fsPathProblem } from "@nocturne/adapters-fs";
import {
  type AppliedMemory,
  applyMemories,
  type MemoryActor,
  type MemoryTarget,
  NocturneError,
  type PlannedChange,
  planMemoryChanges,
  readAllMemories,
} from "@nocturne/core";
import type { CliIo } from "../cli-io.js";
import { EXIT_CODES, usageError } from "../exit-codes.js";
import { claimAdopt } from "../files/adopt-claim.js";
import { readCompletionMarker } from "../files/completion-marker.js";
import type { LeftOut } from "../files/input-coverage.js";
import { isInside } from "../files/real-path.js";
import { createWorkDir } from "../files/work-dir.js";
import { parseCommand } from "../parse-options.js";
import { safeText } from "../terminal-text.js";
import { undoTargets } from "./adopt-undo.js";
import { withStorage } from "./with-storage.js";

/** What an adopt changes in the memory folder, by memory path (the `--json` result carries these fields). */
export interface AdoptPlan {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
}

interface AdoptOptions {
  yes: boolean;
  json: boolean;
}

async function requireFolder(path: string, flag: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (info === null || !info.isDirectory()) {
    throw new NocturneError("invalid_input", `${flag} ${path} is not a folder. Check the path.`, { details: { path } });
  }
}

/**
 * `nocturne adopt --from <dream-out> --memory <dir> [--yes]` (or `--storage <s> --dream <id>` for a dream kept in
 * storage): writes a completed dream's memories into the memory folder as the store it is, the way an
 * `update_existing` dream does — every create, change and delete recorded as a memory version by the dream, in the
 * folder's `.nocturne/`. Other hidden entries (`.git`, editor settings) and files that are not memories are left
 * alone. `nocturne adopt --undo <dream_id> --memory <dir>` restores, from those versions, what the adopt changed.
 * Asks first on a terminal; elsewhere it needs `--yes`.
 */
export async function adoptCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand("adopt", args, {
    from: { type: "string" },
    storage: { type: "string" },
    dream: { type: "string" },
    undo: { type: "string" },
    memory: { type: "string" },
    yes: { type: "boolean" },
    json: { type: "boolean" },
  });
  if (positionals.length > 0) throw usageError(`nocturne adopt: unexpected argument "${positionals[0]}".`);
  const fromStorage = values.storage !== undefined || values.dream !== undefined;
  const sources = [values.from !== undefined, fromStorage, values.undo !== undefined].filter(Boolean).length;
  if (values.memory === undefined || sources !== 1) {
    throw usageError(
      "nocturne adopt needs --memory <folder> and one of --from <dream output folder>, --storage <s> --dream <id>, or --undo <dream_id>.",
    );
  }
  const memory = resolve(values.memory);
  await requireFolder(memory, "--memory");
  const options = { yes: values.yes === true, json: values.json === true };
  if (values.undo !== undefined) {
    const dreamId = values.undo;
    return withMemoryFolder(memory, dreamId, async (adapter, storeId) => {
      const plan = await undoTargets(adapter, storeId, dreamId);
      const actor: MemoryActor = { type: "user_actor", user_id: `nocturne adopt --undo ${dreamId}` };
      return applyPlan({ adapter, storeId, memory, plan, actor, leftOut: [], io, options, undo: dreamId });
    });
  }
  if (values.from !== undefined) {
    const from = resolve(values.from);
    await requireFolder(from, "--from");
    const [realFrom, realMemory] = await Promise.all([realpath(from), realpath(memory)]);
    if (isInside(realFrom, realMemory) || isInside(realMemory, realFrom)) {
      throw usageError("--from and --memory must be separate folders, neither inside the other.");
    }
    const marker = await readCompletionMarker(realFrom);
    return withMemoryFolder(memory, marker.dream_id, async (adapter, storeId) => {
      const output = await adapter.mountFolder(realFrom, { readOnly: true });
      const targets = await readAllMemories(adapter, output.id);
      return adoptTargets(
        { adapter, storeId, memory, dreamId: marker.dream_id, targets, leftOut: marker.left_out },
        io,
        options,
      );
    });
  }
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
    const targets = await readAllMemories(storage, output);
    return withMemoryFolder(memory, dream.id, (adapter, storeId) =>
      adoptTargets({ adapter, storeId, memory, dreamId: dream.id, targets, leftOut: [] }, io, options),
    );
  });
}

/**
 * Runs `work` on the memory folder mounted as a writable store (its id and versions kept in its `.nocturne/`) by
 * an fs adapter whose root is a private working folder, removed afterwards; the folder is claimed for `holder`
 * (see {@link claimAdopt}) from before it is read until `work` ends.
 */
async function withMemoryFolder<T>(
  memory: string,
  holder: string,
  work: (adapter: FsAdapter, storeId: string) => Promise<T>,
): Promise<T> {
  const release = await claimAdopt(memory, holder);
  const root = await createWorkDir();
  const adapter = createFsAdapter({ root: root.path });
  try {
    const store = await adapter.mountFolder(memory, { readOnly: false });
    return await work(adapter, store.id);
  } finally {
    await adapter.close();
    await root.remove();
    await release();
  }
}

interface AdoptSource {
  adapter: FsAdapter;
  storeId: string;
  memory: string;
  dreamId: string;
  targets: readonly MemoryTarget[];
  leftOut: readonly LeftOut[];
}

/** Makes the memory folder hold exactly the dream's memories, every change a version by the dream. */
async function adoptTargets(source: AdoptSource, io: CliIo, options: AdoptOptions): Promise<number> {
  for (const target of source.targets) {
    const problem = fsPathProblem(target.path);
    if (problem !== null) {
      throw new NocturneError(
        "invalid_memory_path",
        `Dream ${source.dreamId} holds the memory ${target.path}, which cannot be a file in a memory folder: ${problem}. Nothing was changed.`,
        { details: { path: target.path } },
      );
    }
  }
  const existing = await readAllMemories(source.adapter, source.storeId);
  const plan = planMemoryChanges(existing, source.targets, true);
  const actor: MemoryActor = { type: "dream_actor", dream_id: source.dreamId };
  return applyPlan({ ...source, plan, actor, io, options });
}

interface ApplyRequest {
  adapter: FsAdapter;
  storeId: string;
  memory: string;
  plan: PlannedChange[];
  actor: MemoryActor;
  leftOut: readonly LeftOut[];
  io: CliIo;
  options: AdoptOptions;
  dreamId?: string;
  undo?: string;
}

/** Shows the plan, asks (unless `--yes`), and writes it, printing each change as it is made. */
async function applyPlan(request: ApplyRequest): Promise<number> {
  const { adapter, storeId, memory, plan, actor, io, options } = request;
  // What the dream did not take in as memories is shown before anything changes: carried over, or left out.
  for (const entry of request.leftOut) {
    io.stderr.write(
      safeText(`${entry.carried ? "carried over unchanged" : "left out"}: ${entry.path} (${entry.reason})\n`),
    );
  }
  const counts = summaryOf(plan);
  const summary = `${counts.added.length} added, ${counts.changed.length} changed, ${counts.removed.length} removed, ${counts.unchanged} unchanged`;
  const what =
    request.undo === undefined
      ? `the memories of dream ${request.dreamId}`
      : `the undo of dream ${request.undo}'s adopt`;
  if (!options.yes) {
    const ok = await io.confirm(`Write ${what} into ${memory} (${summary})? Every change is kept as a memory version.`);
    if (!ok)
      throw new NocturneError(
        "invalid_input",
        `Not adopted (${summary}). Run again with --yes to write ${what} into ${memory}.`,
      );
  }
  await applyMemories(adapter, storeId, plan, {
    actor,
    onApplied: (applied: AppliedMemory) => {
      if (applied.operation !== "unchanged") io.stderr.write(safeText(`${applied.operation} ${applied.path}\n`));
    },
  });
  if (request.undo !== undefined) {
    if (options.json)
      io.stdout.write(`${JSON.stringify({ undone: true, memory, dream_id: request.undo, ...counts })}\n`);
    else io.stdout.write(`Undid the adopt of dream ${request.undo} in ${memory} (${summary}).\n`);
    return EXIT_CODES.ok;
  }
  const undo = `nocturne adopt --undo ${request.dreamId} --memory ${memory} --yes`;
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({ adopted: true, memory, dream_id: request.dreamId, memory_store_id: storeId, undo, ...counts, left_out: request.leftOut })}\n`,
    );
  } else {
    io.stdout.write(
      `Adopted dream ${request.dreamId} into ${memory} (${summary}).\nEvery change is a memory version in ${memory}/.nocturne; to undo: ${undo}\n`,
    );
  }
  return EXIT_CODES.ok;
}

function summaryOf(plan: readonly PlannedChange[]): AdoptPlan {
  const paths = (operation: PlannedChange["operation"]) =>
    plan.filter((step) => step.operation === operation).map((step) => step.path);
  return {
    added: paths("created"),
    changed: paths("modified"),
    removed: paths("deleted"),
    unchanged: paths("unchanged").length,
  };
}
