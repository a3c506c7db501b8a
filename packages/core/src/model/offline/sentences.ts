/** A piece of a text with its position in it: `text` is exactly `source.slice(start, end)`, trimmed. */
export interface Span {
  text: string;
  start: number;
  end: number;
}

/** A sentence, and whether it ended with a question mark. */
export interface Sentence extends Span {
  question: boolean;
}

const SENTENCE_END = /[.!?]{1,8}(?=\s|$)|[;\n]/g;
const SENTENCE_END_IN_PROSE = /[.!?]{1,8}(?=\s|$)/g;
const ABBREVIATION = /(?:^|[\s(])(?:e\.g|i\.e|etc|vs|mr|mrs|ms|dr|no|approx|incl|cf|fig|st)$/i;

function trimmed(source: string, start: number, end: number): Span | null {
  let from = start;
  let to = end;
  while (from < to && /\s/.test(source[from] ?? "")) from++;
  while (to > from && /\s/.test(source[to - 1] ?? "")) to--;
  return from < to ? { text: source.slice(from, to), start: from, end: to } : null;
}

/**
 * Splits text into sentences at `.`, `!`, `?` followed by a space, at `;` and at line breaks. Abbreviations such as
 * "e.g." and dotted names ("node.js", "v1.2") do not end a sentence. With `wrapped`, line breaks and `;` do not end
 * a sentence either (hard-wrapped prose in a note). Linear in the length of the text.
 */
export function splitSentences(
  source: string,
  from = 0,
  to = source.length,
  options: { wrapped?: boolean } = {},
): Sentence[] {
  const sentences: Sentence[] = [];
  const boundary = options.wrapped ? SENTENCE_END_IN_PROSE : SENTENCE_END;
  const text = source.slice(from, to);
  let start = 0;
  boundary.lastIndex = 0;
  for (let match = boundary.exec(text); match !== null; match = boundary.exec(text)) {
    const end = match.index + match[0].length;
    if (match[0].startsWith(".") && ABBREVIATION.test(text.slice(Math.max(start, match.index - 8), match.index))) {
      continue;
    }
    const span = trimmed(source, from + start, from + end);
    if (span) sentences.push({ ...span, question: match[0].includes("?") });
    start = end;
  }
  const rest = trimmed(source, from + start, to);
  if (rest) sentences.push({ ...rest, question: false });
  return sentences;
}
