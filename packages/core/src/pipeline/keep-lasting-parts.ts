import type { CandidateFact } from "../schemas/facts.js";
import { anchorsOf, anchorTokensOf } from "../util/anchors.js";
import { hasOneOffMarker } from "../util/one-off-text.js";
import type { Steps } from "../util/pacer.js";
import { normalizeKey } from "../util/text.js";
import { clauseFact, clausesOf, sentenceOf } from "./clauses.js";

/** Facts a model labelled one-off, sorted into what is dropped and what is kept as lasting after all. */
export interface TransientSorting {
  /** Dropped as one-off (still read for patterns across sessions). */
  transient: CandidateFact[];
  /** Kept: a clause or statement that reads as lasting and that dropping would lose. */
  kept: CandidateFact[];
  /**
   * Said in a session, reading as lasting, under a key no lasting fact has: lasting if deduplication finds it is
   * about the subject of a lasting fact (its newer value in other words), else dropped as one-off.
   */
  disputed: CandidateFact[];
}

/**
 * A one-off label destroys what it touches, so the engine asks for more than the model's word before acting on it:
 *
 * - a statement the model built from several clauses ("Got ENOSPC from Lumen-2 at 17:47, a blip. Quartz-7 ships
 *   weekly.") is judged clause by clause: a clause with no one-off marker (no failure word, date, temporary
 *   qualifier, error signature or log line) that names something the one-off clauses do not is a lasting fact of
 *   its own ("CI is red today. Use the staging branch." stays one note: its second clause names nothing new);
 * - a line of an input memory is pruned only when it reads as one-off: the store already chose to keep it;
 * - a statement under the key of a lasting fact of this dream, reading as lasting, is that attribute's newer value,
 *   not a note about it; under another key, it is `disputed` until deduplication says whether it is about a lasting
 *   fact's subject.
 *
 * Anything else labelled one-off is dropped, as the model said.
 *
 * Written as steps (one per fact), for a pacer to run.
 */
export function* keepLastingPartsSteps(facts: readonly CandidateFact[]): Steps<TransientSorting> {
  const lastingKeys = new Set<string>();
  for (const fact of facts) {
    if (fact.kind !== "transient") lastingKeys.add(normalizeKey(fact.key));
    yield;
  }
  const transient: CandidateFact[] = [];
  const kept: CandidateFact[] = [];
  const disputed: CandidateFact[] = [];
  for (const fact of facts) {
    yield;
    if (fact.kind !== "transient") continue;
    const clauses = clausesOf(fact.statement);
    const oneOff = clauses.filter(hasOneOffMarker);
    const named = anchorTokensOf(oneOff.join(" "));
    const separate = (clause: string) =>
      !hasOneOffMarker(clause) && anchorsOf(clause).some((anchor) => !named.has(anchor));
    if (clauses.length > 1 && oneOff.length > 0 && clauses.some(separate)) {
      transient.push({
        ...fact,
        statement: clauses
          .filter((clause) => !separate(clause))
          .map(sentenceOf)
          .join(" "),
      });
      for (const [index, clause] of clauses.entries()) {
        if (!separate(clause)) continue;
        kept.push({ ...clauseFact(fact, clause, index), kind: "fact" });
      }
      continue;
    }
    const fromMemory = fact.evidence.every((cited) => cited.type === "memory");
    const lastingKey = lastingKeys.has(normalizeKey(fact.key));
    if (hasOneOffMarker(fact.statement)) transient.push(fact);
    else if (fromMemory || lastingKey) kept.push({ ...fact, kind: "fact" });
    else disputed.push({ ...fact, kind: "fact" });
  }
  return { transient, kept, disputed };
}
