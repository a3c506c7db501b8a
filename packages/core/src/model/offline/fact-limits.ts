import { splitSentences } from "./sentences.js";
import { clip } from "./text-tokens.js";

/** Longest statement and quote the fact schema accepts. */
export const MAX_STATEMENT = 2000;
export const MAX_QUOTE = 500;
const MAX_KEY = 200;

/** Splits text longer than a statement may be at sentence ends (or hard, as a last resort). */
export function splitLong(text: string, max = MAX_STATEMENT): string[] {
  if (text.length <= max) return [text];
  const pieces: string[] = [];
  let current = "";
  for (const sentence of splitSentences(text, 0, text.length, { wrapped: true })) {
    let rest = sentence.text;
    while (rest.length > max) {
      if (current !== "") pieces.push(current);
      current = "";
      const head = clip(rest, max);
      pieces.push(head);
      rest = rest.slice(head.length).trimStart();
    }
    if (current !== "" && current.length + 1 + rest.length > max) {
      pieces.push(current);
      current = rest;
    } else {
      current = current === "" ? rest : `${current} ${rest}`;
    }
  }
  if (current !== "") pieces.push(current);
  return pieces;
}

/** A key that fits the schema. */
export function boundedKey(key: string): string {
  return clip(key, MAX_KEY).replace(/[._]+$/, "");
}
