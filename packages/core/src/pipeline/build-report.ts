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
  /** The SHA-256 of each output memory's content (as its storage computed it when written), by path. */
  outputSha256: Map<string, string>;
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
  const ids: string[] = [];
  for (const item of fact.evidence) if (item.type === "memory" && !ids.includes(item.memoryId)) ids.push(item.memoryId);
  return ids;
}

/** Worst fate first: a memory is as changed as its most changed fact. */
const FATE_ORDER: InputFate[] = ["superseded", "merged", "dropped", "kept"];

function memoryFate(facts: ReportedInputFact[]): InputFate {
  if (facts.length === 0) return "dropped";
  if (facts.every((fact) => fact.fate === "dropped")) return "dropped";
  if (facts.every((fact) => fact.fate === "kept")) return "kept";
  return FATE_ORDER.find((fate) => fate !== "kept" && facts.some((fact) => fact.fate === fate)) ?? "kept";
}

/** A consolidated fact as the report looks it up: with its topic's memory path and the ids of facts it superseded. */
interface IndexedFact {
  fact: ConsolidatedFact;
  topicFile: string;
  superseded: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

/** What became of one input-memory fact, looked up in the consolidated facts. */
function inputFactFate(
  fact: CandidateFact,
  inputs: ReportInputs,
  byFactId: ReadonlyMap<string, IndexedFact>,
): ReportedInputFact {
  const indexed = byFactId.get(fact.id);
  if (!indexed) {
    return {
      statement: fact.statement,
      fate: "dropped",
      into: null,
      replacedBy: null,
      reason: inputs.dropReasons.get(fact.id) ?? "not written: the dream ended before this fact was consolidated",
    };
  }
  const owner = indexed.fact;
  const into = inputs.writtenTo.get(owner) ?? null;
  const replacedBy = () => ({ statement: owner.statement, observedAt: owner.observedAt, evidence: owner.evidence });
  if (indexed.superseded.has(fact.id)) {
    return { statement: fact.statement, fate: "superseded", into, replacedBy: replacedBy(), reason: null };
  }
  const isWinner = owner.sourceFactIds[0] === fact.id;
  if (isWinner && owner.merged.length === 0) {
    return { statement: fact.statement, fate: "kept", into, replacedBy: null, reason: null };
  }
  return { statement: fact.statement, fate: "merged", into, replacedBy: isWinner ? null : replacedBy(), reason: null };
}

/**
 * Assembles the consolidation report: for every output memory where each line came from, for every input memory
 * what became of it (kept, merged, superseded, dropped and why).
 */
export function buildReport(inputs: ReportInputs): ConsolidationReport {
  return finish(buildReportSteps(inputs));
}

/**
 * Indexes a report derives from the dream's facts, kept between reports of one dream: the consolidated and
 * candidate facts stop changing once their stage is over, so the reports written after it (stage records, the final
 * record of a dream canceled while writing) reuse them instead of rebuilding them.
 */
export interface ReportCache {
  facts?: { of: readonly ConsolidatedFact[]; length: number; index: FactIndex };
  memoryFacts?: { of: readonly CandidateFact[]; length: number; byMemory: Map<string, CandidateFact[]> };
}

/** An empty {@link ReportCache}, for one dream's reports. */
export function createReportCache(): ReportCache {
  return {};
}

/** The consolidated facts in order and by candidate fact id, and the memory path of each topic. */
interface FactIndex {
  facts: IndexedFact[];
  byFactId: Map<string, IndexedFact>;
  paths: Map<string, string>;
}

function* factIndexSteps(consolidated: readonly ConsolidatedFact[], cache: ReportCache): Steps<FactIndex> {
  const cached = cache.facts;
  if (cached?.of === consolidated && cached.length === consolidated.length) return cached.index;
  const index: FactIndex = { facts: [], byFactId: new Map(), paths: new Map() };
  for (const fact of consolidated) {
    const superseded = fact.superseded.length === 0 ? NONE : new Set(fact.superseded.map((old) => old.factId));
    const indexed: IndexedFact = { fact, topicFile: cachedPath(index.paths, fact.topic), superseded };
    index.facts.push(indexed);
    for (const id of fact.sourceFactIds) index.byFactId.set(id, indexed);
    yield;
  }
  cache.facts = { of: consolidated, length: consolidated.length, index };
  return index;
}

function* factsByMemorySteps(facts: readonly CandidateFact[], cache: ReportCache): Steps<Map<string, CandidateFact[]>> {
  const cached = cache.memoryFacts;
  if (cached?.of === facts && cached.length === facts.length) return cached.byMemory;
  const byMemory = new Map<string, CandidateFact[]>();
  for (const fact of facts) {
    for (const id of memoryIdsOf(fact)) {
      const list = byMemory.get(id);
      if (list) list.push(fact);
      else byMemory.set(id, [fact]);
    }
    yield;
  }
  cache.memoryFacts = { of: facts, length: facts.length, byMemory };
  return byMemory;
}

function cachedPath(paths: Map<string, string>, topic: string): string {
  const known = paths.get(topic);
  if (known !== undefined) return known;
  const path = topicPath(topic);
  paths.set(topic, path);
  return path;
}

/**
 * {@link buildReport} as steps (one per fact or memory), for a pacer to run. With a `cache`, the fact indexes built
 * for an earlier report of the same dream are reused while its facts have not changed.
 */
export function* buildReportSteps(inputs: ReportInputs, cache: ReportCache = {}): Steps<ConsolidationReport> {
  const index = yield* factIndexSteps(inputs.consolidated, cache);
  const { byFactId } = index;
  const byPath = new Map<string, ConsolidatedFact[]>();
  for (const { fact, topicFile } of index.facts) {
    const path = inputs.writtenTo.get(fact) ?? topicFile;
    const list = byPath.get(path);
    if (list) list.push(fact);
    else byPath.set(path, [fact]);
    yield;
  }

  const outputs: ReportedOutput[] = [];
  for (const [path, memoryId] of [...inputs.written.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const facts: ReportedOutput["facts"] = [];
    const insights: string[] = [];
    for (const fact of byPath.get(path) ?? []) {
      if (fact.kind === "insight") insights.push(fact.statement);
      else facts.push(reportedFact(fact));
      yield;
    }
    outputs.push({ memoryId, path, contentSha256: inputs.outputSha256.get(path) ?? sha256(""), facts, insights });
  }

  const factsByMemory = yield* factsByMemorySteps(inputs.memoryFacts, cache);
  const reportedInputs: ReportedInput[] = [];
  for (const memory of inputs.inputMemories) {
    const facts = (factsByMemory.get(memory.id) ?? []).map((fact) => inputFactFate(fact, inputs, byFactId));
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
        path: inputs.writtenTo.get(fact) ?? cachedPath(index.paths, fact.topic),
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
    outputSha256: new Map(),
    dropped: [],
    declined: new Map(),
    notices: [],
    stats: { chunks: 0, candidateFacts: 0, clusters: 0, judgeCalls: 0, redactions: 0 },
    usage: dream.usage,
    error: null,
  };
}
