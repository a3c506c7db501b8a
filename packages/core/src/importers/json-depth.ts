/** The deepest nesting of arrays and objects a transcript may have; real transcripts stay far below it. */
export const MAX_JSON_DEPTH = 512;

/**
 * The character offset where JSON text (or JSONL) first nests deeper than `max` arrays and objects, or -1.
 * One linear scan that skips string contents, so the check itself cannot overflow the stack that deep input would
 * overflow later (in parsing, validation or cloning).
 */
export function tooDeepAt(text: string, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 92 /* \ */) index++;
      else if (char === 34 /* " */) inString = false;
      continue;
    }
    if (char === 34) inString = true;
    else if (char === 123 /* { */ || char === 91 /* [ */) {
      if (++depth > max) return index;
    } else if (char === 125 /* } */ || char === 93 /* ] */) depth = Math.max(0, depth - 1);
  }
  return -1;
}
