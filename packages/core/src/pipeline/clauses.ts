import type { CandidateFact } from "../schemas/facts.js";
import { normalizeKey, normalizeText } from "../util/text.js";

/** Splitting statements into clauses, and naming a piece of text that has no key of its own. */

const CLAUSE_BREAK = /;\s+|(?<=[.!?])\s+(?=\p{Lu})/gu;
const MIN_CLAUSE_WORDS = 3;

/**
 * The clauses of a compound statement ("Tests run with Jest; integration tests need docker compose"), each an exact
 * slice of the statement. A piece of fewer than three words ("Dr.", "rarely") stays joined to its neighbour.
 */
export function clausesOf(statement: string): string[] {
  const pieces: Array<{ start: number; end: number }> = [];
  let start = 0;
  for (const match of statement.matchAll(CLAUSE_BREAK)) {
    pieces.push({ start, end: match.index ?? 0 });
    start = (match.index ?? 0) + match[0].length;
  }
  pieces.push({ start, end: statement.length });
  const wordsIn = (piece: { start: number; end: number }) =>
    statement.slice(piece.start, piece.end).trim().split(/\s+/).filter(Boolean).length;
  const merged: Array<{ start: number; end: number }> = [];
  for (const piece of pieces) {
    const previous = merged.at(-1);
    if (previous !== undefined && (wordsIn(piece) < MIN_CLAUSE_WORDS || wordsIn(previous) < MIN_CLAUSE_WORDS)) {
      previous.end = piece.end;
    } else {
      merged.push({ ...piece });
    }
  }
  return merged.map((piece) => statement.slice(piece.start, piece.end).trim()).filter((text) => text !== "");
}

/** A clause as a sentence of its own: capitalised, ending in a full stop. */
export function sentenceOf(clause: string): string {
  const text = clause.charAt(0).toUpperCase() + clause.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** A key made of a text's first words (`clause.integration_tests_need_docker_compose`), for a fact that has none. */
export function keyOfWords(prefix: string, text: string): string {
  return `${prefix}.${normalizeKey(normalizeText(text).split(/\s+/).slice(0, 8).join("_"))}`;
}

/**
 * A clause split off `fact` as a fact of its own: derived by the engine (its key is its own words, its value unknown),
 * with the fact's kind, cardinality, time, trust and evidence; `index` is the clause's place in the statement.
 */
export function clauseFact(fact: CandidateFact, clause: string, index: number): CandidateFact {
  return {
    ...fact,
    id: `${fact.id}~${index + 1}`,
    key: keyOfWords("clause", clause),
    statement: sentenceOf(clause),
    value: null,
    derived: "clause",
  };
}

/** The id of the fact a clause was split off (a fact's own id when it was not split). */
export function originOf(id: string): string {
  return id.replace(/~\d+$/, "");
}
