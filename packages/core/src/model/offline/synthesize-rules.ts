import type { SynthesisFact } from "../../ports/consolidation-model.js";
import type { ProposedInsight } from "../../schemas/facts.js";
import type { Pacer, Steps } from "../../util/pacer.js";
import { boundedKey } from "./fact-limits.js";
import { sameWording } from "./judge-rules.js";
import { findValues } from "./lexicon.js";
import { clip, contentSet, isFiller, keyWords, tokenize } from "./text-tokens.js";
import { projectOf } from "./topics.js";

/** Thresholds for the insights the offline model proposes. */
export interface SynthesisSettings {
  maxInsights: number;
  /** Sessions a preference or rule must be stated in to be called stable. */
  stableSessions: number;
  /** Sessions a transient problem must come up in to be called recurring. */
  recurringSessions: number;
  /** Sessions a tool must be mentioned in (across different subjects) to be called out. */
  toolSessions: number;
}

type Evidence = SynthesisFact["evidence"][number];

interface Candidate {
  insight: ProposedInsight;
  sessions: number;
  order: number;
}

const MAX_EXAMPLES = 3;
const EXAMPLE_CHARS = 160;
const MAX_EVIDENCE = 12;
const MAX_TERMS = 8;
/** Words too common in debugging chatter to tie two problems together. */
const GENERIC_PROBLEM_WORDS = new Set(
  `fail error issue problem bug broke broken break work thing time day session look check see try again fix fixed
   run ran still happen happened today yesterday morning same`
    .split(/\s+/)
    .flatMap(keyWords),
);

function sessionsOf(evidence: readonly Evidence[]): Set<string> {
  return new Set(evidence.map((item) => item.session_id).filter((id) => id !== ""));
}

/** Evidence for an insight: one event from each session first (so ≥2 sessions survive any cap), then the rest. */
function pickEvidence(facts: readonly SynthesisFact[]): Evidence[] {
  const all = facts.flatMap((fact) => fact.evidence).filter((item) => item.session_id !== "" && item.event_id !== "");
  const seen = new Set<string>();
  const firstPerSession: Evidence[] = [];
  const rest: Evidence[] = [];
  const sessions = new Set<string>();
  for (const item of all) {
    const id = `${item.session_id}\u0000${item.event_id}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (sessions.has(item.session_id)) rest.push(item);
    else {
      sessions.add(item.session_id);
      firstPerSession.push(item);
    }
  }
  return [...firstPerSession, ...rest].slice(0, MAX_EVIDENCE);
}

function examples(facts: readonly SynthesisFact[]): string {
  const distinct = [...new Set(facts.map((fact) => fact.statement.trim()))];
  const shown = distinct.slice(0, MAX_EXAMPLES).map((statement) => {
    const text = statement.replace(/\s+/g, " ").replace(/[.]+$/, "");
    return `"${text.length > EXAMPLE_CHARS ? `${clip(text, EXAMPLE_CHARS - 1)}…` : text}"`;
  });
  const more = distinct.length > MAX_EXAMPLES ? ` (and ${distinct.length - MAX_EXAMPLES} more)` : "";
  return `${shown.join("; ")}${more}.`;
}

/** Content words of a problem statement with the surface form each was first written in, in order. */
function problemTerms(statement: string): Array<{ term: string; surface: string }> {
  const terms: Array<{ term: string; surface: string }> = [];
  const seen = new Set<string>();
  for (const token of tokenize(statement)) {
    if (isFiller(token.norm)) continue;
    for (const term of keyWords(token.norm)) {
      if (term === "" || isFiller(term) || GENERIC_PROBLEM_WORDS.has(term) || seen.has(term)) continue;
      seen.add(term);
      terms.push({ term, surface: token.raw });
    }
  }
  return terms.slice(0, MAX_TERMS);
}

/**
 * Transient problems that recur: facts that share a pair of content words (`econnrefused` + `5433`, `flaky` +
 * `invoice`) across sessions. Pairs are indexed, so the work is linear in the number of facts; each fact joins at
 * most one insight.
 */
function* recurringProblems(facts: readonly SynthesisFact[], settings: SynthesisSettings): Steps<Candidate[]> {
  const transient = facts.filter((fact) => fact.kind === "transient");
  const terms: Array<Array<{ term: string; surface: string }>> = [];
  for (const fact of transient) {
    terms.push(problemTerms(fact.statement));
    yield;
  }
  const byPair = new Map<string, number[]>();
  for (const [index, list] of terms.entries()) {
    yield;
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        const pair = [list[a]?.term, list[b]?.term].sort().join(" ");
        const members = byPair.get(pair);
        if (members) members.push(index);
        else byPair.set(pair, [index]);
      }
    }
  }
  const ranked = [...byPair.entries()]
    .map(([pair, members]) => ({
      pair,
      members,
      sessions: sessionsOf(members.flatMap((index) => transient[index]?.evidence ?? [])).size,
    }))
    .filter((entry) => entry.sessions >= settings.recurringSessions)
    .sort((x, y) => y.sessions - x.sessions || y.members.length - x.members.length || (x.pair < y.pair ? -1 : 1));
  const used = new Set<number>();
  const candidates: Candidate[] = [];
  for (const entry of ranked) {
    yield;
    const members = entry.members.filter((index) => !used.has(index));
    const group = members.map((index) => transient[index]).filter((fact): fact is SynthesisFact => !!fact);
    const sessions = sessionsOf(group.flatMap((fact) => fact.evidence)).size;
    if (sessions < settings.recurringSessions) continue;
    for (const index of members) used.add(index);
    const shared = (terms[members[0] ?? 0] ?? []).filter((term) =>
      members.every((index) => (terms[index] ?? []).some((other) => other.term === term.term)),
    );
    const label = shared.map((term) => term.surface).join(", ");
    candidates.push({
      sessions,
      order: candidates.length,
      insight: {
        key: boundedKey(`recurring.${shared.map((term) => term.term).join("_")}`),
        topic: "insights",
        statement: `Recurring problem across ${sessions} sessions (${label}): ${examples(group)}`,
        evidence: pickEvidence(group),
      },
    });
  }
  return candidates;
}

/** Preferences and rules restated in many sessions, with the same value every time. */
function* stablePreferences(facts: readonly SynthesisFact[], settings: SynthesisSettings): Steps<Candidate[]> {
  const byKey = new Map<string, SynthesisFact[]>();
  for (const fact of facts) {
    yield;
    if (fact.kind !== "preference" && fact.kind !== "procedure") continue;
    const group = byKey.get(fact.key);
    if (group) group.push(fact);
    else byKey.set(fact.key, [fact]);
  }
  const candidates: Candidate[] = [];
  for (const [key, group] of byKey) {
    yield;
    const sessions = sessionsOf(group.flatMap((fact) => fact.evidence)).size;
    if (sessions < settings.stableSessions) continue;
    const first = group[0];
    if (!first) continue;
    const words = contentSet(first.statement);
    if (!group.every((fact) => fact === first || sameWording(words, contentSet(fact.statement)))) continue;
    const label = first.kind === "preference" ? "Stable preference" : "Standing rule";
    candidates.push({
      sessions,
      order: candidates.length,
      insight: {
        key: boundedKey(`stable.${key}`),
        topic: "insights",
        statement: `${label}, stated in ${sessions} sessions: ${first.statement.trim()}`,
        evidence: pickEvidence(group),
      },
    });
  }
  return candidates;
}

/** Projects that come up in several sessions, with what was said about them. */
function* projects(facts: readonly SynthesisFact[], settings: SynthesisSettings): Steps<Candidate[]> {
  const byProject = new Map<string, SynthesisFact[]>();
  for (const fact of facts) {
    yield;
    const fromTopic = /^projects\/([^/]+)/.exec(fact.topic)?.[1];
    const project = fromTopic ?? projectOf(fact.statement);
    if (project === undefined) continue;
    const group = byProject.get(project);
    if (group) group.push(fact);
    else byProject.set(project, [fact]);
  }
  const candidates: Candidate[] = [];
  for (const [project, group] of byProject) {
    yield;
    const sessions = sessionsOf(group.flatMap((fact) => fact.evidence)).size;
    if (sessions < settings.recurringSessions) continue;
    candidates.push({
      sessions,
      order: candidates.length,
      insight: {
        key: boundedKey(`project.${project}`),
        topic: "insights",
        statement: `Project ${project} came up in ${sessions} sessions: ${examples(group)}`,
        evidence: pickEvidence(group),
      },
    });
  }
  return candidates;
}

/** Tools named across several sessions in statements about different subjects. */
function* tools(
  facts: readonly SynthesisFact[],
  settings: SynthesisSettings,
  covered: Set<string>,
): Steps<Candidate[]> {
  const byTool = new Map<string, { surface: string; facts: SynthesisFact[] }>();
  for (const fact of facts) {
    yield;
    const tokens = tokenize(fact.statement);
    const named = new Set<string>();
    for (const hit of findValues(tokens)) {
      if (!hit.category.key.startsWith("tooling.")) continue;
      const words = tokens.slice(hit.index, hit.index + hit.length);
      const name = words.flatMap((token) => keyWords(token.norm)).join("_");
      if (named.has(name)) continue;
      named.add(name);
      const entry = byTool.get(name) ?? { surface: words.map((token) => token.raw).join(" "), facts: [] };
      entry.facts.push(fact);
      byTool.set(name, entry);
    }
  }
  const candidates: Candidate[] = [];
  for (const [name, entry] of byTool) {
    yield;
    const keys = new Set(entry.facts.map((fact) => fact.key));
    if (keys.size < 2 || [...keys].every((key) => covered.has(key))) continue;
    const sessions = sessionsOf(entry.facts.flatMap((fact) => fact.evidence)).size;
    if (sessions < settings.toolSessions) continue;
    candidates.push({
      sessions,
      order: candidates.length,
      insight: {
        key: boundedKey(`tool.${name}`),
        topic: "insights",
        statement: `${entry.surface} came up in ${sessions} sessions: ${examples(entry.facts)}`,
        evidence: pickEvidence(entry.facts),
      },
    });
  }
  return candidates;
}

function byStrength(a: Candidate, b: Candidate): number {
  return b.sessions - a.sessions || a.order - b.order;
}

/**
 * Cross-session insights by rules, strongest first and at most `maxInsights`: recurring transient problems, stable
 * preferences and rules, projects and tools that keep coming up. Every insight quotes the statements it rests on and
 * cites events of at least two sessions from the facts it was given; nothing is inferred beyond them. It gives the
 * event loop a turn between facts when `pacer` says one is due.
 */
export async function synthesizeInsights(
  facts: readonly SynthesisFact[],
  settings: SynthesisSettings,
  pacer: Pacer,
): Promise<ProposedInsight[]> {
  const usable = facts.filter((fact) => fact.kind !== "insight" && sessionsOf(fact.evidence).size > 0);
  await pacer.pace();
  const stable = (await pacer.run(stablePreferences(usable, settings))).sort(byStrength);
  const covered = new Set(stable.map((candidate) => candidate.insight.key.replace(/^stable\./, "")));
  const lasting = usable.filter((fact) => fact.kind !== "transient");
  await pacer.pace();
  const recurring = (await pacer.run(recurringProblems(usable, settings))).sort(byStrength);
  const projectWide = (await pacer.run(projects(lasting, settings))).sort(byStrength);
  const tooling = (await pacer.run(tools(lasting, settings, covered))).sort(byStrength);
  const ordered = [...recurring, ...stable, ...projectWide, ...tooling];
  const seen = new Set<string>();
  const insights: ProposedInsight[] = [];
  for (const candidate of ordered) {
    if (insights.length >= settings.maxInsights) break;
    if (seen.has(candidate.insight.key) || sessionsOf(candidate.insight.evidence).size < 2) continue;
    seen.add(candidate.insight.key);
    insights.push(candidate.insight);
  }
  return insights;
}
