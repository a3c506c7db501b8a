import { z } from "zod";
import { Metadata, Timestamp } from "./common.js";

/** A text block inside a message or tool result. */
export const TextBlock = z.object({ type: z.literal("text"), text: z.string() });

/** Any content block: text, or another block type (images, documents) that the pipeline reads as a placeholder. */
export const ContentBlock = z.union([TextBlock, z.looseObject({ type: z.string().min(1) })]);
export type ContentBlock = z.infer<typeof ContentBlock>;

/** Message events: what a user, the agent or the system said. */
export const MESSAGE_EVENT_TYPES = ["user.message", "agent.message", "agent.thinking", "system.message"] as const;
/** Tool calls made by the agent. */
export const TOOL_USE_EVENT_TYPES = ["agent.tool_use", "agent.mcp_tool_use", "agent.custom_tool_use"] as const;
/** Results of tool calls, matched to their call by `tool_use_id`. */
export const TOOL_RESULT_EVENT_TYPES = [
  "agent.tool_result",
  "agent.mcp_tool_result",
  "user.custom_tool_result",
] as const;

const KNOWN_EVENT_TYPES: readonly string[] = [
  ...MESSAGE_EVENT_TYPES,
  ...TOOL_USE_EVENT_TYPES,
  ...TOOL_RESULT_EVENT_TYPES,
];

const EventBase = {
  id: z.string().min(1),
  processed_at: Timestamp,
};

/** A message event. */
export const MessageEvent = z.object({
  ...EventBase,
  type: z.enum(MESSAGE_EVENT_TYPES),
  content: z.array(ContentBlock),
});
export type MessageEvent = z.infer<typeof MessageEvent>;

/** A tool call; `id` doubles as the tool use id that its result points back to. */
export const ToolUseEvent = z.object({
  ...EventBase,
  type: z.enum(TOOL_USE_EVENT_TYPES),
  name: z.string().min(1),
  input: z.unknown(),
});
export type ToolUseEvent = z.infer<typeof ToolUseEvent>;

/** A tool result. */
export const ToolResultEvent = z.object({
  ...EventBase,
  type: z.enum(TOOL_RESULT_EVENT_TYPES),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(ContentBlock)]),
  is_error: z.boolean().optional(),
});
export type ToolResultEvent = z.infer<typeof ToolResultEvent>;

/** Any other event (status changes, spans …): kept, but not read by the pipeline. */
export const OtherEvent = z.looseObject({
  ...EventBase,
  type: z.string().refine((type) => !KNOWN_EVENT_TYPES.includes(type), {
    message: "a known event type must match its own shape",
  }),
});
export type OtherEvent = z.infer<typeof OtherEvent>;

/** One event of a session transcript, in the hosted API's vocabulary. */
export const SessionEvent = z.union([MessageEvent, ToolUseEvent, ToolResultEvent, OtherEvent]);
export type SessionEvent = z.infer<typeof SessionEvent>;

const SessionFields = {
  id: z.string().min(1),
  title: z.string().nullable(),
  created_at: Timestamp,
  metadata: Metadata.default({}),
};

/** A session without its events: what a session written in parts is committed with (see `SessionWriter`). */
export const SessionHeader = z.object(SessionFields);
export type SessionHeader = z.infer<typeof SessionHeader>;
export type SessionHeaderInput = z.input<typeof SessionHeader>;

/** A past session: its transcript as a list of events in the order they happened. */
export const Session = z.object({ ...SessionFields, events: z.array(SessionEvent) }).superRefine((session, ctx) => {
  const seen = new Set<string>();
  for (const [index, event] of session.events.entries()) {
    if (seen.has(event.id)) {
      ctx.addIssue({ code: "custom", path: ["events", index, "id"], message: `duplicate event id ${event.id}` });
    }
    seen.add(event.id);
  }
});
export type Session = z.infer<typeof Session>;
export type SessionInput = z.input<typeof Session>;

/** A session without its events, for listings. */
export interface SessionSummary {
  id: string;
  title: string | null;
  created_at: string;
  event_count: number;
}
