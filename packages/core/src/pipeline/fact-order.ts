import type { CandidateFact } from "../schemas/facts.js";
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

/** Oldest first, ties broken by statement then id, so the order does not depend on arrival. */
export function byObservation(a: CandidateFact, b: CandidateFact): number {
  return (
    timeOf(a.observedAt) - timeOf(b.observedAt) || compareText(a.statement, b.statement) || compareText(a.id, b.id)
  );
}
