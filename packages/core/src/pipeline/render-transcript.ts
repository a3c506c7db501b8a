import type { LineRole, TranscriptLine } from "../schemas/facts.js";
import {
  type ContentBlock,
  MESSAGE_EVENT_TYPES,
  type Session,
  type SessionEvent,
  TOOL_RESULT_EVENT_TYPES,
  TOOL_USE_EVENT_TYPES,
} from "../schemas/session.js";
import { finish, type Steps } from "../util/pacer.js";

/** Event types the pipeline reads; everything else (status changes, thinking) is skipped. */
const MESSAGE_ROLES: Record<string, LineRole> = {
  "user.message": "user",
  "agent.message": "agent",
  "system.message": "system",
};

function isOneOf<T extends string>(list: readonly T[], type: string): type is T {
  return (list as readonly string[]).includes(type);
}

/** The readable text of content blocks; non-text blocks become a short placeholder. */
export function blocksText(content: string | ContentBlock[]): string {
  if (typeof content === "string") return content;
  return content
    .map((block) => (block.type === "text" && "text" in block ? String(block.text) : `[${block.type}]`))
    .join("\n");
}

/** One event as a transcript line, or null when the pipeline does not read that event type. */
export function renderEvent(sessionId: string, event: SessionEvent): TranscriptLine | null {
  const base = { sessionId, eventId: event.id, at: event.processed_at };
  const role = MESSAGE_ROLES[event.type];
  if (
    role !== undefined &&
    isOneOf(MESSAGE_EVENT_TYPES, event.type) &&
    "content" in event &&
    Array.isArray(event.content)
  ) {
    return { ...base, role, text: blocksText(event.content) };
  }
  if (isOneOf(TOOL_USE_EVENT_TYPES, event.type) && "name" in event) {
    return {
      ...base,
      role: "agent",
      text: `called tool ${String(event.name)} with ${JSON.stringify(event.input ?? null)}`,
    };
  }
  if (isOneOf(TOOL_RESULT_EVENT_TYPES, event.type) && "tool_use_id" in event && "content" in event) {
    const text = blocksText(event.content as string | ContentBlock[]);
    return { ...base, role: "tool", text: "is_error" in event && event.is_error ? `error: ${text}` : text };
  }
  return null;
}

/** Every line the pipeline reads from a session, in transcript order. */
export function renderTranscript(session: Session): TranscriptLine[] {
  return finish(renderTranscriptSteps(session));
}

/** {@link renderTranscript} as steps (one per event), for a pacer to run. */
export function* renderTranscriptSteps(session: Session): Steps<TranscriptLine[]> {
  const lines: TranscriptLine[] = [];
  for (const event of session.events) {
    const line = renderEvent(session.id, event);
    if (line !== null && line.text.trim() !== "") lines.push(line);
    yield;
  }
  return lines;
}

/**
 * For each line index, the index of the last line that must share its chunk: a tool call stays with its result.
 * Returns the ranges `[start, end]` (inclusive) that must not be split.
 */
export function unsplittableRanges(session: Session, lines: TranscriptLine[]): Array<[number, number]> {
  const lineIndex = new Map(lines.map((line, index) => [line.eventId, index]));
  const ranges: Array<[number, number]> = lines.map((_, index) => [index, index]);
  for (const event of session.events) {
    if (!isOneOf(TOOL_RESULT_EVENT_TYPES, event.type) || !("tool_use_id" in event)) continue;
    const use = lineIndex.get(String(event.tool_use_id));
    const result = lineIndex.get(event.id);
    if (use === undefined || result === undefined || use >= result) continue;
    const range = ranges[use];
    if (range) range[1] = Math.max(range[1], result);
  }
  const merged: Array<[number, number]> = [];
  for (const [start, end] of ranges) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}
