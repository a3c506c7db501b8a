import type { Tokenizer } from "../ports/tokenizer.js";
import type { Chunk, TranscriptLine } from "../schemas/facts.js";
import type { Session } from "../schemas/session.js";
import { finish, type Steps } from "../util/pacer.js";
import { boundToolOutputSteps, type ToolOutputTally } from "./bound-tool-output.js";
import { renderTranscriptSteps, unsplittableRanges } from "./render-transcript.js";

/**
 * Tokens a line is budgeted beyond its text: the `e12 user: ` prefix the extraction prompt puts in front of it costs
 * about 5 (a date line or block header now and then, more), so this leaves a margin.
 */
export const LINE_OVERHEAD_TOKENS = 12;

/**
 * Removes secrets from one rendered line, before any cut or split: half a secret no longer looks like one. Returns
 * the clean text; the caller counts what it removed.
 */
export type LineRedactor = (text: string) => string;

/** How a session's tool output is bounded before chunking (see `bound-tool-output.ts`); absent: read in full. */
export interface ToolOutputBound {
  /** Most tokens of one tool result; 0 reads tool output in full. */
  tokens: number;
  /** Counts what was left out. */
  tally: ToolOutputTally;
}

/** `tokenizer` counting each distinct text once: bounding tool output counts the lines chunking counts again. */
function countingOnce(tokenizer: Tokenizer): Tokenizer {
  const counted = new Map<string, number>();
  return {
    count(text) {
      let tokens = counted.get(text);
      if (tokens === undefined) {
        tokens = tokenizer.count(text);
        counted.set(text, tokens);
      }
      return tokens;
    },
    split: (text, maxTokens) => tokenizer.split(text, maxTokens),
  };
}

interface CostedLine {
  line: TranscriptLine;
  tokens: number;
}

/**
 * Splits a session's transcript into chunks of at most `budget` tokens, on event boundaries. A tool call stays in
 * the same chunk as its result when they fit together; an event larger than the budget is split into parts on its
 * own. Every line keeps its event id; with `redact`, secrets are removed from each line before anything is cut or
 * split; with `toolOutput`, repeated and long tool results are bounded next, else nothing is dropped.
 */
export function chunkTranscript(
  session: Session,
  tokenizer: Tokenizer,
  budget: number,
  toolOutput?: ToolOutputBound,
  redact?: LineRedactor,
): Chunk[] {
  return finish(chunkTranscriptSteps(session, tokenizer, budget, toolOutput, redact));
}

/** {@link chunkTranscript} as steps (one per line counted), for a pacer to run. */
export function* chunkTranscriptSteps(
  session: Session,
  tokenizer: Tokenizer,
  budget: number,
  toolOutput?: ToolOutputBound,
  redact?: LineRedactor,
): Steps<Chunk[]> {
  if (budget <= LINE_OVERHEAD_TOKENS) throw new RangeError(`chunk budget must exceed ${LINE_OVERHEAD_TOKENS} tokens`);
  const rendered = yield* renderTranscriptSteps(session);
  if (redact) {
    for (const line of rendered) {
      line.text = redact(line.text);
      yield;
    }
  }
  const counting = countingOnce(tokenizer);
  const lines = toolOutput
    ? yield* boundToolOutputSteps(rendered, counting, toolOutput.tokens, toolOutput.tally)
    : rendered;
  const costed: CostedLine[] = [];
  for (const line of lines) {
    costed.push({ line, tokens: counting.count(line.text) + LINE_OVERHEAD_TOKENS });
    yield;
  }
  const chunks: Chunk[] = [];
  let current: CostedLine[] = [];
  let currentTokens = 0;

  const flush = () => {
    if (current.length === 0) return;
    chunks.push({
      key: `${session.id}#${chunks.length}`,
      sessionId: session.id,
      index: chunks.length,
      lines: current.map((entry) => entry.line),
      tokens: currentTokens,
    });
    current = [];
    currentTokens = 0;
  };
  const add = (group: CostedLine[], tokens: number) => {
    if (currentTokens + tokens > budget) flush();
    current.push(...group);
    currentTokens += tokens;
  };

  for (const [start, end] of unsplittableRanges(session, lines)) {
    const group = costed.slice(start, end + 1);
    const groupTokens = group.reduce((sum, entry) => sum + entry.tokens, 0);
    if (groupTokens <= budget) {
      add(group, groupTokens);
      continue;
    }
    for (const entry of group) {
      if (entry.tokens <= budget) {
        add([entry], entry.tokens);
        continue;
      }
      const parts = tokenizer.split(entry.line.text, budget - LINE_OVERHEAD_TOKENS);
      for (const [part, text] of parts.entries()) {
        const tokens = Math.min(budget, tokenizer.count(text) + LINE_OVERHEAD_TOKENS);
        add([{ line: { ...entry.line, text, part }, tokens }], tokens);
        yield;
      }
    }
  }
  flush();
  return chunks;
}
