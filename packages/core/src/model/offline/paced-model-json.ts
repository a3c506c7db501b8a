import type { Pacer } from "../../util/pacer.js";

/** Where the core model file's word list begins: 88k short strings, most of the cost of parsing the file. */
const WORD_LIST = '"lexeme":{"list":[';
/** Characters of the word list parsed in one step (about a millisecond each). */
const SLICE_CHARS = 1 << 16;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;

/**
 * Parses the text of wink's core model file like `JSON.parse`, giving the event loop turns on the way: the word list
 * (`features.lexeme.list`) is parsed a slice of whole elements at a time, then the rest of the file in one step. A
 * file without exactly one such list is parsed at once.
 */
export async function parseCoreModelJson(text: string, pacer: Pacer): Promise<unknown> {
  const open = text.indexOf(WORD_LIST);
  if (open < 0 || text.includes(WORD_LIST, open + 1)) return JSON.parse(text);
  const first = open + WORD_LIST.length;
  const words: unknown[] = [];
  const take = (from: number, to: number) => {
    for (const word of JSON.parse(`[${text.slice(from, to)}]`) as unknown[]) words.push(word);
  };
  let from = first;
  let end = -1;
  let inString = false;
  for (let at = first; at < text.length && end < 0; at++) {
    const char = text.charCodeAt(at);
    if (inString) {
      if (char === BACKSLASH) at++;
      else if (char === QUOTE) inString = false;
    } else if (char === QUOTE) {
      inString = true;
    } else if (char === CLOSE_BRACKET) {
      if (at > from) take(from, at);
      end = at;
    } else if (char === COMMA && at - from >= SLICE_CHARS) {
      take(from, at);
      from = at + 1;
      await pacer.pace();
    }
  }
  if (end < 0) return JSON.parse(text);
  await pacer.pace();
  const model = JSON.parse(text.slice(0, first) + text.slice(end)) as { features: { lexeme: { list: unknown[] } } };
  model.features.lexeme.list = words;
  return model;
}
