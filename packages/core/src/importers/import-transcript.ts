import { parseClaudeCodeJsonl } from "./claude-code-jsonl.js";
import { decodeTranscript, lineAt } from "./decode-transcript.js";
import { detectFormat, rootForFormat } from "./detect-format.js";
import { type DraftSession, finishSession, type ParseContext, toTimestamp } from "./draft-session.js";
import { parseHostedEvents } from "./hosted-events.js";
import { MAX_JSON_DEPTH, tooDeepAt } from "./json-depth.js";
import { jsonErrorLine } from "./json-locate.js";
import { parseNocturneSession } from "./nocturne-session.js";
import { parseOpenAIMessages } from "./openai-messages.js";
import { transcriptError } from "./transcript-error.js";
import {
  DEFAULT_MAX_EVENT_BYTES,
  DEFAULT_MAX_TRANSCRIPT_BYTES,
  type ImportedTranscript,
  type ImportTranscriptOptions,
  type ImportWarning,
  type SessionTimeSource,
} from "./transcript-format.js";

/**
 * Turns one transcript (bytes or text) into a `Session`, detecting its format by content: Claude Code JSONL, a hosted
 * Managed Agents event list, OpenAI chat messages, or Nocturne's own session JSON. Broken input throws
 * `transcript_parse_error` naming the file and line (`details.reason` says which problem); lines read only in part
 * come back as warnings. Pure: reads no files (see `importTranscriptFile`).
 */
export function importTranscript(
  input: string | Uint8Array,
  options: ImportTranscriptOptions = {},
): ImportedTranscript {
  const file = options.fileName ?? "transcript";
  const text = decodeTranscript(input, file, options.maxTranscriptBytes ?? DEFAULT_MAX_TRANSCRIPT_BYTES);
  if (text.trim() === "") {
    throw transcriptError(
      "empty",
      file,
      null,
      "the transcript is empty. Remove the file from the inputs, or export the session again.",
    );
  }
  const deepAt = tooDeepAt(text);
  if (deepAt >= 0) {
    throw transcriptError(
      "too_deep",
      file,
      lineAt(text, deepAt),
      `the JSON nests more than ${MAX_JSON_DEPTH} levels deep, which no transcript does. Export the session again.`,
    );
  }
  const context = parseContext(file, text, options);
  const parsed = parseJson(text);
  let format = options.format ?? null;
  let root: unknown = null;
  if (format !== null) {
    root = parsed.ok ? rootForFormat(format, parsed.value) : null;
    if (format !== "claude-code-jsonl" && root === null) {
      throw parsed.ok
        ? transcriptError(
            "unknown_format",
            file,
            null,
            `the content is not ${format}. Drop the format option to detect it.`,
          )
        : brokenJson(text, file);
    }
  } else {
    const detection = detectFormat(text, parsed);
    if (detection.format === null) {
      if (detection.reason === "invalid_json") throw brokenJson(text, file);
      if (detection.reason === "empty") {
        throw transcriptError(
          "empty",
          file,
          null,
          "the transcript holds an empty list. Remove the file from the inputs.",
        );
      }
      throw transcriptError(
        "unknown_format",
        file,
        null,
        `unrecognised transcript: ${detection.reason}. Nocturne reads Claude Code JSONL, hosted event lists ({"data": [...]}), OpenAI chat messages ([{"role": ...}] or {"messages": [...]}) and Nocturne session JSON.`,
      );
    }
    format = detection.format;
    root = detection.root;
  }
  let draft: DraftSession;
  switch (format) {
    case "claude-code-jsonl":
      draft = parseClaudeCodeJsonl(context);
      break;
    case "hosted-events":
      draft = parseHostedEvents(context, root);
      break;
    case "openai-messages":
      draft = parseOpenAIMessages(context, root);
      break;
    case "nocturne-session":
      draft = parseNocturneSession(context, root as Record<string, unknown>);
      break;
  }
  return finishSession(draft, context, format, {
    ...(options.sessionId === undefined ? {} : { sessionId: options.sessionId }),
    maxEventBytes: options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES,
  });
}

/** What every format parser is given for one transcript: its text, and how to warn and to refuse a line. */
export function parseContext(file: string, text: string, options: ImportTranscriptOptions): ParseContext {
  const warnings: ImportWarning[] = [];
  return {
    file,
    text,
    warnings,
    sessionTime: sessionTime(options, file),
    named: options.fileName !== undefined,
    warn: (line, message) => warnings.push({ file, line, message }),
    invalid: (line, message) => {
      if (options.onInvalidLine === "warn") {
        warnings.push({ file, line, message: `${message}; the line was skipped` });
        return;
      }
      throw transcriptError("invalid_line", file, line, `${message}. Fix or delete that line and import again.`);
    },
  };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const start = text.trimStart()[0];
  if (start !== "{" && start !== "[") return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function brokenJson(text: string, file: string) {
  return transcriptError(
    "invalid_json",
    file,
    jsonErrorLine(text),
    "the file is not valid JSON or JSONL (the first error is on this line). Fix it, or re-export the transcript.",
  );
}

function sessionTime(options: ImportTranscriptOptions, file: string): { at: string; source: SessionTimeSource } | null {
  for (const [value, source] of [
    [options.sessionTime, "option"],
    [options.fileModifiedAt, "file_mtime"],
  ] as const) {
    if (value === undefined) continue;
    const at = toTimestamp(value instanceof Date ? value.toISOString() : value);
    if (at === null) {
      throw transcriptError(
        "missing_time",
        file,
        null,
        `the ${source === "option" ? "session time" : "file time"} ${String(value)} is not a valid date. Use an ISO 8601 time like 2026-03-01T09:30:00Z.`,
      );
    }
    return { at, source };
  }
  return null;
}
