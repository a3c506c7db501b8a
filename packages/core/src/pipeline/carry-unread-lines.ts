import type { MemorySnippet } from "../ports/consolidation-model.js";
import type { CandidateFact } from "../schemas/facts.js";
import { sha256 } from "../util/hash.js";
import { keyOfWords } from "./clauses.js";
import { lineageLine } from "./lineage.js";

const SKIPPED_LINE = /^\s*(?:#{1,6}\s|```|~~~|---+\s*$|\*\*\*+\s*$|\|?[\s:|-]+\|\s*$|<!--|>\s*$)/;
const MIN_WORDS = 3;

/**
 * The statement-sized lines of a memory: list items (with their indented continuation lines) and prose lines of three
 * words or more, markers removed.
 */
function statementLines(content: string): string[] {
  let fenced = false;
  const lines: string[] = [];
  for (const raw of content.split("\n")) {
    if (/^\s*(?:```|~~~)/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    if (fenced || raw.trim() === "" || SKIPPED_LINE.test(raw)) continue;
    const text = lineageLine(raw);
    const continues = /^\s{2,}\S/.test(raw) && !/^\s*(?:[-*+]|\d{1,3}[.)])\s/.test(raw) && lines.length > 0;
    if (continues) lines[lines.length - 1] = `${lines.at(-1)} ${text}`;
    else lines.push(text);
  }
  return lines.filter((line) => line.split(/\s+/).length >= MIN_WORDS);
}

/** The topic a memory's own path names: `/projects/atlas.md` → `projects/atlas`. */
export function topicOfPath(path: string): string {
  return path.replace(/^\//, "").replace(/\.md$/i, "") || "general";
}

/**
 * Lines of existing memories that no extracted fact rests on — the model skipped them, or its citation for them did
 * not hold — are carried over unchanged as facts of their own (under a key of their words, observed when the memory
 * was last written), instead of vanishing: the store already decided to keep them. Such a line shares its key with
 * nothing, so it is only ever replaced when the model says — twice, sides swapped — that a newer single value is
 * about the same subject; against a set it is never merged. Lines `covered`
 * reports (read from lineage, or quoted by a fact the model gave) are left alone, and so are lines holding a redacted
 * secret, which cannot be written back.
 */
export function carryUnreadLines(
  memories: readonly MemorySnippet[],
  quoted: (memoryId: string, line: string) => boolean,
): CandidateFact[] {
  const carried: CandidateFact[] = [];
  for (const memory of memories) {
    for (const [index, line] of statementLines(memory.content).entries()) {
      if (line.includes("[REDACTED:") || quoted(memory.id, line)) continue;
      carried.push({
        id: `fact_${sha256(`carried\u0000${memory.id}\u0000${index}\u0000${line}`).slice(0, 20)}`,
        key: keyOfWords("carried", line),
        topic: topicOfPath(memory.path),
        statement: line,
        kind: "fact",
        cardinality: "single",
        polarity: "positive",
        value: null,
        derived: "carried",
        observedAt: memory.updatedAt,
        trust: "memory",
        evidence: [{ type: "memory", memoryId: memory.id, path: memory.path, quote: line }],
      });
    }
  }
  return carried;
}
