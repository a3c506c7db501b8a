import { lstat, realpath, stat } from "node:fs/promises";
import { createFsAdapter } from "@nocturne/adapters-fs";
import { createNocturne, type Dream, NocturneError } from "@nocturne/core";
import type { CliIo } from "../cli-io.js";
import { EXIT_CODES, usageError } from "../exit-codes.js";
import { writeCompletionMarker } from "../files/completion-marker.js";
import { carryOverUnread, secretLinesLeftOut } from "../files/input-coverage.js";
import { memoryFiles } from "../files/memory-files.js";
import { claimOutput } from "../files/output-claim.js";
import { isInside, realPathOf } from "../files/real-path.js";
import { checkReportPath } from "../files/report-path.js";
import { createWorkDir } from "../files/work-dir.js";
import { followDream } from "../follow-dream.js";
import { loadSessions } from "../load-sessions.js";
import { DREAM_OPTIONS, dreamSettings, parseCommand } from "../parse-options.js";
import { summaryLines } from "../summary.js";
import { safeText } from "../terminal-text.js";
import { storeContents, writeReport } from "../write-report.js";
import { modelFor } from "./model-option.js";

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return false;
      if (error.code === "ENOTDIR") return false;
      throw error;
    },
  );
}

/**
 * `nocturne dream --memory <dir> --sessions <file-or-dir>... --out <dir>`: dreams over a folder of memory files and
 * transcript files. The memory folder is mounted read-only; the new store is written into `--out`, which must not
 * exist yet and must not lie inside `--memory` by its real path (links resolved). `--out` is claimed at the start,
 * filled when the dream ends and marked complete (last, atomically) only when the dream completed. Working state
 * (transcript copies) lives in a private folder removed afterwards, or at the next run's start if this one is killed.
 */
export async function dreamLocal(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand("dream", args, {
    ...DREAM_OPTIONS,
    memory: { type: "string" },
    sessions: { type: "string", multiple: true },
    out: { type: "string" },
  });
  if (positionals.length > 0) throw usageError(`nocturne dream: unexpected argument "${positionals[0]}".`);
  const json = values.json === true;
  const memory = values.memory;
  const out = values.out;
  const sessionPaths = values.sessions ?? [];
  if (memory === undefined) throw usageError("nocturne dream needs --memory <dir> (the memory folder to read).");
  if (sessionPaths.length === 0) throw usageError("nocturne dream needs --sessions <file-or-dir> (one or more).");
  if (out === undefined) throw usageError("nocturne dream needs --out <dir> (a new folder for the dreamed memory).");
  const settings = await dreamSettings(values);

  if (await exists(out)) {
    throw new NocturneError(
      "output_exists",
      `--out ${out} already exists; nocturne never writes over anything. Choose a new folder, or remove that one first.`,
      { details: { out } },
    );
  }
  const memoryInfo = await stat(memory).catch(() => null);
  if (memoryInfo === null || !memoryInfo.isDirectory()) {
    throw new NocturneError("invalid_input", `--memory ${memory} is not a folder. Point it at the memory folder.`, {
      details: { memory },
    });
  }
  const realMemory = await realpath(memory);
  const realOut = await realPathOf(out);
  if (isInside(realOut, realMemory)) {
    throw usageError(
      `--out ${out} is inside --memory ${memory} (by its real path ${realOut}); the input folder is never written. Put --out elsewhere.`,
    );
  }
  if (settings.report !== undefined) {
    await checkReportPath(settings.report, [
      { flag: "--memory", real: realMemory },
      { flag: "--out", real: realOut },
    ]);
  }

  const notes = (text: string) => io.stderr.write(`${text}\n`);
  const { imported } = await loadSessions(sessionPaths, notes);
  const model = modelFor(settings.model);

  const work = await createWorkDir();
  let claim: Awaited<ReturnType<typeof claimOutput>> | undefined;
  const unread = new Map<string, string>();
  const storage = createFsAdapter({
    root: work.path,
    onWarning: (warning) => {
      unread.set(warning.path, warning.message.replace(/^Skipped [^:]*: /, "").replace(/\.$/, ""));
      notes(safeText(`warning: ${memory}: ${warning.message}`));
    },
    storeFolder: () => claim?.store,
  });
  const nocturne = createNocturne({
    storage,
    ...(model === undefined ? {} : { model }),
    ...(settings.concurrency === undefined ? {} : { concurrency: settings.concurrency }),
    ...(settings.toolResultTokens === undefined ? {} : { toolResultTokens: settings.toolResultTokens }),
  });
  try {
    claim = await claimOutput(realOut);
    const store = await storage.mountFolder(memory, { readOnly: true });
    for (const { session } of imported) await storage.putSession(session);
    const dream = await nocturne.dreams.create(
      {
        inputs: [
          { type: "memory_store", memory_store_id: store.id },
          { type: "sessions", session_ids: imported.map(({ session }) => session.id) },
        ],
        instructions: settings.instructions,
        ...(settings.model === "offline" ? {} : { model: settings.model }),
      },
      settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs },
    );
    notes(`Dreaming over ${imported.length} sessions and ${memory} into ${out} (dream ${dream.id}).`);
    const final = await followDream(nocturne, dream.id, io);
    const report = await nocturne.dreams.report(final.id);
    if (settings.report !== undefined && report !== null) {
      const sessions = imported.map(({ session }) => ({
        id: session.id,
        title: session.title,
        created_at: session.created_at,
        metadata: session.metadata,
      }));
      await writeReport(settings.report, report, { storage, sessions });
    }
    const inputs = await storeContents(storage, store.id);
    const outputs = await storeContents(storage, final.outputs[0]?.memory_store_id ?? null);
    await nocturne.close();
    if (final.status === "completed") {
      const leftOut = [
        ...(await carryOverUnread(realMemory, claim.store, inputs, unread)),
        ...secretLinesLeftOut(inputs, outputs),
      ];
      for (const entry of leftOut) {
        notes(safeText(`${entry.carried ? "carried over unchanged" : "left out"}: ${entry.path} (${entry.reason})`));
      }
      await writeCompletionMarker(claim.store, {
        version: 1,
        dream_id: final.id,
        status: "completed",
        completed_at: final.ended_at ?? new Date().toISOString(),
        files: [...(await memoryFiles(claim.store)).keys()],
        left_out: leftOut,
      });
    }
    if (final.outputs.length > 0) await claim.publish();
    else await claim.release();
    finish(io, json, final, summaryLines(final, report), { out, memory, report: settings.report });
    return final.status === "completed" ? EXIT_CODES.ok : EXIT_CODES.dreamFailed;
  } finally {
    await nocturne.close().catch(() => undefined);
    await claim?.release();
    await work.remove();
  }
}

function finish(
  io: CliIo,
  json: boolean,
  dream: Dream,
  lines: string[],
  paths: { out: string; memory: string; report: string | undefined },
): void {
  if (json) {
    io.stdout.write(`${JSON.stringify(dream)}\n`);
    return;
  }
  const text = [...lines];
  if (dream.outputs.length > 0) text.push(`  Output: ${paths.out}`);
  if (paths.report !== undefined) text.push(`  Report: ${paths.report}`);
  if (dream.status === "completed") {
    text.push(`Review it, then adopt it with: nocturne adopt --from ${paths.out} --memory ${paths.memory}`);
  } else if (dream.outputs.length > 0) {
    text.push(`The partial output is kept in ${paths.out}.`);
  }
  io.stdout.write(`${text.join("\n")}\n`);
}
