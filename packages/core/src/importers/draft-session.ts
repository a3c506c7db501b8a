import { basename } from "node:path";
import type { z } from "zod";
import type { NocturneError } from "../errors.js";
import { SessionEvent, SessionHeader } from "../schemas/session.js";
import { deepEqual } from "../util/deep-equal.js";
import { sha256 } from "../util/hash.js";
import { formatBytes } from "./decode-transcript.js";
import { transcriptError } from "./transcript-error.js";
import {
  IMPORT_METADATA_KEYS,
  type ImportedTranscript,
  type ImportWarning,
  type SessionTimeSource,
  type TranscriptFormat,
} from "./transcript-format.js";

/** An event as a format parser produced it, with the line it came from. Times and ids may still be missing. */
export interface DraftEvent {
  event: { type: string; id?: string; processed_at?: string | null } & Record<string, unknown>;
  line: number | null;
}

/** A session as a format parser produced it, before the shared checks. */
export interface DraftSession {
  id: string | null;
  title: string | null;
  createdAt: string | null;
  metadata: Record<string, string>;
  events: DraftEvent[];
  timeSource: SessionTimeSource;
}

/** What every format parser is given. */
export interface ParseContext {
  file: string;
  text: string;
  warnings: ImportWarning[];
  /** Reports a line that cannot be used: throws `transcript_parse_error`, or records a warning when asked to. */
  invalid(line: number | null, message: string): void;
  /** Records something read in a lossy way. */
  warn(line: number | null, message: string): void;
  sessionTime: { at: string; source: SessionTimeSource } | null;
  /** True when the caller named the file (its name then titles a session that has no title of its own). */
  named: boolean;
}

const MAX_METADATA_KEYS = 16;

/** An RFC 3339 UTC form of a timestamp, or null when it is not one. */
export function toTimestamp(value: unknown): string | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  const ms = typeof value === "number" ? (value < 1e12 ? value * 1000 : value) : Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** A session id from a file name like `sesn_abc123.json`, or null. */
export function idFromFileName(file: string): string | null {
  const stem = basename(file).replace(/\..*$/, "");
  return /^sesn_[A-Za-z0-9_-]{4,}$/.test(stem) ? stem : null;
}

/** Plain object check for parsed JSON. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The checks every format shares: ids present and unique, every event timed, no event over the size cap, metadata
 * within limits, and the result valid against the `Session` schema (a failure names the event's line).
 */
export function finishSession(
  draft: DraftSession,
  context: ParseContext,
  format: TranscriptFormat,
  options: { sessionId?: string; maxEventBytes: number; contentSha256?: string },
): ImportedTranscript {
  if (draft.events.length === 0) throw noEvents(context.file);
  const events = uniqueEvents(draft.events, context);
  fillTimes(events, draft.createdAt ?? context.sessionTime?.at ?? null, context);
  for (const entry of events) checkEventSize(entry, context.file, options.maxEventBytes);
  // Events are checked one by one, each draft released once its checked copy exists: a transcript of millions of
  // events never holds two full copies of them.
  const checked: SessionEvent[] = [];
  for (let index = 0; index < events.length; index++) {
    const entry = events[index];
    if (!entry) continue;
    checked.push(checkedEvent(entry, index, context.file, format));
    events[index] = RELEASED;
  }
  const header = sessionHeaderOf(draft, context, format, {
    ...options,
    firstEventAt: checked[0]?.processed_at ?? null,
  });
  return {
    session: { ...header, events: checked },
    format,
    timeSource: draft.timeSource,
    warnings: context.warnings,
  };
}

/** `transcript_parse_error` (`empty`) for a transcript that holds no event. */
export function noEvents(file: string): NocturneError {
  return transcriptError(
    "empty",
    file,
    null,
    "the transcript has no messages or events. Remove the file from the inputs, or export the session again.",
  );
}

/** Throws `transcript_parse_error` (`event_too_large`) for an event whose JSON is over `maxEventBytes`. */
export function checkEventSize(entry: DraftEvent, file: string, maxEventBytes: number): void {
  const bytes = Buffer.byteLength(JSON.stringify(entry.event), "utf8");
  if (bytes <= maxEventBytes) return;
  throw transcriptError(
    "event_too_large",
    file,
    entry.line,
    `one ${entry.event.type} event is ${formatBytes(bytes)}, more than the ${formatBytes(maxEventBytes)} a single event may hold. ` +
      "Trim it (pasted logs or files rarely hold memories) or remove it; library users can raise `maxEventBytes`.",
  );
}

/**
 * The event as the `SessionEvent` schema reads it (the draft itself when parsing changed nothing, so a transcript
 * of millions of events holds one copy of them, not two); `transcript_parse_error` (`invalid_event`) otherwise.
 */
export function checkedEvent(entry: DraftEvent, index: number, file: string, format: TranscriptFormat): SessionEvent {
  const parsed = SessionEvent.safeParse(entry.event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidEvent(file, format, entry, issue, ["events", index, ...(issue?.path ?? [])]);
  }
  return sameEvent(entry.event, parsed.data) ? entry.event : parsed.data;
}

/**
 * The session's id, title, time and metadata once every event was read: the id given, else the transcript's, else
 * one from the file name, else one from the content's hash.
 */
export function sessionHeaderOf(
  draft: Omit<DraftSession, "events">,
  context: ParseContext,
  format: TranscriptFormat,
  options: { sessionId?: string; contentSha256?: string; firstEventAt: string | null },
): SessionHeader {
  const { file } = context;
  const id =
    options.sessionId ??
    draft.id ??
    idFromFileName(file) ??
    `sesn_${(options.contentSha256 ?? sha256(context.text)).slice(0, 24)}`;
  const result = SessionHeader.safeParse({
    id,
    title: draft.title ?? (context.named ? basename(file).replace(/\..*$/, "") : null),
    created_at: draft.createdAt ?? options.firstEventAt,
    metadata: sessionMetadata(draft, format, file, context),
  });
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalidEvent(file, format, undefined, issue, issue?.path ?? ["?"]);
  }
  return result.data;
}

function invalidEvent(
  file: string,
  format: TranscriptFormat,
  entry: DraftEvent | undefined,
  issue: z.core.$ZodIssue | undefined,
  path: PropertyKey[],
): NocturneError {
  const what = entry ? `event ${entry.event.id} (${entry.event.type})` : "the session";
  return transcriptError(
    "invalid_event",
    file,
    entry?.line ?? null,
    `${what} does not fit the ${format} format: ${issue?.message ?? "invalid"} at ${path.map(String).join(".")}. Fix or remove it and import again.`,
  );
}

/** True when a parsed event equals its draft, which is then a SessionEvent itself. */
function sameEvent(draft: DraftEvent["event"], parsed: SessionEvent): draft is DraftEvent["event"] & SessionEvent {
  return deepEqual(draft, parsed);
}

/** What a checked draft event is replaced with, so the draft can be collected. */
const RELEASED: DraftEvent = { event: { type: "released" }, line: null };

function uniqueEvents(drafts: DraftEvent[], context: ParseContext): DraftEvent[] {
  const seen = new Set<string>();
  const out: DraftEvent[] = [];
  for (const [index, draft] of drafts.entries()) {
    const id = draft.event.id && draft.event.id.length > 0 ? draft.event.id : `evt_${String(index).padStart(5, "0")}`;
    if (seen.has(id)) {
      context.warn(draft.line, `event id ${id} appears again; the repeat was skipped`);
      continue;
    }
    seen.add(id);
    draft.event.id = id;
    out.push(draft);
  }
  return out;
}

function fillTimes(events: DraftEvent[], fallback: string | null, context: ParseContext): void {
  let last: string | null = null;
  for (const entry of events) {
    const given = entry.event.processed_at;
    const at = toTimestamp(given);
    if (at === null && given !== null && given !== undefined) {
      context.warn(
        entry.line,
        `event ${entry.event.id} has an unreadable time ${JSON.stringify(given)}; it takes its neighbour's`,
      );
    }
    if (at !== null) last = at;
    entry.event.processed_at = at ?? last;
  }
  let next: string | null = fallback;
  for (let i = events.length - 1; i >= 0; i--) {
    const entry = events[i];
    if (!entry) continue;
    if (entry.event.processed_at) next = entry.event.processed_at;
    else entry.event.processed_at = next ?? fallback;
  }
  if (events.some((entry) => !entry.event.processed_at)) {
    throw transcriptError(
      "missing_time",
      context.file,
      null,
      "no event carries a time. Give the session a time (`sessionTime`) and import again.",
    );
  }
}

function sessionMetadata(
  draft: Omit<DraftSession, "events">,
  format: TranscriptFormat,
  file: string,
  context: ParseContext,
): Record<string, string> {
  const own: Record<string, string> = {
    [IMPORT_METADATA_KEYS.format]: format,
    [IMPORT_METADATA_KEYS.file]: basename(file).slice(0, 512),
    [IMPORT_METADATA_KEYS.timeSource]: draft.timeSource,
  };
  const kept: Record<string, string> = {};
  const room = MAX_METADATA_KEYS - Object.keys(own).length;
  const entries = Object.entries(draft.metadata).filter(([key]) => !(key in own));
  for (const [key, value] of entries.slice(0, room)) kept[key] = value.slice(0, 512);
  if (entries.length > room) {
    context.warn(null, `metadata holds at most ${MAX_METADATA_KEYS} keys; ${entries.length - room} were left out`);
  }
  return { ...kept, ...own };
}
