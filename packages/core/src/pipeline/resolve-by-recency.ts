import type { CandidateFact, ConsolidatedFact, SupersededFact } from "../schemas/facts.js";
import type { DroppedFact } from "../schemas/report.js";
import { contentWords, jaccard, normalizeText } from "../util/text.js";
import { timeOf } from "../util/time.js";
import { trustRank } from "./check-evidence.js";
import { SAME_SUBJECT_SIMILARITY } from "./deduplicate.js";

/** One cluster resolved: the fact that stays, and facts of lower trust that were kept out of memory. */
export interface Resolution {
  fact: ConsolidatedFact;
  dropped: DroppedFact[];
}

function asHistory(fact: CandidateFact): SupersededFact {
  return { factId: fact.id, statement: fact.statement, observedAt: fact.observedAt, evidence: fact.evidence };
}

function evidenceKey(item: CandidateFact["evidence"][number]): string {
  return item.type === "event"
    ? `event:${item.sessionId}:${item.eventId}`
    : `memory:${item.memoryId}:${item.quote ?? ""}`;
}

/** Two facts hold the same value when they say it in (nearly) the same words, or rest on the very same source span. */
function sameValue(a: CandidateFact, b: CandidateFact): boolean {
  if (normalizeText(a.statement) === normalizeText(b.statement)) return true;
  const sources = new Set(b.evidence.map(evidenceKey));
  if (a.evidence.some((item) => sources.has(evidenceKey(item)))) return true;
  return jaccard(new Set(contentWords(a.statement)), new Set(contentWords(b.statement))) >= SAME_SUBJECT_SIMILARITY;
}

/** Oldest first; ties broken by id so every run orders the same way. */
export function byObservation(a: CandidateFact, b: CandidateFact): number {
  return timeOf(a.observedAt) - timeOf(b.observedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Resolves one cluster of facts about the same subject: the latest observation among the most trusted sources wins.
 * Older facts with the same value are merged into it (their evidence supports it); older facts with another value
 * are superseded and kept as history for the report. A newer fact from a less trusted source (text that only came
 * back from a tool, say) never overrides what the user said: it is dropped, with the reason.
 */
export function resolveByRecency(cluster: CandidateFact[]): Resolution {
  const ordered = [...cluster].sort(byObservation);
  const topRank = Math.max(...ordered.map((fact) => trustRank(fact.trust)));
  const winner = ordered.filter((fact) => trustRank(fact.trust) === topRank).at(-1);
  if (!winner) throw new RangeError("cannot resolve an empty cluster");
  const merged: SupersededFact[] = [];
  const superseded: SupersededFact[] = [];
  const dropped: DroppedFact[] = [];
  const evidence = [...winner.evidence];
  for (const fact of ordered) {
    if (fact === winner) continue;
    if (sameValue(fact, winner)) {
      merged.push(asHistory(fact));
      evidence.push(...fact.evidence);
    } else if (byObservation(fact, winner) > 0) {
      dropped.push({
        statement: fact.statement,
        key: fact.key,
        kind: fact.kind,
        reason: `lower-trust source (${fact.trust}) does not override "${winner.statement}" (${winner.trust})`,
        evidence: fact.evidence,
      });
    } else {
      superseded.push(asHistory(fact));
    }
  }
  return {
    fact: {
      key: winner.key,
      topic: winner.topic,
      statement: winner.statement,
      kind: winner.kind,
      cardinality: winner.cardinality,
      polarity: winner.polarity,
      value: winner.value,
      observedAt: winner.observedAt,
      trust: winner.trust,
      evidence: dedupeEvidence(evidence),
      sourceFactIds: [winner.id, ...merged.map((fact) => fact.factId), ...superseded.map((fact) => fact.factId)],
      merged,
      superseded,
    },
    dropped,
  };
}

function dedupeEvidence<T extends { type: string }>(evidence: T[]): T[] {
  const seen = new Set<string>();
  return evidence.filter((item) => {
    const key = JSON.stringify(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
