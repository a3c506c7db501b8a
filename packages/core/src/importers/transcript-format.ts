import { z } from "zod";
import type { Session } from "../schemas/session.js";

/** The transcript formats the importers read, detected by content. */
export const TranscriptFormat = z.enum(["nocturne-session", "hosted-events", "claude-code-jsonl", "openai-messages"]);
export type TranscriptFormat = z.infer<typeof TranscriptFormat>;

/**
 * Where a session's time came from: the transcript's own timestamps, an explicit option, or the file's
 * modification time (for formats that carry no timestamps). Recency decides contradictions, so reports show it.
 */
export const SessionTimeSource = z.enum(["transcript", "option", "file_mtime"]);
export type SessionTimeSource = z.infer<typeof SessionTimeSource>;

/** Metadata keys the importers set on every session they produce. */
export const IMPORT_METADATA_KEYS = {
  format: "source_format",
  file: "source_file",
  timeSource: "time_source",
} as const;

/** A line the importer could not use and skipped (only with `onInvalidLine: "warn"`), or read in a lossy way. */
export interface ImportWarning {
  file: string;
  /** 1-based line in the file, or null when the problem has no single line. */
  line: number | null;
  message: string;
}

/** Options for {@link importTranscript}. */
export interface ImportTranscriptOptions {
  /** Named in errors, warnings and the session's `source_file` metadata; usually the file path. */
  fileName?: string;
  /** Skip detection and read the transcript as this format. */
  format?: TranscriptFormat;
  /** Session time for formats without timestamps (OpenAI messages); wins over `fileModifiedAt`. */
  sessionTime?: string | Date;
  /** The file's modification time: the fallback session time for formats without timestamps. */
  fileModifiedAt?: string | Date;
  /** Session id for formats that carry none; by default the file name if it is a `sesn_…` id, else a content hash. */
  sessionId?: string;
  /** What to do with a broken or unreadable line: throw `transcript_parse_error` (default) or skip it with a warning. */
  onInvalidLine?: "error" | "warn";
  /** Largest single event, in UTF-8 bytes of its JSON. Default {@link DEFAULT_MAX_EVENT_BYTES}. */
  maxEventBytes?: number;
  /** Largest transcript, in bytes. Default {@link DEFAULT_MAX_TRANSCRIPT_BYTES}. */
  maxTranscriptBytes?: number;
}

/** A transcript turned into a session. */
export interface ImportedTranscript {
  session: Session;
  format: TranscriptFormat;
  timeSource: SessionTimeSource;
  warnings: ImportWarning[];
}

/** Largest single event the importers accept by default (4 MiB). */
export const DEFAULT_MAX_EVENT_BYTES = 4 * 1024 * 1024;
/** Largest transcript the importers accept by default (256 MiB). */
export const DEFAULT_MAX_TRANSCRIPT_BYTES = 256 * 1024 * 1024;
