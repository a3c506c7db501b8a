import { type ImportedTranscript, importTranscriptFile, listTranscriptFiles, NocturneError } from "@nocturne/core";
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
  const files = await listTranscriptFiles(paths);
  if (files.length === 0) {
    throw usageError(
      `No transcript files (.json, .jsonl, .ndjson) found in ${paths.join(", ")}.`,
      "Point --sessions at transcript files.",
    );
  }
  const imported: LoadedSessions["imported"] = [];
  const owners = new Map<string, string>();
  for (const file of files) {
    const result = await importTranscriptFile(file);
    for (const warning of result.warnings) {
      onWarning(`warning: ${warning.file}${warning.line === null ? "" : `:${warning.line}`}: ${warning.message}`);
    }
    const previous = owners.get(result.session.id);
    if (previous !== undefined) {
      throw new NocturneError(
        "duplicate_session_ids",
        `${previous} and ${file} hold the same session (${result.session.id}). Pass only one of them.`,
        { details: { session_id: result.session.id, files: [previous, file] } },
      );
    }
    owners.set(result.session.id, file);
    imported.push({ ...result, file });
  }
  return { imported };
}
