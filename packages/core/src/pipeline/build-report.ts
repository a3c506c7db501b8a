import type { Usage } from "../schemas/common.js";
import type { Dream, DreamError, DreamStatus } from "../schemas/dream.js";
import type { CandidateFact, ConsolidatedFact } from "../schemas/facts.js";
import type { Memory } from "../schemas/memory.js";
import type {
  ConsolidationReport,
  DroppedFact,
  InputFate,
  ReportedFact,
  ReportedInput,
  ReportedInputFact,
  ReportedOutput,
  ReportedSession,
} from "../schemas/report.js";
import { sha256 } from "../util/hash.js";
import { finish, type Steps } from "../util/pacer.js";
import { topicPath } from "./render-memories.js";
import type { InputSnapshot } from "./snapshot-inputs.js";

/** Everything the report is assembled from; fields fill in as the dream advances, so a failed dream reports too. */
export interface ReportInputs {
  dreamId: string;
  status: DreamStatus;
  inputStoreId: string;
  outputStoreId: string | null;
  model: string;
  instructions: string;
  createdAt: string;
  endedAt: string | null;
  sessions: ReportedSession[];
  inputMemories: Memory[];
  /** Each input memory's content after secret redaction, by memory id: the only form the report may quote. */
  redactedMemories?: Map<string, string>;
  /** Candidate facts read from input memories. */
  memoryFacts: CandidateFact[];
  /** Statements rejected while reading input memories, by memory id. */
  memoryRejections: Map<string, DroppedFact[]>;
  /** Why a candidate fact was kept out of memory, by fact id. */
  dropReasons: Map<string, string>;
  consolidated: ConsolidatedFact[];
  /** Output memories written so far: path → memory id. */
  written: Map<string, string>;
  /** The output memory each written fact is in (a topic too large for one memory continues in `-2`, `-3` …). */
  writtenTo: Map<ConsolidatedFact, string>;
  /** Content of each output memory, by path. */
  outputContent: Map<string, string>;
  dropped: DroppedFact[];
  /** Sentences the model declined, by reason. */
  declined: Map<string, { count: number; examples: string[] }>;
  notices: string[];
  stats: ConsolidationReport["stats"];
  usage: Usage;
  error: DreamError | null;
}

function reportedFact(fact: ConsolidatedFact): ReportedFact {
  return {
    key: fact.key,
    statement: fact.statement,
    kind: fact.kind,
    cardinality: fact.cardinality,
    value: fact.value,
    polarity: fact.polarity,
    trust: fact.trust,
    observedAt: fact.observedAt,
    evidence: fact.evidence,
    merged: fact.merged,
    superseded: fact.superseded,
  };
}

function memoryIdsOf(fact: CandidateFact): string[] {
  return [...new Set(fact.evidence.flatMap((item) => (item.type === "memory" ? [item.memoryId] : [])))];
}

/** Worst fate first: a memory is as changed as its most changed fact. */
const FATE_ORDER: InputFate[] = ["superseded", "merged", "dropped", "kept"];

function memoryFate(facts: ReportedInputFact[]): InputFate {
  if (facts.length === 0) return "dropped";
  if (facts.every((fact) => fact.fate === "dropped")) return "dropped";
  if (facts.every((fact) => fact.fate === "kept")) return "kept";
  return FATE_ORDER.find((fate) => fate !== "kept" && facts.some((fact) => fact.fate === fate)) ?? "kept";
}

/** What became of one input-memory fact, looked up in the consolidated facts. */
/** What a report looks up per fact, each computed once per report. */
interface ReportLookup {
  /** The consolidated fact each candidate fact went into. */
  byFactId: Map<string, ConsolidatedFact>;
  /** Ids of the facts a consolidated fact superseded. */
  supersededBy(owner: ConsolidatedFact): Set<string>;
}

function inputFactFate(fact: CandidateFact, inputs: ReportInputs, lookup: ReportLookup): ReportedInputFact {
  const owner = lookup.byFactId.get(fact.id);
  if (!owner) {
    return {
      statement: fact.statement,
      fate: "dropped",
      into: null,
      replacedBy: null,
      reason: inputs.dropReasons.get(fact.id) ?? "not written: the dream ended before this fact was consolidated",
    };
  }
  const into = inputs.writtenTo.get(owner) ?? null;
  const replacedBy = { statement: owner.statement, observedAt: owner.observedAt, evidence: owner.evidence };
  if (lookup.supersededBy(owner).has(fact.id)) {
    return { statement: fact.statement, fate: "superseded", into, replacedBy, reason: null };
  }
  const isWinner = owner.sourceFactIds[0] === fact.id;
  if (isWinner && owner.merged.length === 0) {
    return { statement: fact.statement, fate: "kept", into, replacedBy: null, reason: null };
  }
  return { statement: fact.statement, fate: "merged", into, replacedBy: isWinner ? null : replacedBy, reason: null };
}

/**
 * Assembles the consolidation report: for every output memory where each line came from, for every input memory
 * what became of it (kept, merged, superseded, dropped and why).
 */
export function buildReport(inputs: ReportInputs): ConsolidationReport {
  return finish(buildReportSteps(inputs));
}

/** {@link buildReport} as steps (one per fact or memory), for a pacer to run. */
export function* buildReportSteps(inputs: ReportInputs): Steps<ConsolidationReport> {
  const paths = new Map<string, string>();
  const pathOf = (topic: string) => {
    const known = paths.get(topic);
    if (known !== undefined) return known;
    const path = topicPath(topic);
    paths.set(topic, path);
    return path;
  };
  const superseded = new Map<ConsolidatedFact, Set<string>>();
  const supersededBy = (owner: ConsolidatedFact) => {
    const known = superseded.get(owner);
    if (known !== undefined) return known;
    const ids = new Set(owner.superseded.map((old) => old.factId));
    superseded.set(owner, ids);
    return ids;
  };
  const byFactId = new Map<string, ConsolidatedFact>();
  const byPath = new Map<string, ConsolidatedFact[]>();
  for (const fact of inputs.consolidated) {
    for (const id of fact.sourceFactIds) byFactId.set(id, fact);
    const path = inputs.writtenTo.get(fact) ?? pathOf(fact.topic);
    const list = byPath.get(path);
    if (list) list.push(fact);
    else byPath.set(path, [fact]);
    yield;
  }

  const outputs: ReportedOutput[] = [];
  for (const [path, memoryId] of [...inputs.written.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const facts = byPath.get(path) ?? [];
    outputs.push({
      memoryId,
      path,
      contentSha256: sha256(inputs.outputContent.get(path) ?? ""),
      facts: facts.filter((fact) => fact.kind !== "insight").map(reportedFact),
      insights: facts.filter((fact) => fact.kind === "insight").map((fact) => fact.statement),
    });
    yield;
  }

  const lookup: ReportLookup = { byFactId, supersededBy };
  const factsByMemory = new Map<string, CandidateFact[]>();
  for (const fact of inputs.memoryFacts) {
    for (const id of memoryIdsOf(fact)) {
      const list = factsByMemory.get(id);
      if (list) list.push(fact);
      else factsByMemory.set(id, [fact]);
    }
    yield;
  }
  const reportedInputs: ReportedInput[] = [];
  for (const memory of inputs.inputMemories) {
    const facts = (factsByMemory.get(memory.id) ?? []).map((fact) => inputFactFate(fact, inputs, lookup));
    for (const rejected of inputs.memoryRejections.get(memory.id) ?? []) {
      facts.push({
        statement: rejected.statement,
        fate: "dropped",
        into: null,
        replacedBy: null,
        reason: rejected.reason,
      });
    }
    if (facts.length === 0) {
      facts.push({
        statement:
          inputs.redactedMemories?.get(memory.id)?.slice(0, 200) ?? "(not read: the dream ended before reading it)",
        fate: "dropped",
        into: null,
        replacedBy: null,
        reason: "no facts could be read from this memory",
      });
    }
    reportedInputs.push({
      memoryId: memory.id,
      path: memory.path,
      contentSha256: memory.content_sha256,
      fate: memoryFate(facts),
      facts,
    });
    yield;
  }

  return {
    dreamId: inputs.dreamId,
    status: inputs.status,
    inputStoreId: inputs.inputStoreId,
    outputStoreId: inputs.outputStoreId,
    model: inputs.model,
    instructions: inputs.instructions,
    createdAt: inputs.createdAt,
    endedAt: inputs.endedAt,
    sessions: inputs.sessions,
    outputs,
    inputs: reportedInputs,
    dropped: inputs.dropped,
    declined: [...inputs.declined.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([reason, entry]) => ({ reason, count: entry.count, examples: entry.examples })),
    insights: inputs.consolidated
      .filter((fact) => fact.kind === "insight")
      .map((fact) => ({
        key: fact.key,
        statement: fact.statement,
        path: inputs.writtenTo.get(fact) ?? pathOf(fact.topic),
        sessionIds: [...new Set(fact.evidence.flatMap((item) => (item.type === "event" ? [item.sessionId] : [])))],
        evidence: fact.evidence,
      })),
    notices: inputs.notices,
    stats: inputs.stats,
    usage: { ...inputs.usage },
    error: inputs.error,
  };
}

/**
 * The report state of a dream before any stage ran (sessions an incremental plan skips are marked); the pipeline
 * fills it in. Every runner starts from this, so their reports agree.
 */
export function initialReportInputs(dream: Dream, snapshot: InputSnapshot): ReportInputs {
  return {
    dreamId: dream.id,
    status: dream.status,
    inputStoreId: snapshot.store.id,
    outputStoreId: null,
    model: dream.model.id,
    instructions: dream.instructions,
    createdAt: dream.created_at,
    endedAt: null,
    sessions: snapshot.sessions.map((session) => ({
      sessionId: session.id,
      title: session.title,
      contentSha256: snapshot.sessionHashes.get(session.id) ?? "",
      events: session.events.length,
      chunks: 0,
      facts: 0,
      skipped: snapshot.incremental?.skip.has(session.id) ?? false,
    })),
    inputMemories: snapshot.memories,
    memoryFacts: [],
    memoryRejections: new Map(),
    dropReasons: new Map(),
    consolidated: [],
    written: new Map(),
    writtenTo: new Map(),
    outputContent: new Map(),
    dropped: [],
    declined: new Map(),
    notices: [],
    stats: { chunks: 0, candidateFacts: 0, clusters: 0, judgeCalls: 0, redactions: 0 },
    usage: dream.usage,
    error: null,
  };
}
