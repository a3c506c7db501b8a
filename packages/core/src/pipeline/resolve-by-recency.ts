import type { CandidateFact, ConsolidatedFact, SupersededFact, Trust } from "../schemas/facts.js";
import type { DroppedFact } from "../schemas/report.js";
import { finish, type Steps } from "../util/pacer.js";
import { sortSteps } from "../util/sort-steps.js";
import { contentWords, jaccard, normalizeText } from "../util/text.js";
import { UnionFind } from "../util/union-find.js";
import { trustRank } from "./check-evidence.js";
import { clausesOf, sentenceOf } from "./clauses.js";
import { byAuthority, byObservation, declaredCardinality, preferDeclared } from "./fact-order.js";
import { isPastMention } from "./past-mention.js";
import { type FactView, normalizeValue, sameValue, viewOf } from "./same-subject.js";

export { byObservation } from "./fact-order.js";

/** One cluster resolved: the facts that stay (one per value of a set), and facts kept out of memory, with reasons. */
export interface Resolution {
  facts: ConsolidatedFact[];
  dropped: DroppedFact[];
}

/** Above this many facts, a cluster's values are told apart by exact value or wording only (no pairwise compare). */
const PAIRWISE_LIMIT = 200;

function asHistory(fact: CandidateFact): SupersededFact {
  return { factId: fact.id, statement: fact.statement, observedAt: fact.observedAt, evidence: fact.evidence };
}

function* dedupeEvidence<T extends { type: string }>(evidence: T[]): Steps<T[]> {
  const seen = new Set<string>();
  const kept: T[] = [];
  for (const item of evidence) {
    const key = JSON.stringify(item);
    if (!seen.has(key)) kept.push(item);
    seen.add(key);
    yield;
  }
  return kept;
}

/** The facts of a cluster partitioned by value: each part is one value (or one member of a set), in any polarity. */
function* partitionByValue(views: FactView[]): Steps<FactView[][]> {
  const sets = new UnionFind(views.length);
  if (views.length <= PAIRWISE_LIMIT) {
    for (let i = 0; i < views.length; i++) {
      for (let j = i + 1; j < views.length; j++) {
        if (sameValue(views[i] as FactView, views[j] as FactView)) sets.union(i, j);
      }
      yield;
    }
  } else {
    const first = new Map<string, number>();
    for (const [index, view] of views.entries()) {
      const id =
        view.fact.value === null ? `s:${normalizeText(view.fact.statement)}` : `v:${normalizeValue(view.fact.value)}`;
      const seen = first.get(id);
      if (seen === undefined) first.set(id, index);
      else sets.union(seen, index);
    }
  }
  const parts = new Map<number, FactView[]>();
  for (const [index, view] of views.entries()) {
    const root = sets.find(index);
    const part = parts.get(root);
    if (part) part.push(view);
    else parts.set(root, [view]);
  }
  return [...parts.values()];
}

/**
 * The parts of a superseded compound statement that the update did not touch: every clause but the one holding the
 * old value (or, without a value, the one closest in words to the new statement). They stay in memory as facts of
 * their own, so "switched to Vitest" replaces "Tests run with Jest" and keeps "integration tests need docker compose".
 */
function untouchedClauses(old: CandidateFact, winner: CandidateFact): ConsolidatedFact[] {
  const clauses = clausesOf(old.statement);
  if (clauses.length < 2) return [];
  const winnerWords = new Set(contentWords(winner.statement));
  const scores = clauses.map((clause) => {
    if (old.value !== null && normalizeText(clause).includes(normalizeText(old.value))) return 2;
    return jaccard(new Set(contentWords(clause)), winnerWords);
  });
  const replaced = scores.indexOf(Math.max(...scores));
  return clauses.flatMap((clause, index) => {
    if (index === replaced) return [];
    const id = `${old.id}~clause${index + 1}`;
    return [
      {
        key: `${old.key}.clause_${index + 1}`,
        topic: old.topic,
        statement: sentenceOf(clause),
        kind: old.kind,
        cardinality: "multi" as const,
        polarity: "positive" as const,
        value: null,
        observedAt: old.observedAt,
        trust: old.trust,
        evidence: old.evidence,
        sourceFactIds: [id],
        merged: [],
        superseded: [],
      },
    ];
  });
}

function* consolidated(
  winner: CandidateFact,
  merged: CandidateFact[],
  superseded: CandidateFact[],
  cardinality: ConsolidatedFact["cardinality"],
  placed: CandidateFact,
): Steps<ConsolidatedFact> {
  const home = winner.derived === undefined ? winner : placed;
  const evidence = yield* dedupeEvidence([...winner.evidence, ...merged.flatMap((fact) => fact.evidence)]);
  const mergedHistory = (yield* sortSteps(merged, byObservation)).map(asHistory);
  const supersededHistory = (yield* sortSteps(superseded, byObservation)).map(asHistory);
  return {
    key: home.key,
    topic: home.topic,
    statement: winner.statement,
    kind: winner.kind,
    cardinality,
    polarity: winner.polarity,
    value: winner.value,
    observedAt: winner.observedAt,
    trust: winner.trust,
    evidence,
    sourceFactIds: [winner.id, ...merged.map((fact) => fact.id), ...superseded.map((fact) => fact.id)],
    merged: mergedHistory,
    superseded: supersededHistory,
  };
}

/**
 * How firmly a value holds against a newer one from another source: what the user said yields only to the user (or
 * to the store, which records what the user settled); the store's own lines and the agent's words yield to the agent
 * too — an agent that moved the CI knows better than an old note; tool output yields to anyone.
 */
const HOLDS: Record<Trust, number> = { user: 3, memory: 2, agent: 2, tool: 1 };

/** Whether `newer` may replace the value `older` states. */
function overrides(newer: CandidateFact, older: CandidateFact): boolean {
  return trustRank(newer.trust) >= HOLDS[older.trust];
}

function lowerTrust(fact: CandidateFact, winner: CandidateFact, verb = "override"): DroppedFact {
  return {
    factId: fact.id,
    statement: fact.statement,
    key: fact.key,
    kind: fact.kind,
    reason: `lower-trust source (${fact.trust}) does not ${verb} "${winner.statement}" (${winner.trust})`,
    evidence: fact.evidence,
  };
}

/**
 * Resolves one cluster of facts about the same subject.
 *
 * - The facts are split into values (one value said in several words, or retracted, is one value).
 * - A value's state is its most authoritative observation: the most trusted source, then the latest. Its other
 *   wordings are merged into it; when that observation is a retraction ("no longer plays chess"), the retraction is
 *   what stays, and the earlier assertions are superseded by it.
 * - `single` (every fact says the attribute holds one value): the latest asserted value wins, unless its source is
 *   trusted less than the value it would replace holds (see `HOLDS`: a user's value yields only to the user or the
 *   store, a stored line or an agent's to the agent too, a tool's to anyone); other values are superseded — a compound statement loses only the clause that held the old value. A retraction of
 *   another value said after the current value was (or with no current value at all) stays, so an older assertion
 *   of that value dreamed later cannot come back; older retractions are kept as history. A fact whose quotes only
 *   mention its value as past ("used to run in us-east-1") never becomes the current value while another assertion
 *   exists (see `past-mention.ts`). A newer value from a less trusted source (text that only came back from a
 *   tool) never overrides what the user said: it is dropped, with the reason.
 * - `multi` (a set, or unknown): every value stays; a new member never replaces another. Members resting only on
 *   a less trusted source than the set's best (a tool result adding to what the user said) are dropped, with the
 *   reason.
 */
export function resolveByRecency(cluster: CandidateFact[]): Resolution {
  return finish(resolveByRecencySteps(cluster));
}

/** {@link resolveByRecency} as steps, for a pacer to run (a large cluster compares many pairs). */
export function* resolveByRecencySteps(cluster: CandidateFact[]): Steps<Resolution> {
  if (cluster.length === 0) throw new RangeError("cannot resolve an empty cluster");
  const cardinality =
    declaredCardinality(cluster) ?? (cluster.every((fact) => fact.cardinality === "single") ? "single" : "multi");
  let placed = preferDeclared(cluster)[0] as CandidateFact;
  for (const fact of preferDeclared(cluster)) {
    if (byAuthority(fact, placed) < 0) placed = fact;
    yield;
  }
  const views: FactView[] = [];
  for (const fact of cluster) {
    views.push(viewOf(fact));
    yield;
  }
  const parts: CandidateFact[][] = [];
  for (const part of yield* partitionByValue(views)) {
    parts.push(
      yield* sortSteps(
        part.map((view) => view.fact),
        byAuthority,
      ),
    );
  }
  const values = yield* sortSteps(parts, (a, b) => byAuthority(a[0], b[0]));
  const settle = (facts: CandidateFact[]) => {
    const state = facts[0] as CandidateFact;
    const rest = facts.slice(1);
    if (state.polarity === "negative") {
      return {
        state,
        merged: rest.filter((fact) => fact.polarity === "negative"),
        superseded: rest.filter((fact) => fact.polarity === "positive"),
      };
    }
    return { state, merged: rest, superseded: [] as CandidateFact[] };
  };

  if (cardinality === "multi") {
    const topRank = Math.max(...cluster.map((fact) => trustRank(fact.trust)));
    const kept = values.filter((facts) => trustRank((facts[0] as CandidateFact).trust) === topRank);
    const keptSet = new Set(kept);
    const anchor = (kept[0] ?? [])[0] as CandidateFact;
    const facts: ConsolidatedFact[] = [];
    for (const value of kept) {
      const { state, merged, superseded } = settle(value);
      facts.push(yield* consolidated(state, merged, superseded, cardinality, placed));
    }
    return {
      facts,
      dropped: values
        .filter((facts) => !keptSet.has(facts))
        .flat()
        .map((fact) => lowerTrust(fact, anchor, "add to")),
    };
  }

  const positives = yield* sortSteps(
    cluster.filter((fact) => fact.polarity === "positive"),
    byAuthority,
  );
  let current: CandidateFact | undefined;
  for (const fact of yield* sortSteps(
    positives.filter((item) => !isPastMention(item)),
    byObservation,
  )) {
    if (current === undefined || overrides(fact, current)) current = fact;
  }
  current ??= positives[0];
  const winning = values.find((facts) => current !== undefined && facts.includes(current));
  const facts: ConsolidatedFact[] = [];
  const dropped: DroppedFact[] = [];
  const tombstones = values.filter(
    (group) =>
      group !== winning &&
      group[0]?.polarity === "negative" &&
      (current === undefined || byAuthority(group[0], current) < 0),
  );
  const tombstoneSet = new Set(tombstones);
  for (const group of tombstones) {
    const { state, merged, superseded } = settle(group);
    facts.push(yield* consolidated(state, merged, superseded, cardinality, placed));
  }
  if (winning === undefined) return { facts, dropped };
  const { state: winner, merged, superseded } = settle(winning);
  const replaced = [...superseded];
  for (const other of values) {
    yield;
    if (other === winning || tombstoneSet.has(other)) continue;
    for (const fact of other) {
      if (!overrides(fact, winner) && byObservation(fact, winner) > 0) {
        dropped.push(lowerTrust(fact, winner));
        continue;
      }
      replaced.push(fact);
      if (fact.polarity === "positive") facts.push(...untouchedClauses(fact, winner));
    }
  }
  facts.unshift(yield* consolidated(winner, merged, replaced, cardinality, placed));
  return { facts, dropped };
}
