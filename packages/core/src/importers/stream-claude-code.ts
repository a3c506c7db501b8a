import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { SessionEvent, SessionHeader } from "../schemas/session.js";
import { claudeCodeReader, isClaudeCodeLine } from "./claude-code-jsonl.js";
import { noEvents, sessionHeaderOf } from "./draft-session.js";
import { eventChecker } from "./event-checker.js";
import { parseContext } from "./import-transcript.js";
import { MAX_JSON_DEPTH, tooDeepAt } from "./json-depth.js";
import { transcriptError } from "./transcript-error.js";
import {
  DEFAULT_MAX_EVENT_BYTES,
  type ImportTranscriptOptions,
  type ImportWarning,
  type SessionTimeSource,
} from "./transcript-format.js";

/** Files from this size on are read as a stream when they are Claude Code JSONL (smaller ones are read whole). */
export const STREAM_FROM_BYTES = 8 * 1024 * 1024;

/** A transcript read as a stream: everything but its events, which went to the sink as they were read. */
export interface StreamedTranscript {
  header: SessionHeader;
  eventCount: number;
  format: "claude-code-jsonl";
  timeSource: SessionTimeSource;
  warnings: ImportWarning[];
}

/**
 * Reads a Claude Code JSONL file line by line as it is read, never holding the file's bytes or text whole, and
 * hands its checked events to `sink` in batches (one per megabyte read), awaiting each: so the events need not be
 * held either. Returns null, having read only the first line, when the file is not Claude Code JSONL (or a format
 * other than it was asked for); the caller then reads it whole. Anything else it cannot read in a stream (bytes that
 * are not UTF-8) also returns null — possibly after some batches went to the sink — so the whole-file path reports
 * it with the exact line. For a transcript with several problems, the first one in the file is reported.
 */
export async function streamClaudeCodeFile(
  path: string,
  options: ImportTranscriptOptions & { fileName: string },
  sink: (events: SessionEvent[]) => Promise<void>,
): Promise<StreamedTranscript | null> {
  if (options.format !== undefined && options.format !== "claude-code-jsonl") return null;
  const file = options.fileName;
  const context = parseContext(file, "", options);
  const checker = eventChecker(context, "claude-code-jsonl", options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES);
  let batch: SessionEvent[] = [];
  const reader = claudeCodeReader(context, (entry) => {
    const event = checker.check(entry);
    if (event !== null) batch.push(event);
  });
  const drain = async () => {
    if (batch.length === 0) return;
    const events = batch;
    batch = [];
    await sink(events);
  };
  const hash = createHash("sha256");
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let pending = "";
  let lineNo = 0;
  let first = true;
  let started = false;

  /** Feeds one complete line; false when the file turns out not to be Claude Code JSONL. */
  const feed = (raw: string): boolean => {
    lineNo++;
    if (!started) {
      if (raw.trim() === "") return true;
      try {
        if (!isClaudeCodeLine(JSON.parse(raw))) return false;
      } catch {
        return false;
      }
      started = true;
    }
    if (tooDeepAt(raw) >= 0) {
      throw transcriptError(
        "too_deep",
        file,
        lineNo,
        `the JSON nests more than ${MAX_JSON_DEPTH} levels deep, which no transcript does. Export the session again.`,
      );
    }
    reader.line(raw, lineNo);
    return true;
  };

  const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let bytes = chunk;
      if (first) {
        first = false;
        if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      }
      let text: string;
      try {
        // A chunk boundary may split a character: the decoder keeps the start of it for the next chunk.
        text = decoder.decode(bytes, { stream: true });
      } catch {
        return null;
      }
      hash.update(bytes);
      pending += text;
      let start = 0;
      for (let end = pending.indexOf("\n"); end !== -1; end = pending.indexOf("\n", start)) {
        // The line before a final newline is complete; the last piece waits for the next chunk.
        if (!feed(pending.slice(start, end))) return null;
        start = end + 1;
      }
      pending = pending.slice(start);
      await drain();
      // Only the first line decides the format; a first line that is no Claude Code entry was refused above.
      if (!started && pending.length > 16 * 1024 * 1024) return null;
    }
    try {
      pending += decoder.decode();
    } catch {
      return null;
    }
    if (!started) return null;
    if (!feed(pending)) return null;
    await drain();
  } finally {
    stream.destroy();
  }
  const draft = reader.finish();
  if (checker.kept === 0) throw noEvents(file);
  context.warnings.push(...checker.repeats);
  const header = sessionHeaderOf(draft, context, "claude-code-jsonl", {
    ...(options.sessionId === undefined ? {} : { sessionId: options.sessionId }),
    contentSha256: hash.digest("hex"),
    firstEventAt: checker.firstEventAt,
  });
  return {
    header,
    eventCount: checker.kept,
    format: "claude-code-jsonl",
    timeSource: draft.timeSource,
    warnings: context.warnings,
  };
}
