import type { CandidateFact, Cardinality } from "../schemas/facts.js";
import type { Steps } from "../util/pacer.js";
import { sortSteps } from "../util/sort-steps.js";
import { timeOf } from "../util/time.js";
import { trustRank } from "./check-evidence.js";

/** Plain string order, for sorts that must not depend on locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether a fact rests on a session's event (not only on memories). */
export function restsOnSession(fact: CandidateFact): boolean {
  return fact.evidence.some((item) => item.type === "event");
}

/**
 * Most authoritative first: the most trusted source, then the latest observation, then — at the same instant — what
 * a session said over what a memory held (sessions are the news being folded in), then the statement's text, so
 * every run, whatever order the facts arrived in and whatever ids they were given, picks the same fact.
 */
export function byAuthority(a: CandidateFact | undefined, b: CandidateFact | undefined): number {
  if (a === undefined || b === undefined) return a === undefined ? (b === undefined ? 0 : 1) : -1;
  return (
    trustRank(b.trust) - trustRank(a.trust) ||
    timeOf(b.observedAt) - timeOf(a.observedAt) ||
    Number(restsOnSession(b)) - Number(restsOnSession(a)) ||
    compareText(a.statement, b.statement) ||
    compareText(a.key, b.key) ||
    compareText(a.id, b.id)
  );
}

/**
 * Indices of `facts`, most authoritative first as {@link byAuthority} orders them, each fact's time read once; as
 * steps, for a pacer to run.
 */
export function* authorityOrder(facts: readonly CandidateFact[]): Steps<number[]> {
  const ranks: Array<{ trust: number; time: number; session: number; fact: CandidateFact }> = [];
  for (const fact of facts) {
    ranks.push({
      trust: trustRank(fact.trust),
      time: timeOf(fact.observedAt),
      session: Number(restsOnSession(fact)),
      fact,
    });
    yield;
  }
  return yield* sortSteps(
    facts.map((_, index) => index),
    (a, b) => {
      const x = ranks[a];
      const y = ranks[b];
      if (x === undefined || y === undefined) return 0;
      return (
        y.trust - x.trust ||
        y.time - x.time ||
        y.session - x.session ||
        compareText(x.fact.statement, y.fact.statement) ||
        compareText(x.fact.key, y.fact.key) ||
        compareText(x.fact.id, y.fact.id)
      );
    },
  );
}

/**
 * The cardinality a group of facts gives its subject: what the facts the model extracted say (`single` only when
 * each says so), or null when every fact is one the engine derived (its cardinality is a guess).
 */
export function declaredCardinality(facts: readonly CandidateFact[]): Cardinality | null {
  const declared = facts.filter((fact) => fact.derived === undefined);
  if (declared.length === 0) return null;
  return declared.every((fact) => fact.cardinality === "single") ? "single" : "multi";
}

/** The facts the model extracted, when there are any; else all of them (for where a derived fact's guess must do). */
export function preferDeclared(facts: readonly CandidateFact[]): readonly CandidateFact[] {
  const declared = facts.filter((fact) => fact.derived === undefined);
  return declared.length > 0 ? declared : facts;
}

/** Oldest first, ties broken by statement then id, so the order does not depend on arrival. */
export function byObservation(a: CandidateFact, b: CandidateFact): number {
  return (
    timeOf(a.observedAt) - timeOf(b.observedAt) || compareText(a.statement, b.statement) || compareText(a.id, b.id)
  );
}
