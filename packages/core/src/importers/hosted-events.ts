import type { ContentBlock } from "../schemas/session.js";
import { type DraftEvent, type DraftSession, isRecord, type ParseContext, toTimestamp } from "./draft-session.js";
import { arrayElementLines } from "./json-locate.js";

/** True when a parsed JSON value looks like a hosted session event (`user.message`, `agent.tool_use`, …). */
export function isHostedEvent(value: unknown): boolean {
  return isRecord(value) && typeof value.type === "string" && /^[a-z_]+\.[a-z_]+$/.test(value.type);
}

/** Result events name their call with a field of their own in the hosted API; the session schema uses `tool_use_id`. */
const CALL_ID_FIELDS: Record<string, string> = {
  "agent.tool_result": "tool_use_id",
  "agent.mcp_tool_result": "mcp_tool_use_id",
  "user.custom_tool_result": "custom_tool_use_id",
};

/**
 * Reads a hosted Managed Agents event list: the `{data: [...]}` page the events API returns, or a bare array of
 * events. Queued events without `processed_at` take their neighbour's time.
 */
export function parseHostedEvents(context: ParseContext, root: unknown): DraftSession {
  const wrapped = isRecord(root);
  const items: unknown[] = wrapped ? (root.data as unknown[]) : (root as unknown[]);
  const lines = arrayElementLines(context.text, wrapped ? "data" : null);
  const draft: DraftSession = {
    id: wrapped && typeof root.session_id === "string" ? root.session_id : null,
    title: wrapped && typeof root.title === "string" ? root.title : null,
    createdAt: null,
    metadata: {},
    events: [],
    timeSource: "transcript",
  };
  for (const [index, item] of items.entries()) {
    const line = lines[index] ?? null;
    if (!isHostedEvent(item) || !isRecord(item)) {
      context.invalid(line, `item ${index} is not a session event (it needs a "type" like "user.message")`);
      continue;
    }
    if (draft.id === null && typeof item.session_id === "string") draft.id = item.session_id;
    draft.events.push({ event: normalizeEvent(item), line });
  }
  draft.createdAt =
    draft.events.map((entry) => toTimestamp(entry.event.processed_at)).find((at) => at !== null) ?? null;
  return draft;
}

function normalizeEvent(item: Record<string, unknown>): DraftEvent["event"] {
  const type = String(item.type);
  const event: DraftEvent["event"] = { ...item, type, processed_at: toTimestamp(item.processed_at) };
  if (typeof item.id !== "string") delete event.id;
  const callField = CALL_ID_FIELDS[type];
  if (callField !== undefined) {
    if (typeof item[callField] === "string") event.tool_use_id = item[callField];
    if (item.content === null || item.content === undefined) event.content = [];
    if (item.is_error === null) delete event.is_error;
  }
  if (typeof item.content === "string" && (type.endsWith(".message") || type === "agent.thinking")) {
    event.content = [{ type: "text", text: item.content } satisfies ContentBlock];
  }
  return event;
}
