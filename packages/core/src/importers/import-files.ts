import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { sessionOf } from "../adapters/storage-rules.js";
import { NocturneError } from "../errors.js";
import type { SessionEvent } from "../schemas/session.js";
import { importTranscript } from "./import-transcript.js";
import { STREAM_FROM_BYTES, type StreamedTranscript, streamClaudeCodeFile } from "./stream-claude-code.js";
import {
  DEFAULT_MAX_TRANSCRIPT_BYTES,
  type ImportedTranscript,
  type ImportTranscriptOptions,
} from "./transcript-format.js";

/** File name endings read as transcripts when a folder is given. */
export const TRANSCRIPT_EXTENSIONS = [".json", ".jsonl", ".ndjson"] as const;

/**
 * Imports one transcript file. Its modification time is the fallback session time for formats that carry none,
 * and its path is named in every error and warning. Large Claude Code JSONL files are read as a stream, line by
 * line (see `streamClaudeCodeFile`); other files are read whole. The session comes back whole, in memory: to put a
 * large transcript into storage without holding it, use `storeTranscriptFile`.
 */
export async function importTranscriptFile(
  path: string,
  options: Omit<ImportTranscriptOptions, "fileName" | "fileModifiedAt"> = {},
): Promise<ImportedTranscript> {
  const file = await openTranscriptFile(path, options);
  if (file.streamable) {
    const events: SessionEvent[] = [];
    const streamed = await streamTranscriptFile(file, async (batch) => {
      for (const event of batch) events.push(event);
    });
    if (streamed !== null) {
      const { header, format, timeSource, warnings } = streamed;
      return { session: sessionOf(header, events), format, timeSource, warnings };
    }
  }
  return readWholeTranscriptFile(file);
}

/** A transcript file about to be read: its path, the import options with its name and time, and how to read it. */
export interface TranscriptFile {
  path: string;
  options: ImportTranscriptOptions & { fileName: string };
  /** Large enough to be read as a stream, and not over the size limit. */
  streamable: boolean;
}

/** Looks at a transcript file (its size and time) before reading it. */
export async function openTranscriptFile(
  path: string,
  options: Omit<ImportTranscriptOptions, "fileName" | "fileModifiedAt">,
): Promise<TranscriptFile> {
  const info = await stat(path).catch((error: unknown) => {
    throw fileError(path, error);
  });
  const maxBytes = options.maxTranscriptBytes ?? DEFAULT_MAX_TRANSCRIPT_BYTES;
  return {
    path,
    options: { ...options, fileName: path, fileModifiedAt: info.mtime },
    streamable: info.isFile() && info.size >= STREAM_FROM_BYTES && info.size <= maxBytes,
  };
}

/** {@link streamClaudeCodeFile} on a transcript file, its read errors named after the file. */
export function streamTranscriptFile(
  file: TranscriptFile,
  sink: (events: SessionEvent[]) => Promise<void>,
): Promise<StreamedTranscript | null> {
  return streamClaudeCodeFile(file.path, file.options, sink).catch((error: unknown) => {
    throw NocturneError.isInstance(error) ? error : fileError(file.path, error);
  });
}

/** Reads a transcript file whole and imports it. */
export async function readWholeTranscriptFile(file: TranscriptFile): Promise<ImportedTranscript> {
  const bytes = await readFile(file.path).catch((error: unknown) => {
    throw fileError(file.path, error);
  });
  return importTranscript(bytes, file.options);
}

/**
 * The transcript files named by a list of files and folders: a file as given, a folder's `.json`/`.jsonl`/`.ndjson`
 * files (recursively, hidden entries skipped) in name order. Duplicates are listed once.
 */
export async function listTranscriptFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    if (!seen.has(file)) {
      seen.add(file);
      out.push(file);
    }
  };
  for (const path of paths) {
    const info = await stat(path).catch((error: unknown) => {
      throw fileError(path, error);
    });
    if (info.isDirectory()) for (const file of await walk(path)) add(file);
    else add(path);
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).filter((entry) => !entry.name.startsWith("."));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile() && TRANSCRIPT_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) files.push(path);
  }
  return files;
}

function fileError(path: string, error: unknown): NocturneError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") {
    return new NocturneError("invalid_input", `${path}: no such file or folder. Check the path and try again.`, {
      details: { file: path },
      cause: error,
    });
  }
  if (code === "EACCES" || code === "EPERM") {
    return new NocturneError(
      "storage_permission_denied",
      `${path}: permission denied. Make the file readable and try again.`,
      {
        details: { file: path },
        cause: error,
      },
    );
  }
  return new NocturneError("invalid_input", `${path}: cannot be read (${(error as Error).message}).`, {
    details: { file: path },
    cause: error,
  });
}
