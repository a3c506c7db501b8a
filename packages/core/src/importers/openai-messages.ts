import type { ContentBlock } from "../schemas/session.js";
import { type DraftEvent, type DraftSession, isRecord, type ParseContext } from "./draft-session.js";
import { arrayElementLines } from "./json-locate.js";
import { transcriptError } from "./transcript-error.js";

const ROLES = new Set(["system", "developer", "user", "assistant", "tool", "function"]);

/** True when a parsed JSON value looks like one OpenAI chat message. */
export function isOpenAIMessage(value: unknown): boolean {
  return isRecord(value) && typeof value.role === "string";
}

/**
 * Reads OpenAI chat messages (`[{role, content, tool_calls}]` or `{messages: [...]}`). They carry no timestamps:
 * the session takes the time given as an option, else the file's modification time, and says which in its
 * metadata; events follow one millisecond apart to keep their order.
 */
export function parseOpenAIMessages(context: ParseContext, root: unknown): DraftSession {
  const wrapped = isRecord(root);
  const items: unknown[] = wrapped ? (root.messages as unknown[]) : (root as unknown[]);
  const lines = arrayElementLines(context.text, wrapped ? "messages" : null);
  const time = context.sessionTime;
  if (time === null) {
    throw transcriptError(
      "missing_time",
      context.file,
      null,
      "OpenAI chat messages carry no timestamps. Pass a session time (`sessionTime`) or import the file from disk so its modification time is used.",
    );
  }
  const draft: DraftSession = {
    id: wrapped && typeof root.id === "string" && root.id.length > 0 ? root.id : null,
    title: wrapped && typeof root.title === "string" ? root.title : null,
    createdAt: time.at,
    metadata: wrapped && typeof root.model === "string" ? { model: root.model.slice(0, 512) } : {},
    events: [],
    timeSource: time.source,
  };
  const start = Date.parse(time.at);
  let lastFunctionCall: string | null = null;
  for (const [index, item] of items.entries()) {
    const line = lines[index] ?? null;
    if (!isOpenAIMessage(item) || !isRecord(item) || !ROLES.has(String(item.role))) {
      context.invalid(line, `message ${index} has no known "role" (system, developer, user, assistant, tool)`);
      continue;
    }
    const at = new Date(start + draft.events.length).toISOString();
    const push = (event: DraftEvent["event"]) =>
      draft.events.push({
        event: { ...event, processed_at: new Date(start + draft.events.length).toISOString() },
        line,
      });
    const role = String(item.role);
    const content = contentBlocks(item.content, line, context);
    if (role === "tool" || role === "function") {
      const callId = typeof item.tool_call_id === "string" ? item.tool_call_id : lastFunctionCall;
      if (callId === null) {
        context.invalid(line, `a ${role} message without "tool_call_id" cannot be matched to its call`);
        continue;
      }
      push({ id: `msg_${index}`, type: "agent.tool_result", processed_at: at, tool_use_id: callId, content });
      continue;
    }
    const type = role === "user" ? "user.message" : role === "assistant" ? "agent.message" : "system.message";
    const refusal = typeof item.refusal === "string" ? [{ type: "text", text: item.refusal }] : [];
    if (content.length + refusal.length > 0)
      push({ id: `msg_${index}`, type, processed_at: at, content: [...content, ...refusal] });
    const calls = Array.isArray(item.tool_calls) ? item.tool_calls : [];
    if (isRecord(item.function_call)) calls.push({ id: `msg_${index}_call`, function: item.function_call });
    for (const [n, call] of calls.entries()) {
      const fn = isRecord(call) && isRecord(call.function) ? call.function : null;
      if (fn === null || typeof fn.name !== "string") {
        context.invalid(line, `tool call ${n} of message ${index} has no function name`);
        continue;
      }
      const id = isRecord(call) && typeof call.id === "string" ? call.id : `msg_${index}_call_${n}`;
      lastFunctionCall = id;
      push({
        id,
        type: "agent.tool_use",
        processed_at: at,
        name: fn.name,
        input: callInput(fn.arguments, line, context),
      });
    }
  }
  return draft;
}

function contentBlocks(content: unknown, line: number | null, context: ParseContext): ContentBlock[] {
  if (content === null || content === undefined) return [];
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  if (!Array.isArray(content)) {
    context.warn(line, "message content that is neither text nor a list of parts was not read");
    return [];
  }
  return content.map((part): ContentBlock => {
    if (isRecord(part) && (part.type === "text" || part.type === "input_text") && typeof part.text === "string") {
      return { type: "text", text: part.text };
    }
    if (isRecord(part) && part.type === "refusal" && typeof part.refusal === "string") {
      return { type: "text", text: part.refusal };
    }
    const kind = isRecord(part) && typeof part.type === "string" && part.type !== "" ? part.type : "unknown";
    return { type: kind === "image_url" ? "image" : kind };
  });
}

function callInput(args: unknown, line: number | null, context: ParseContext): unknown {
  if (typeof args !== "string") return args ?? {};
  try {
    return JSON.parse(args);
  } catch {
    context.warn(line, "tool call arguments are not valid JSON; kept as text");
    return { arguments: args };
  }
}
