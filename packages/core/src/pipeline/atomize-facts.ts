import type { CandidateFact } from "../schemas/facts.js";
import { finish, type Steps } from "../util/pacer.js";
import { jaccard, normalizeText } from "../util/text.js";
import { clauseFact, clausesOf, sentenceOf } from "./clauses.js";
import { GENERIC_KEY_WORDS } from "./deduplicate.js";

function grams(text: string): Set<string> {
  const padded = ` ${normalizeText(text)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()} `;
  const set = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) set.add(padded.slice(i, i + 3));
  return set;
}

function keyWords(key: string): string {
  return key
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "" && !GENERIC_KEY_WORDS.has(word.toLowerCase()))
    .join(" ");
}

/** The clause a fact's key and value belong to: the one holding the value, else the one closest to the key's words. */
function mainClause(fact: CandidateFact, clauses: readonly string[]): number {
  if (fact.value !== null) {
    const value = normalizeText(fact.value).replace(/`/g, "");
    const holding = clauses.findIndex((clause) => normalizeText(clause).replace(/`/g, "").includes(value));
    if (holding !== -1) return holding;
  }
  const key = grams(keyWords(fact.key));
  const scores = clauses.map((clause) => jaccard(grams(clause), key));
  return scores.indexOf(Math.max(...scores));
}

/**
 * Splits compound statements into one fact per clause before resolution ("Tests run with Jest; integration tests
 * need docker compose" is two facts), so that an update replaces only the clause it changes and a statement an
 * extractor built from two facts cannot keep an old value alive under another subject's key. The clause holding the
 * fact's value (or closest to its key) keeps the fact's id, key and value; each other clause becomes a fact of its
 * own under a key of its own words (the original key names the other clause's subject), with the same kind,
 * cardinality, time, trust and evidence, for blocking and the model to place. Facts that are one clause are returned as they are.
 */
export function atomizeFacts(facts: readonly CandidateFact[]): CandidateFact[] {
  return finish(atomizeFactsSteps(facts));
}

/** {@link atomizeFacts} as steps (one per fact), for a pacer to run. */
export function* atomizeFactsSteps(facts: readonly CandidateFact[]): Steps<CandidateFact[]> {
  const atoms: CandidateFact[] = [];
  for (const fact of facts) {
    atoms.push(...atomsOf(fact));
    yield;
  }
  return atoms;
}

function atomsOf(fact: CandidateFact): CandidateFact[] {
  if (fact.kind === "insight" || fact.kind === "transient") return [fact];
  const clauses = clausesOf(fact.statement);
  if (clauses.length < 2) return [fact];
  const main = mainClause(fact, clauses);
  return clauses.map((clause, index): CandidateFact => {
    return index === main ? { ...fact, statement: sentenceOf(clause) } : clauseFact(fact, clause, index);
  });
}
