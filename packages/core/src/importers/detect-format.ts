import { isClaudeCodeLine } from "./claude-code-jsonl.js";
import { isRecord } from "./draft-session.js";
import { isHostedEvent } from "./hosted-events.js";
import { isNocturneSession } from "./nocturne-session.js";
import { isOpenAIMessage } from "./openai-messages.js";
import type { TranscriptFormat } from "./transcript-format.js";

/** A detected format and, for whole-file JSON formats, the parsed document. */
export type Detection = { format: TranscriptFormat; root: unknown } | { format: null; reason: string };

/**
 * Tells a transcript's format from its content: whole-file JSON is a Nocturne session, a hosted event list or OpenAI
 * messages by its shape; text whose first line is a Claude Code entry is Claude Code JSONL.
 */
export function detectFormat(text: string, parsed: { ok: true; value: unknown } | { ok: false }): Detection {
  if (parsed.ok) return detectJson(parsed.value);
  const first = firstLine(text);
  if (first !== undefined) {
    try {
      if (isClaudeCodeLine(JSON.parse(first))) return { format: "claude-code-jsonl", root: null };
    } catch {
      // not JSONL either: reported below as broken JSON
    }
  }
  return { format: null, reason: "invalid_json" };
}

function detectJson(value: unknown): Detection {
  if (isNocturneSession(value)) return { format: "nocturne-session", root: value };
  if (isRecord(value)) {
    if (Array.isArray(value.data)) return { format: "hosted-events", root: value };
    if (Array.isArray(value.messages)) return { format: "openai-messages", root: value };
    if (isClaudeCodeLine(value)) return { format: "claude-code-jsonl", root: null };
    return { format: null, reason: "an object without `events`, `data` or `messages`" };
  }
  if (Array.isArray(value)) {
    const first = value.find((item) => item !== null);
    if (first === undefined) return { format: null, reason: "empty" };
    if (isOpenAIMessage(first)) return { format: "openai-messages", root: value };
    if (isHostedEvent(first)) return { format: "hosted-events", root: value };
    return { format: null, reason: "a list whose items are neither chat messages nor session events" };
  }
  return { format: null, reason: `a JSON ${value === null ? "null" : typeof value}` };
}

/** The parsed document a forced format reads, checked for the shape that format needs. */
export function rootForFormat(format: TranscriptFormat, value: unknown): unknown | null {
  switch (format) {
    case "nocturne-session":
      return isNocturneSession(value) ? value : null;
    case "hosted-events":
      return Array.isArray(value) || (isRecord(value) && Array.isArray(value.data)) ? value : null;
    case "openai-messages":
      return Array.isArray(value) || (isRecord(value) && Array.isArray(value.messages)) ? value : null;
    case "claude-code-jsonl":
      return null;
  }
}

/** The first line of text that is not blank, found without splitting the whole text. */
function firstLine(text: string): string | undefined {
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    if (line.trim() !== "") return line;
    start = end + 1;
  }
  return undefined;
}
