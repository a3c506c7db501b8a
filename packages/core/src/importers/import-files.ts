import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { NocturneError } from "../errors.js";
import { importTranscript } from "./import-transcript.js";
import { STREAM_FROM_BYTES, streamClaudeCodeFile } from "./stream-claude-code.js";
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
 * line (see `streamClaudeCodeFile`); other files are read whole.
 */
export async function importTranscriptFile(
  path: string,
  options: Omit<ImportTranscriptOptions, "fileName" | "fileModifiedAt"> = {},
): Promise<ImportedTranscript> {
  const info = await stat(path).catch((error: unknown) => {
    throw fileError(path, error);
  });
  const fileOptions = { ...options, fileName: path, fileModifiedAt: info.mtime };
  const maxBytes = options.maxTranscriptBytes ?? DEFAULT_MAX_TRANSCRIPT_BYTES;
  if (info.isFile() && info.size >= STREAM_FROM_BYTES && info.size <= maxBytes) {
    const streamed = await streamClaudeCodeFile(path, fileOptions).catch((error: unknown) => {
      throw NocturneError.isInstance(error) ? error : fileError(path, error);
    });
    if (streamed !== null) return streamed;
  }
  const bytes = await readFile(path).catch((error: unknown) => {
    throw fileError(path, error);
  });
  return importTranscript(bytes, fileOptions);
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
