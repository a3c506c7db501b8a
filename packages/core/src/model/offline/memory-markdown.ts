import { hasIsoDate, isStackLine } from "../../util/one-off-text.js";
import { splitSentences } from "./sentences.js";

/** One statement-sized piece of a memory file: a bullet, a table row, a group of sentences, a code block. */
export interface MemoryItem {
  /** The text as a statement: markup removed, wrapped lines joined. */
  text: string;
  /** An exact span of the memory's content the item rests on (its first line, or its sentences). */
  quote: string;
  /** The heading it sits under, if any. */
  heading: string | null;
  /** True when its heading carries a date (a dated log entry). */
  dated: boolean;
  /** True for a code block holding a stack trace or error log. */
  log: boolean;
}

interface Line {
  raw: string;
  start: number;
  end: number;
}

const FENCE = /^\s{0,3}(?:```|~~~)/;
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
const RULE_LINE = /^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$/;
const SETEXT = /^\s{0,3}(?:=+|-+)\s*$/;
const BULLET = /^(\s*)(?:[-*+•]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?(.*)$/;
const TABLE_ROW = /^\s{0,3}\|.*\|\s*$/;
const TABLE_SEPARATOR = /^\s{0,3}\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-{0,}:?\s*\|?\s*$/;
const COMMENT = /^\s*<!--.*-->\s*$/;
const CONTINUING_SENTENCE =
  /^(?:it|its|it's|this|that|they|them|their|these|those|he|she|his|her|also|and|but|so|then|which|otherwise|however|there)\b/i;

function linesOf(content: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= content.length) {
    const newline = content.indexOf("\n", start);
    const stop = newline === -1 ? content.length : newline;
    const end = stop > start && content[stop - 1] === "\r" ? stop - 1 : stop;
    lines.push({ raw: content.slice(start, end), start, end });
    if (newline === -1) break;
    start = newline + 1;
  }
  return lines;
}

/** Inline markup a statement does not need: bold/italic markers and blockquote arrows. Code spans are kept. */
export function cleanMarkup(text: string): string {
  return text
    .replace(/^\s*(?:>\s?)+/, "")
    .replace(/\*\*|__/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

function frontMatterEnd(lines: Line[]): number {
  if (lines[0]?.raw.trim() !== "---") return 0;
  for (let index = 1; index < Math.min(lines.length, 200); index++) {
    const text = lines[index]?.raw.trim();
    if (text === "---" || text === "...") return index + 1;
  }
  return 0;
}

/**
 * Reads a memory file into statement-sized items: one per bullet (with its wrapped continuation lines), per table row,
 * per group of sentences in a paragraph (a sentence that starts with "It", "This", "Also" … stays with the one
 * before), and per code block (attached to the item just before it when there is one). Headings are context, not
 * items; YAML front matter, horizontal rules and HTML comments are skipped.
 */
export function memoryItems(content: string): MemoryItem[] {
  const lines = linesOf(content);
  const items: MemoryItem[] = [];
  let heading: string | null = null;
  let dated = false;
  let paragraph: Line[] = [];
  let fence: Line[] | null = null;
  let last = null as MemoryItem | null;

  const push = (item: Omit<MemoryItem, "heading" | "dated">) => {
    if (item.text === "") return;
    last = { ...item, heading, dated };
    items.push(last);
  };
  const flushParagraph = () => {
    if (paragraph.length === 0) return;
    const from = paragraph[0]?.start ?? 0;
    const to = paragraph.at(-1)?.end ?? from;
    paragraph = [];
    let group: { start: number; end: number } | null = null;
    const emit = () => {
      if (group === null) return;
      const quote = content.slice(group.start, group.end);
      push({ text: cleanMarkup(quote), quote: quote.trim(), log: false });
    };
    for (const sentence of splitSentences(content, from, to, { wrapped: true })) {
      if (group !== null && CONTINUING_SENTENCE.test(cleanMarkup(sentence.text))) {
        group.end = sentence.end;
        continue;
      }
      emit();
      group = { start: sentence.start, end: sentence.end };
    }
    emit();
  };
  const flushFence = (block: Line[]) => {
    const body = block.map((line) => line.raw).filter((raw) => raw.trim() !== "");
    if (body.length === 0) return;
    const log = body.some(isStackLine);
    const firstLine = body[0]?.trim() ?? "";
    const previous = last as MemoryItem | null;
    if (previous !== null && !log) {
      previous.text = `${previous.text}\n${body.join("\n")}`;
      return;
    }
    push({ text: body.join("\n"), quote: firstLine, log });
  };

  for (let index = frontMatterEnd(lines); index < lines.length; index++) {
    const line = lines[index] as Line;
    const text = line.raw;
    if (fence !== null) {
      if (FENCE.test(text)) {
        flushFence(fence);
        fence = null;
      } else {
        fence.push(line);
      }
      continue;
    }
    if (FENCE.test(text)) {
      flushParagraph();
      fence = [];
      continue;
    }
    if (text.trim() === "" || COMMENT.test(text)) {
      flushParagraph();
      continue;
    }
    const headingMatch = HEADING.exec(text);
    if (headingMatch) {
      flushParagraph();
      heading = cleanMarkup(headingMatch[1] ?? "") || null;
      dated = heading !== null && hasIsoDate(heading);
      last = null;
      continue;
    }
    if (SETEXT.test(text) && paragraph.length === 1) {
      heading = cleanMarkup(paragraph[0]?.raw ?? "") || null;
      dated = heading !== null && hasIsoDate(heading);
      paragraph = [];
      last = null;
      continue;
    }
    if (RULE_LINE.test(text)) {
      flushParagraph();
      continue;
    }
    if (TABLE_ROW.test(text)) {
      flushParagraph();
      if (!TABLE_SEPARATOR.test(text)) {
        const cells = text
          .trim()
          .replace(/^\||\|$/g, "")
          .split("|")
          .map((cell) => cleanMarkup(cell))
          .filter((cell) => cell !== "");
        push({ text: cells.join(" | "), quote: text.trim(), log: false });
      }
      continue;
    }
    const bullet = BULLET.exec(text);
    if (bullet) {
      flushParagraph();
      push({ text: cleanMarkup(bullet[2] ?? ""), quote: text.trim(), log: false });
      continue;
    }
    const current = last as MemoryItem | null;
    if (current !== null && paragraph.length === 0 && /^\s{2,}\S/.test(text)) {
      current.text = `${current.text} ${cleanMarkup(text)}`;
      continue;
    }
    paragraph.push(line);
  }
  if (fence !== null) flushFence(fence);
  flushParagraph();
  return items;
}
