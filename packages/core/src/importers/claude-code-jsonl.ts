import type { ContentBlock } from "../schemas/session.js";
import { type DraftEvent, type DraftSession, isRecord, type ParseContext, toTimestamp } from "./draft-session.js";

/** Line types Claude Code writes that hold no conversation; counted, not read. */
const BOOKKEEPING_TYPES = new Set(["file-history-snapshot", "queue-operation"]);

/** True when a parsed JSON value looks like one line of a Claude Code transcript. */
export function isClaudeCodeLine(value: unknown): boolean {
  if (!isRecord(value) || typeof value.type !== "string") return false;
  return (
    typeof value.sessionId === "string" ||
    (value.type === "summary" && typeof value.summary === "string") ||
    BOOKKEEPING_TYPES.has(value.type) ||
    (typeof value.uuid === "string" && isRecord(value.message))
  );
}

/**
 * Reads a Claude Code session transcript (JSONL): user and assistant lines with text, thinking, tool_use and
 * tool_result blocks. Sidechain (sub-agent) prompts are the agent's words, not the user's, and are imported as such;
 * meta lines become system messages; the summary becomes the title; lines repeated after a resume are read once.
 */
export function parseClaudeCodeJsonl(context: ParseContext): DraftSession {
  const reader = claudeCodeReader(context);
  const text = context.text;
  let line = 1;
  for (let start = 0; start <= text.length; line++) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    reader.line(text.slice(start, end), line);
    start = end + 1;
  }
  return reader.finish();
}

/** The Claude Code parser fed one line at a time (for a transcript streamed from a file), then finished. */
export interface ClaudeCodeReader {
  line(raw: string, line: number): void;
  finish(): DraftSession;
}

/**
 * A {@link ClaudeCodeReader}: what {@link parseClaudeCodeJsonl} does, line by line. Events go to `emit` as they are
 * read (by default into the draft's `events`, which then stays empty otherwise).
 */
export function claudeCodeReader(context: ParseContext, emit?: (entry: DraftEvent) => void): ClaudeCodeReader {
  const draft: DraftSession = {
    id: null,
    title: null,
    createdAt: null,
    metadata: {},
    events: [],
    timeSource: "transcript",
  };
  const seenLines = new Set<string>();
  let repeats = 0;
  let bookkeeping = 0;
  let sidechain = 0;
  const read = (raw: string, line: number): void => {
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      context.invalid(line, `this line is not valid JSON (${(error as Error).message.split("\n")[0]})`);
      return;
    }
    if (!isRecord(value) || typeof value.type !== "string") {
      context.invalid(line, 'this line is not a Claude Code transcript entry (no "type")');
      return;
    }
    if (value.type === "summary") {
      if (typeof value.summary === "string" && draft.title === null) draft.title = value.summary.slice(0, 500);
      return;
    }
    if (BOOKKEEPING_TYPES.has(value.type)) {
      bookkeeping++;
      return;
    }
    if (value.type !== "user" && value.type !== "assistant" && value.type !== "system") {
      context.warn(line, `unknown Claude Code line type "${value.type}" was not read`);
      return;
    }
    const uuid = typeof value.uuid === "string" ? value.uuid : null;
    const at = toTimestamp(value.timestamp);
    if (uuid === null || at === null) {
      context.invalid(line, `this ${value.type} line has no uuid or no valid timestamp`);
      return;
    }
    if (seenLines.has(uuid)) {
      repeats++;
      return;
    }
    seenLines.add(uuid);
    if (draft.id === null && typeof value.sessionId === "string" && value.sessionId.length > 0)
      draft.id = value.sessionId;
    if (draft.createdAt === null) draft.createdAt = at;
    if (typeof value.cwd === "string" && draft.metadata.cwd === undefined) draft.metadata.cwd = value.cwd;
    if (typeof value.gitBranch === "string" && draft.metadata.git_branch === undefined) {
      draft.metadata.git_branch = value.gitBranch;
    }
    const events = value.type === "system" ? systemLine(value, uuid, at) : messageLine(value, uuid, at, line, context);
    if (events === null) return;
    if (value.isSidechain === true) sidechain += events.length;
    for (const event of events) {
      if (emit) emit({ event, line });
      else draft.events.push({ event, line });
    }
  };
  return {
    line: read,
    finish() {
      seenLines.clear();
      if (repeats > 0) draft.metadata.repeated_lines = String(repeats);
      if (bookkeeping > 0) draft.metadata.bookkeeping_lines = String(bookkeeping);
      if (sidechain > 0) draft.metadata.sidechain_events = String(sidechain);
      return draft;
    },
  };
}

type Event = DraftEvent["event"];

function systemLine(value: Record<string, unknown>, uuid: string, at: string): Event[] | null {
  if (typeof value.content !== "string" || value.content.trim() === "") return [];
  return [{ id: uuid, type: "system.message", processed_at: at, content: [{ type: "text", text: value.content }] }];
}

function messageLine(
  value: Record<string, unknown>,
  uuid: string,
  at: string,
  line: number,
  context: ParseContext,
): Event[] | null {
  const message = value.message;
  if (!isRecord(message) || (typeof message.content !== "string" && !Array.isArray(message.content))) {
    context.invalid(line, `this ${String(value.type)} line has no message content`);
    return null;
  }
  const fromUser = value.type === "user";
  const textType = !fromUser
    ? "agent.message"
    : value.isMeta === true
      ? "system.message"
      : value.isSidechain === true
        ? "agent.message"
        : "user.message";
  const blocks: unknown[] =
    typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content;
  const events: Event[] = [];
  let text: ContentBlock[] = [];
  const id = () => (events.length === 0 ? uuid : `${uuid}:${events.length}`);
  const flush = () => {
    if (text.length === 0) return;
    events.push({ id: id(), type: textType, processed_at: at, content: text });
    text = [];
  };
  for (const block of blocks) {
    if (!isRecord(block) || typeof block.type !== "string") {
      context.warn(line, "a content block without a type was not read");
      continue;
    }
    if (block.type === "text" && typeof block.text === "string") {
      text.push({ type: "text", text: block.text });
    } else if (block.type === "thinking" || block.type === "redacted_thinking") {
      flush();
      const thought = typeof block.thinking === "string" ? block.thinking : "[redacted thinking]";
      events.push({ id: id(), type: "agent.thinking", processed_at: at, content: [{ type: "text", text: thought }] });
    } else if ((block.type === "tool_use" || block.type === "server_tool_use") && typeof block.id === "string") {
      flush();
      const name = typeof block.name === "string" && block.name !== "" ? block.name : "tool";
      events.push({ id: block.id, type: "agent.tool_use", processed_at: at, name, input: block.input ?? {} });
    } else if (block.type === "tool_result" && typeof block.tool_use_id === "string") {
      flush();
      events.push({
        id: id(),
        type: "agent.tool_result",
        processed_at: at,
        tool_use_id: block.tool_use_id,
        content: toolResultContent(block.content),
        ...(typeof block.is_error === "boolean" ? { is_error: block.is_error } : {}),
      });
    } else if (block.type === "image" || block.type === "document") {
      text.push({ type: block.type });
    } else {
      context.warn(line, `a "${block.type}" content block was not read`);
    }
  }
  flush();
  return events;
}

function toolResultContent(content: unknown): string | ContentBlock[] {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return content === undefined || content === null ? "" : JSON.stringify(content);
  return content.map((block): ContentBlock => {
    if (isRecord(block) && block.type === "text" && typeof block.text === "string") {
      return { type: "text", text: block.text };
    }
    return { type: isRecord(block) && typeof block.type === "string" && block.type !== "" ? block.type : "unknown" };
  });
}
