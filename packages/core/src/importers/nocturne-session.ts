import { type DraftSession, isRecord, type ParseContext, toTimestamp } from "./draft-session.js";
import { arrayElementLines } from "./json-locate.js";

/** True when a parsed JSON value looks like Nocturne's own session JSON (`{id, created_at, events}`). */
export function isNocturneSession(value: unknown): boolean {
  return isRecord(value) && Array.isArray(value.events) && typeof value.id === "string";
}

/** Reads Nocturne's own session JSON (the `Session` resource); the shared checks validate every event. */
export function parseNocturneSession(context: ParseContext, root: Record<string, unknown>): DraftSession {
  const lines = arrayElementLines(context.text, "events");
  const events = root.events as unknown[];
  const metadata: Record<string, string> = {};
  if (isRecord(root.metadata)) {
    for (const [key, value] of Object.entries(root.metadata)) if (typeof value === "string") metadata[key] = value;
  }
  const draft: DraftSession = {
    id: String(root.id),
    title: typeof root.title === "string" ? root.title : null,
    createdAt: toTimestamp(root.created_at),
    metadata,
    events: [],
    timeSource: "transcript",
  };
  for (const [index, item] of events.entries()) {
    const line = lines[index] ?? null;
    if (!isRecord(item) || typeof item.type !== "string") {
      context.invalid(line, `event ${index} is not an event object with a "type"`);
      continue;
    }
    draft.events.push({ event: { ...item, type: item.type }, line });
  }
  return draft;
}
