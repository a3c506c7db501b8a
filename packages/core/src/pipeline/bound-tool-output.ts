import type { Tokenizer } from "../ports/tokenizer.js";
import type { TranscriptLine } from "../schemas/facts.js";
import type { Steps } from "../util/pacer.js";

/** What bounding tool output left out of a dream's transcripts, as the report counts it. */
export interface ToolOutputTally {
  /** Tool results read as a back-reference to an earlier result of the session with the same content. */
  toolResultsDeduplicated: number;
  /** Tool results longer than the budget, cut to their head and tail. */
  toolResultsCut: number;
  /** Tool-output tokens the model did not read because of either. */
  toolTokensElided: number;
}

/** A tally with nothing counted yet. */
export function emptyToolOutputTally(): ToolOutputTally {
  return { toolResultsDeduplicated: 0, toolResultsCut: 0, toolTokensElided: 0 };
}

/**
 * The text of a repeated tool result's line; `sameAs` names the event that holds the content, and the extraction
 * prompt shows that event's alias instead when it is in the same chunk.
 */
const SAME_OUTPUT_TEXT = "[same output as an earlier tool result]";
/** Results this short are read again rather than replaced by a back-reference that would cost as much. */
const MIN_DEDUPLICATED_TOKENS = 16;

/** The marker between the head and tail of a cut result: says how much of it was left out. */
function elisionMarker(tokens: number, lines: number): string {
  const lineNote = lines > 0 ? `, ${lines.toLocaleString("en-US")} lines` : "";
  return `[… ${tokens.toLocaleString("en-US")} tokens of tool output left out${lineNote} …]`;
}

function lineBreaks(text: string): number {
  let count = 0;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) count++;
  return count;
}

/**
 * Where a head is cut: after its last line break, else its last whitespace, when that keeps at least half of it. A
 * cut never splits a word (secrets are redacted before any cut; see `chunkTranscriptSteps`).
 */
function headEnd(head: string): number {
  const line = head.lastIndexOf("\n");
  if (line >= head.length / 2) return line + 1;
  const space = head.search(/\s\S*$/);
  return space >= head.length / 2 ? space + 1 : 0;
}

/** Where a tail starts: after its first line break, else its first whitespace, within its first half. */
function tailStart(tail: string): number {
  const line = tail.indexOf("\n");
  if (line !== -1 && line <= tail.length / 2) return line + 1;
  const space = tail.search(/\s/);
  return space !== -1 && space <= tail.length / 2 ? space + 1 : tail.length;
}

/**
 * `text` (`total` tokens) cut to at most `budget` tokens: its first and last halves by position, around a marker.
 * The halves are sized by the text's characters per token and shrunk until each counts at most half the budget.
 */
function cut(text: string, total: number, budget: number, tokenizer: Tokenizer): { text: string; elided: number } {
  const half = Math.max(1, Math.floor(budget / 2));
  let share = half / total;
  for (;;) {
    const chars = Math.floor(text.length * share);
    const headPart = text.slice(0, chars);
    const tailPart = text.slice(text.length - chars);
    const head = headPart.slice(0, headEnd(headPart));
    const tail = tailPart.slice(tailStart(tailPart));
    const headTokens = tokenizer.count(head);
    const tailTokens = tokenizer.count(tail);
    const over = Math.max(headTokens, tailTokens);
    if (over > half) {
      share *= (0.9 * half) / over;
      continue;
    }
    const middle = text.slice(head.length, text.length - tail.length);
    const elided = Math.max(0, total - headTokens - tailTokens);
    const separator = head === "" || head.endsWith("\n") ? "" : "\n";
    return { text: `${head}${separator}${elisionMarker(elided, lineBreaks(middle))}\n${tail}`, elided };
  }
}

/**
 * Bounds the tool output of one session's transcript lines, for extraction only (the session is not touched): a
 * tool result whose content repeats an earlier one of the session (the same file read again) becomes a one-line
 * back-reference to it (`sameAs`), and a result longer than `budget` tokens keeps its head and tail around a
 * marker saying how much was left out. Every line keeps its event id, so evidence cites the real event. `budget` 0
 * reads tool output in full. Counts what it left out into `tally`.
 */
export function* boundToolOutputSteps(
  lines: readonly TranscriptLine[],
  tokenizer: Tokenizer,
  budget: number,
  tally: ToolOutputTally,
): Steps<TranscriptLine[]> {
  if (budget === 0) return [...lines];
  const firstWith = new Map<string, string>();
  const bounded: TranscriptLine[] = [];
  for (const line of lines) {
    if (line.role !== "tool") {
      bounded.push(line);
      continue;
    }
    const original = firstWith.get(line.text);
    const tokens = tokenizer.count(line.text);
    yield;
    if (original !== undefined && tokens >= MIN_DEDUPLICATED_TOKENS) {
      bounded.push({ ...line, text: SAME_OUTPUT_TEXT, sameAs: original });
      tally.toolResultsDeduplicated++;
      tally.toolTokensElided += Math.max(0, tokens - tokenizer.count(SAME_OUTPUT_TEXT));
      continue;
    }
    if (original === undefined) firstWith.set(line.text, line.eventId);
    if (tokens <= budget) {
      bounded.push(line);
      continue;
    }
    const result = cut(line.text, tokens, budget, tokenizer);
    bounded.push({ ...line, text: result.text });
    tally.toolResultsCut++;
    tally.toolTokensElided += result.elided;
  }
  return bounded;
}
