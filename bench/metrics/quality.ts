import type { ConsolidationReport, Evidence, Memory } from "@nocturne/core";
import type { GroundTruth, TruthItem } from "../scenario/ground-truth.js";
import { createMatcher, type StatementMatch } from "./match.js";

/** What the quality metrics read: the ground truth, what the dream was given, and what it wrote. */
export interface QualityInput {
  truth: GroundTruth;
  /** The sessions the dream read (the input store is always in scope). */
  sessionIds: readonly string[];
  /** The input store's memories as the dream read them (for memory evidence). */
  inputMemories: readonly Pick<Memory, "id" | "path">[];
  report: ConsolidationReport;
  /** The output store's memories. */
  outputMemories: readonly Pick<Memory, "path" | "content" | "content_sha256">[];
}

/** Quality of one dream against ground truth. Rates are in [0, 1]; null when there is nothing to measure. */
export interface QualityMetrics {
  /** Output facts about a subject beyond the first, over output facts that state a known value. Goal 0. */
  duplicateRate: number | null;
  /** Subjects whose value changed (within the dream's inputs) that still state a superseded value. Goal 0. */
  staleRate: number | null;
  /** Durable subjects (within the dream's inputs) whose current value is in the output. Goal 1. */
  currentFactRecall: number | null;
  /** Output facts grounded in a true durable statement (a known value or a pattern occurrence). Goal 1. */
  precision: number | null;
  /** Output facts that are one-off debugging noise. */
  noiseRate: number | null;
  /** Insights citing existing events of at least two sessions. */
  insightSupport: number | null;
  /** Patterns seen in two or more of the dream's sessions that got their insight. */
  insightRecall: number | null;
  /** Insights that match a true pattern seen in two or more sessions. */
  insightPrecision: number | null;
  /** Cited evidence (facts and insights) that exists in the inputs. */
  evidenceValidity: number | null;
  /** Reported facts whose statement is in the output memory the report says holds it. */
  reportConsistency: number | null;
  counts: {
    outputFacts: number;
    valueFacts: number;
    durableSubjects: number;
    changedSubjects: number;
    staleSubjects: number;
    /**
     * Stale single-valued subjects whose current value no statement of the report names (not written, merged,
     * superseded or dropped): the extractor never delivered it with valid evidence, so no resolution could win.
     */
    staleUnextracted: number;
    recalled: number;
    duplicates: number;
    invented: number;
    noiseFacts: number;
    insights: number;
    expectedInsights: number;
    evidence: number;
    invalidEvidence: number;
  };
  /** A few example problems, for reading the figures. */
  examples: { stale: string[]; duplicate: string[]; missing: string[]; invented: string[] };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function inScope(item: TruthItem, sessions: ReadonlySet<string>): boolean {
  return item.source.type === "memory" || sessions.has(item.source.sessionId);
}

/** A subject as the dream's inputs show it. */
interface ScopedSubject {
  cardinality: "single" | "multi";
  /** `single`: the latest value. */
  current: string;
  order: number;
  /** Every value observed (for `multi`, every member ever added). */
  values: Set<string>;
  /** `multi`: each member's latest state, and whether it was ever retracted. */
  members: Map<string, { order: number; present: boolean; retractedOnce: boolean }>;
}

/** The value each subject holds and every value it held, counting only the dream's inputs. */
function scopedSubjects(truth: GroundTruth, sessions: ReadonlySet<string>): Map<string, ScopedSubject> {
  const scoped = new Map<string, ScopedSubject>();
  for (const item of truth.items.values()) {
    if ((item.type !== "observation" && item.type !== "retraction") || !inScope(item, sessions)) continue;
    const cardinality = truth.subjects.get(item.subjectKey)?.cardinality ?? "single";
    const entry = scoped.get(item.subjectKey) ?? {
      cardinality,
      current: item.value,
      order: -1,
      values: new Set<string>(),
      members: new Map(),
    };
    const present = item.type === "observation";
    if (present) entry.values.add(item.value);
    if (cardinality === "multi") {
      const member = entry.members.get(item.value);
      const retractedOnce = (member?.retractedOnce ?? false) || !present;
      if (!member || item.order >= member.order)
        entry.members.set(item.value, { order: item.order, present, retractedOnce });
      else member.retractedOnce = retractedOnce;
    }
    if (present && item.order >= entry.order) {
      entry.current = item.value;
      entry.order = item.order;
    }
    scoped.set(item.subjectKey, entry);
  }
  return scoped;
}

/**
 * The units recall and staleness count. A `single` subject is one unit (`key`), current when it states the latest
 * value, changed when it held more than one. A `multi` subject has one unit per member (`key=value`): current when
 * the member's latest statement adds it, changed when it was ever retracted.
 */
function unitOf(key: string, value: string, subject: ScopedSubject): string {
  return subject.cardinality === "multi" ? `${key}=${value}` : key;
}

/** Whether `match` (a value stated as held, or a retraction) states the subject's current state. */
function isCurrent(match: { type: "value" | "retraction"; value: string }, subject: ScopedSubject): boolean {
  if (subject.cardinality === "single") return match.type === "value" && match.value === subject.current;
  const present = subject.members.get(match.value)?.present ?? false;
  return match.type === "value" ? present : !present;
}

/** Computes every quality metric of a dream's output against the ground truth. */
export function measureQuality(input: QualityInput): QualityMetrics {
  const { truth, report } = input;
  const sessions = new Set(input.sessionIds);
  const matcher = createMatcher(truth);
  const scoped = scopedSubjects(truth, sessions);
  const facts = report.outputs.flatMap((output) => output.facts.map((fact) => ({ ...fact, path: output.path })));

  const perUnit = new Map<string, number>();
  const staleUnits = new Set<string>();
  const recalledUnits = new Set<string>();
  const examples: QualityMetrics["examples"] = { stale: [], duplicate: [], missing: [], invented: [] };
  let valueFacts = 0;
  let precise = 0;
  let invented = 0;
  let noiseFacts = 0;

  for (const fact of facts) {
    const matches = matcher.classify(fact.statement, fact.path).map((match) => scopeMatch(match, scoped));
    const values = matches.filter((match) => match.type === "value");
    const retractions = matches.filter((match) => match.type === "retraction" && scoped.has(match.subjectKey));
    if (values.length > 0) valueFacts++;
    const grounded =
      values.length > 0 || retractions.length > 0 || matches.some((match) => match.type === "occurrence");
    const noisy = matches.some((match) => match.type === "noise");
    const wrong = matches.some((match) => match.type === "wrong_value");
    if (noisy) noiseFacts++;
    if (grounded && !noisy && !wrong) precise++;
    else if (!noisy) {
      invented++;
      if (examples.invented.length < 5) examples.invented.push(fact.statement);
    }
    for (const match of [...values, ...retractions]) {
      if (match.type !== "value" && match.type !== "retraction") continue;
      const subject = scoped.get(match.subjectKey);
      if (!subject) continue;
      const unit = unitOf(match.subjectKey, match.value, subject);
      if (match.type === "value") perUnit.set(unit, (perUnit.get(unit) ?? 0) + 1);
      if (isCurrent(match, subject)) {
        if (match.type === "value") recalledUnits.add(unit);
      } else {
        staleUnits.add(unit);
        if (examples.stale.length < 5) examples.stale.push(`${unit}: "${fact.statement}"`);
      }
    }
  }

  for (const memory of input.outputMemories) {
    for (const line of memory.content.split("\n")) {
      for (const match of matcher.classify(line, memory.path)) {
        const scopedMatch = scopeMatch(match, scoped);
        if (scopedMatch.type !== "value" && scopedMatch.type !== "retraction") continue;
        const subject = scoped.get(scopedMatch.subjectKey);
        if (!subject) continue;
        const unit = unitOf(scopedMatch.subjectKey, scopedMatch.value, subject);
        if (!isCurrent(scopedMatch, subject) && !staleUnits.has(unit)) {
          staleUnits.add(unit);
          if (examples.stale.length < 5) examples.stale.push(`${unit} in ${memory.path}: "${line}"`);
        }
      }
    }
  }

  const delivered = new Set<string>();
  const statements = [
    ...facts.flatMap((fact) => [fact, ...fact.merged, ...fact.superseded].map((item) => [item.statement, fact.path])),
    ...report.dropped.map((fact) => [fact.statement, fact.key]),
  ];
  for (const [statement, context] of statements) {
    for (const match of matcher.classify(statement ?? "", context)) {
      if (match.type === "value") delivered.add(`${match.subjectKey}=${match.value}`);
    }
  }

  let duplicates = 0;
  for (const [key, count] of perUnit) {
    if (count <= 1) continue;
    duplicates += count - 1;
    if (examples.duplicate.length < 5) examples.duplicate.push(`${key} ×${count}`);
  }
  let durable = 0;
  const changedUnits = new Set<string>();
  for (const [key, subject] of scoped) {
    if (subject.cardinality === "single") {
      durable++;
      if (subject.values.size > 1) changedUnits.add(key);
      if (!recalledUnits.has(key) && examples.missing.length < 5) examples.missing.push(`${key} = ${subject.current}`);
      continue;
    }
    for (const [value, member] of subject.members) {
      const unit = `${key}=${value}`;
      if (member.retractedOnce) changedUnits.add(unit);
      if (!member.present) continue;
      durable++;
      if (!recalledUnits.has(unit) && examples.missing.length < 5) examples.missing.push(unit);
    }
  }

  const insights = measureInsights(input, matcher, sessions);
  const evidence = measureEvidence(input, facts);
  const consistency = measureConsistency(input, facts);
  const staleChanged = [...staleUnits].filter((unit) => changedUnits.has(unit)).length;
  const staleUnextracted = [...staleUnits].filter((unit) => {
    const subject = scoped.get(unit);
    return changedUnits.has(unit) && subject?.cardinality === "single" && !delivered.has(`${unit}=${subject.current}`);
  }).length;
  const changed = changedUnits.size;

  return {
    duplicateRate: ratio(duplicates, valueFacts),
    staleRate: ratio(staleChanged, changed),
    currentFactRecall: ratio(recalledUnits.size, durable),
    precision: ratio(precise, facts.length),
    noiseRate: ratio(noiseFacts, facts.length),
    insightSupport: insights.support,
    insightRecall: insights.recall,
    insightPrecision: insights.precision,
    evidenceValidity: ratio(evidence.total - evidence.invalid, evidence.total),
    reportConsistency: consistency,
    counts: {
      outputFacts: facts.length,
      valueFacts,
      durableSubjects: durable,
      changedSubjects: changed,
      staleSubjects: staleChanged,
      staleUnextracted,
      recalled: recalledUnits.size,
      duplicates,
      invented,
      noiseFacts,
      insights: report.insights.length,
      expectedInsights: insights.expected,
      evidence: evidence.total,
      invalidEvidence: evidence.invalid,
    },
    examples,
  };
}

/** A value match for a value the subject never held within the dream's inputs counts as invented. */
function scopeMatch(match: StatementMatch, scoped: Map<string, ScopedSubject>): StatementMatch {
  if (match.type !== "value") return match;
  const subject = scoped.get(match.subjectKey);
  return subject?.values.has(match.value) ? match : { ...match, type: "wrong_value" };
}

function measureInsights(
  input: QualityInput,
  matcher: ReturnType<typeof createMatcher>,
  sessions: ReadonlySet<string>,
) {
  const expected = new Set<string>();
  for (const pattern of input.truth.patterns.values()) {
    if (pattern.sessionIds.filter((id) => sessions.has(id)).length >= 2) expected.add(pattern.key);
  }
  const found = new Set<string>();
  let supported = 0;
  let matching = 0;
  for (const insight of input.report.insights) {
    const sessionsCited = new Set<string>();
    for (const evidence of insight.evidence) {
      if (evidence.type === "event" && eventExists(input.truth, evidence)) sessionsCited.add(evidence.sessionId);
    }
    if (sessionsCited.size >= 2) supported++;
    const keys = matcher
      .classify(insight.statement)
      .flatMap((match) => (match.type === "insight" && expected.has(match.patternKey) ? [match.patternKey] : []));
    if (keys.length > 0) matching++;
    for (const key of keys) found.add(key);
  }
  const count = input.report.insights.length;
  return {
    support: ratio(supported, count),
    precision: ratio(matching, count),
    recall: ratio(found.size, expected.size),
    expected: expected.size,
  };
}

function eventExists(truth: GroundTruth, evidence: Extract<Evidence, { type: "event" }>): boolean {
  return truth.eventIds.get(evidence.sessionId)?.has(evidence.eventId) ?? false;
}

function measureEvidence(input: QualityInput, facts: ReadonlyArray<{ evidence: Evidence[] }>) {
  const memoryIds = new Set(input.inputMemories.map((memory) => memory.id));
  let total = 0;
  let invalid = 0;
  const check = (evidence: Evidence) => {
    total++;
    const valid = evidence.type === "event" ? eventExists(input.truth, evidence) : memoryIds.has(evidence.memoryId);
    if (!valid) invalid++;
  };
  for (const fact of facts) for (const evidence of fact.evidence) check(evidence);
  for (const insight of input.report.insights) for (const evidence of insight.evidence) check(evidence);
  return { total, invalid };
}

function measureConsistency(
  input: QualityInput,
  facts: ReadonlyArray<{ statement: string; path: string }>,
): number | null {
  const byPath = new Map(input.outputMemories.map((memory) => [memory.path, memory]));
  const normalize = (text: string) => text.normalize("NFC").replace(/\s+/g, " ").toLowerCase();
  let found = 0;
  for (const fact of facts) {
    const memory = byPath.get(fact.path);
    if (memory && normalize(memory.content).includes(normalize(fact.statement))) found++;
  }
  return ratio(found, facts.length);
}
