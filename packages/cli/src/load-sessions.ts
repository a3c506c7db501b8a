import {
  type ImportedTranscript,
  type ImportWarning,
  importTranscriptFile,
  listTranscriptFiles,
  NocturneError,
} from "@nocturne/core";
import { usageError } from "./exit-codes.js";

/** Transcripts imported from files and folders, each with the file it came from. */
export interface LoadedSessions {
  imported: Array<ImportedTranscript & { file: string }>;
}

/**
 * Imports every transcript named by `--sessions` (files, or folders of `.json`/`.jsonl` files). A broken file stops
 * everything with an error naming the file and line; lossy lines are passed to `onWarning`.
 */
export async function loadSessions(paths: string[], onWarning: (text: string) => void): Promise<LoadedSessions> {
  const files = await transcriptFiles(paths);
  const imported: LoadedSessions["imported"] = [];
  const owners = new Map<string, string>();
  for (const file of files) {
    const result = await importTranscriptFile(file);
    reportWarnings(result.warnings, onWarning);
    claimSessionId(owners, result.session.id, file);
    imported.push({ ...result, file });
  }
  return { imported };
}

/** The transcript files named by `--sessions`; a usage error when there are none. */
export async function transcriptFiles(paths: string[]): Promise<string[]> {
  const files = await listTranscriptFiles(paths);
  if (files.length === 0) {
    throw usageError(
      `No transcript files (.json, .jsonl, .ndjson) found in ${paths.join(", ")}.`,
      "Point --sessions at transcript files.",
    );
  }
  return files;
}

/** Passes each import warning on as one line naming the file and line. */
export function reportWarnings(warnings: ImportWarning[], onWarning: (text: string) => void): void {
  for (const warning of warnings) {
    onWarning(`warning: ${warning.file}${warning.line === null ? "" : `:${warning.line}`}: ${warning.message}`);
  }
}

/** Records that `file` holds session `id`; `duplicate_session_ids` when an earlier file of this run held it. */
export function claimSessionId(owners: Map<string, string>, id: string, file: string): void {
  const previous = owners.get(id);
  if (previous !== undefined) {
    throw new NocturneError(
      "duplicate_session_ids",
      `${previous} and ${file} hold the same session (${id}). Pass only one of them.`,
      { details: { session_id: id, files: [previous, file] } },
    );
  }
  owners.set(id, file);
}
