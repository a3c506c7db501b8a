import { createAdaptiveLimiter } from "../model/adaptive-limiter.js";
import type {
  ConsolidationModel,
  ExtractionSource,
  MemorySnippet,
  ModelCallContext,
  SynthesisFact,
} from "../ports/consolidation-model.js";
import type { StorageAdapter } from "../ports/storage-adapter.js";
import type { Tokenizer } from "../ports/tokenizer.js";
import type { Usage } from "../schemas/common.js";
import type { DreamEventBody, DreamStage } from "../schemas/dream-event.js";
import type { CandidateFact, Chunk, ConsolidatedFact, ExtractedFact } from "../schemas/facts.js";
import type { DroppedFact } from "../schemas/report.js";
import { inOrder } from "../util/in-order.js";
import { createPacer, finish, type Pacer, type Steps } from "../util/pacer.js";
import { type RetryOptions, withRetry } from "../util/retry.js";
import { sortSteps } from "../util/sort-steps.js";
import { normalizeText } from "../util/text.js";
import { atomizeFactsSteps } from "./atomize-facts.js";
import { emptyToolOutputTally } from "./bound-tool-output.js";
import type { ReportInputs } from "./build-report.js";
import { carryUnreadLines } from "./carry-unread-lines.js";
import { checkEvidence, type EvidenceIndex, indexChunk, indexMemories } from "./check-evidence.js";
import { checkInsights, type SessionEventIndex } from "./check-insights.js";
import { chunkTranscriptSteps, LINE_OVERHEAD_TOKENS } from "./chunk-transcript.js";
import { originOf } from "./clauses.js";
import { deduplicate } from "./deduplicate.js";
import { attachLedger, settledTogether, skippedNotice } from "./incremental.js";
import { keepLastingPartsSteps } from "./keep-lasting-parts.js";
import { readLineageSteps } from "./lineage.js";
import { packSessions } from "./pack-sessions.js";
import { renderMemoriesSteps } from "./render-memories.js";
import { resolveByRecencySteps } from "./resolve-by-recency.js";
import { ensureInputsAvailable, type InputSnapshot } from "./snapshot-inputs.js";
import { writeOutput } from "./write-output.js";

/** Removes secrets from text before any model sees it. */
export type Redactor = (text: string) => { text: string; redactions: number };

/** Settings of one pipeline run. */
export interface PipelineSettings {
  concurrency: number;
  chunkTokens: number;
  /** Most tokens of one tool result extraction reads; 0: all of it (see `bound-tool-output.ts`). */
  toolResultTokens: number;
  retry: RetryOptions;
}

/** What the pipeline needs from the engine that runs it. */
export interface PipelineContext {
  storage: StorageAdapter;
  model: ConsolidationModel;
  tokenizer: Tokenizer;
  snapshot: InputSnapshot;
  settings: PipelineSettings;
  instructions: string;
  signal: AbortSignal;
  redact: Redactor;
  emit(event: DreamEventBody): void;
  addUsage(usage: Partial<Usage>): void;
  /** Called between stages: persists progress and throws if the dream was canceled from elsewhere. */
  checkpoint(stage: DreamStage): Promise<void>;
  /** Creates (and locks) the output store; returns its id. */
  createOutputStore(): Promise<string>;
  /** The dream writes into its input store (`update_existing`): `createOutputStore` returns that store, locked. */
  updateExisting?: boolean;
}

/** A sentence a model read but declined, with its reason. */
type Declined = Parameters<NonNullable<ModelCallContext["decline"]>>[0];

/** Extracted facts whose evidence holds, and those rejected (with the fact they came from). */
interface CheckedFacts {
  accepted: CandidateFact[];
  rejected: Array<{ dropped: DroppedFact; fact: ExtractedFact }>;
}

/** Checks every fact of one extraction call against its sources (one step per fact); memory citations may be repaired. */
function* checkAll(facts: readonly ExtractedFact[], index: EvidenceIndex, sourceKey: string): Steps<CheckedFacts> {
  const checked: CheckedFacts = { accepted: [], rejected: [] };
  for (const [ordinal, fact] of facts.entries()) {
    const result = checkEvidence(fact, index, sourceKey, ordinal, sourceKey.startsWith("memories#"));
    if ("rejected" in result) checked.rejected.push({ dropped: result.rejected, fact });
    else checked.accepted.push(result.candidate);
    yield;
  }
  return checked;
}

/** Refused merges named one by one in notices; the rest are counted in one. */
const MAX_REFUSAL_NOTICES = 20;

const TRANSIENT_REASON = "transient: a one-off note, not kept in memory (used only to spot patterns across sessions)";

/**
 * Runs a dream's stages over its snapshot, filling `state` as it goes so that whatever happens the engine can
 * report what was done: chunk → extract → dedupe → resolve → synthesize → write. Long stretches of work give the
 * event loop a turn every few milliseconds (see `util/pacer.ts`) and stop with `aborted` once the signal fires;
 * results of concurrent calls are applied in input order, so the report is the same on every run.
 */
export async function runPipeline(context: PipelineContext, state: ReportInputs): Promise<void> {
  const { snapshot, settings, signal } = context;
  const pacer = createPacer(signal);
  const limiter = createAdaptiveLimiter({ max: Math.max(1, settings.concurrency) });
  const decline = ({ reason, text }: Declined) => {
    const entry = state.declined.get(reason) ?? { count: 0, examples: [] };
    entry.count++;
    if (entry.examples.length < 3) entry.examples.push(context.redact(text.slice(0, 200)).text);
    state.declined.set(reason, entry);
  };
  const callContext: ModelCallContext = {
    signal,
    instructions: context.instructions,
    reportUsage: (usage) => context.addUsage(usage),
    decline,
  };
  const callModel = <T>(call: () => Promise<T>): Promise<T> =>
    withRetry(() => limiter.run(call, { signal }), {
      ...settings.retry,
      signal,
      onRetry: ({ attempt, delayMs, error }) =>
        context.emit({
          type: "notice",
          message: `model call failed (${error.code}); retry ${attempt} in ${Math.round(delayMs)} ms (concurrency now ${limiter.limit})`,
        }),
    });

  // A stage begins after two turns of the event loop, so callbacks its start set off (a listener of its stage event)
  // run first, and a cancel they ask for stops the dream before any of the stage's work.
  const beginStage = async (stage: DreamStage) => {
    await context.checkpoint(stage);
    await pacer.turn();
    await pacer.turn();
  };
  state.outputStoreId = await context.createOutputStore();

  await beginStage("chunk");
  const skipped = skippedNotice(snapshot);
  if (skipped) context.emit({ type: "notice", message: skipped });
  const bySession: Chunk[][] = [];
  const toolOutput = { tokens: settings.toolResultTokens, tally: emptyToolOutputTally() };
  const redactLine = (text: string) => {
    const clean = context.redact(text);
    state.stats.redactions += clean.redactions;
    return clean.text;
  };
  for (const session of snapshot.sessions) {
    if (snapshot.incremental?.skip.has(session.id)) continue;
    bySession.push(
      await pacer.run(chunkTranscriptSteps(session, context.tokenizer, settings.chunkTokens, toolOutput, redactLine)),
    );
  }
  Object.assign(state.stats, toolOutput.tally);
  const chunks = packSessions(bySession, settings.chunkTokens);
  state.redactedMemories ??= new Map();
  for (const memory of snapshot.memories) {
    const clean = context.redact(memory.content);
    state.stats.redactions += clean.redactions;
    state.redactedMemories.set(memory.id, clean.text);
    await pacer.pace();
  }
  const lineage = await pacer.run(
    readLineageSteps(snapshot.memories, (memory) => state.redactedMemories?.get(memory.id) ?? ""),
  );
  for (const fact of lineage.facts) {
    fact.statement = context.redact(fact.statement).text;
    await pacer.pace();
  }
  const fromLineage = new Set(lineage.facts.map((fact) => fact.id));
  const memories = lineage.toExtract;
  state.stats.chunks = chunks.length;
  const chunksBySession = new Map<string, number>();
  for (const chunk of chunks) {
    for (const id of new Set(chunk.lines.map((line) => line.sessionId))) {
      chunksBySession.set(id, (chunksBySession.get(id) ?? 0) + 1);
    }
  }
  for (const session of state.sessions) session.chunks = chunksBySession.get(session.sessionId) ?? 0;

  await beginStage("extract");
  await ensureInputsAvailable(context.storage, snapshot, pacer);
  let candidates: CandidateFact[] = [...lineage.facts];
  state.memoryFacts.push(...lineage.facts);
  const commit = inOrder();
  const extractWith = async (
    source: ExtractionSource,
    order: number,
    use: (facts: ExtractedFact[]) => Promise<() => void>,
  ) => {
    const declined: Declined[] = [];
    const applyDeclined = () => {
      for (const entry of declined) decline(entry);
    };
    let apply = applyDeclined;
    try {
      const facts = await callModel(() =>
        context.model.extract(source, { ...callContext, decline: (entry) => declined.push(entry) }),
      );
      const applyFacts = await use(facts);
      apply = () => {
        applyDeclined();
        applyFacts();
      };
    } finally {
      commit(order, apply);
    }
  };
  let done = 0;
  const reported = new Map(state.sessions.map((session) => [session.sessionId, session]));
  const extractChunk = (chunk: Chunk, order: number) =>
    extractWith({ type: "transcript", chunk }, order, async (facts) => {
      const checked = await pacer.run(checkAll(facts, indexChunk(chunk), chunk.key));
      return () => {
        candidates.push(...checked.accepted);
        for (const { dropped } of checked.rejected) state.dropped.push(dropped);
        for (const fact of checked.accepted) {
          const cited = fact.evidence.find((item) => item.type === "event");
          const session = reported.get(cited?.type === "event" ? cited.sessionId : chunk.sessionId);
          if (session) session.facts++;
        }
        done++;
        context.emit({
          type: "chunk",
          chunk_key: chunk.key,
          session_id: chunk.sessionId,
          done,
          total: chunks.length,
          facts: checked.accepted.length,
        });
      };
    });
  const extractMemories = (batch: MemorySnippet[], batchIndex: number) =>
    extractWith({ type: "memories", memories: batch }, batchIndex, async (extracted) => {
      const facts = extracted.filter(
        (fact) => !fact.evidence.every((cited) => lineage.covered(cited.event_id, cited.quote)),
      );
      const checked = await pacer.run(checkAll(facts, indexMemories(batch), `memories#${batchIndex}`));
      const quotesOf = new Map<string, string[]>();
      for (const item of checked.accepted.flatMap((fact) => fact.evidence)) {
        if (item.type !== "memory" || item.quote === undefined) continue;
        const quotes = quotesOf.get(item.memoryId);
        if (quotes) quotes.push(normalizeText(item.quote));
        else quotesOf.set(item.memoryId, [normalizeText(item.quote)]);
      }
      const quoted = (memoryId: string, line: string) => {
        if (lineage.covered(memoryId, line)) return true;
        const text = normalizeText(line);
        return (quotesOf.get(memoryId) ?? []).some((quote) => text.includes(quote) || quote.includes(text));
      };
      const carried: CandidateFact[] = [];
      for (const memory of batch) {
        carried.push(...carryUnreadLines([memory], quoted));
        await pacer.pace();
      }
      const ids = new Set(batch.map((memory) => memory.id));
      return () => {
        candidates.push(...checked.accepted);
        for (const { dropped, fact } of checked.rejected) {
          for (const cited of fact.evidence) {
            if (ids.has(cited.event_id)) {
              state.memoryRejections.set(cited.event_id, [
                ...(state.memoryRejections.get(cited.event_id) ?? []),
                dropped,
              ]);
            }
          }
          state.dropped.push(dropped);
        }
        state.memoryFacts.push(...checked.accepted);
        if (carried.length > 0) {
          candidates.push(...carried);
          state.memoryFacts.push(...carried);
          state.stats.carriedLines = (state.stats.carriedLines ?? 0) + carried.length;
        }
      };
    });
  const memoryBatches = await pacer.run(batchMemoriesSteps(memories, context.tokenizer, settings.chunkTokens));
  await Promise.all([
    ...memoryBatches.map(extractMemories),
    ...chunks.map((chunk, index) => extractChunk(chunk, memoryBatches.length + index)),
  ]);
  if ((state.stats.carriedLines ?? 0) > 0) {
    context.emit({
      type: "notice",
      message: `${state.stats.carriedLines} lines of the input memories yielded no fact from the model; they are carried over unchanged (see the report's inputs).`,
    });
  }
  candidates = await pacer.run(sortSteps(candidates, (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  state.stats.candidateFacts = candidates.length;

  await beginStage("dedupe");
  const { transient, kept, disputed } = await pacer.run(keepLastingPartsSteps(candidates));
  if (kept.length > 0) {
    context.emit({
      type: "notice",
      message: `${kept.length} statements the model called one-off read as lasting (no failure, date or temporary wording) and are kept as facts, e.g. "${kept[0]?.statement}"`,
    });
  }
  const dropAsTransient = (fact: CandidateFact) => {
    state.dropReasons.set(fact.id, TRANSIENT_REASON);
    state.dropped.push({
      factId: fact.id,
      statement: fact.statement,
      key: fact.key,
      kind: "transient",
      reason: TRANSIENT_REASON,
      evidence: fact.evidence,
    });
  };
  for (const fact of transient) {
    await pacer.pace();
    dropAsTransient(fact);
  }
  const lasting = await pacer.run(
    atomizeFactsSteps([...candidates.filter((fact) => fact.kind !== "transient"), ...kept, ...disputed]),
  );
  state.memoryFacts = await pacer.run(atomizeFactsSteps(replaceSorted(state.memoryFacts, transient, kept)));
  const deduplicated = await deduplicate(lasting, {
    judge: (pairs) => callModel(() => context.model.judge(pairs, callContext)),
    settled: (a, b) => settledTogether(a, b, fromLineage),
    pacer,
  });
  const { judgeCalls, refused } = deduplicated;
  const doubted = new Set(disputed.map((fact) => fact.id));
  const clusters: CandidateFact[][] = [];
  for (const cluster of deduplicated.clusters) {
    await pacer.pace();
    if (!cluster.every((fact) => doubted.has(originOf(fact.id)))) {
      clusters.push(cluster);
      continue;
    }
    for (const fact of cluster) {
      transient.push({ ...fact, kind: "transient" });
      dropAsTransient(fact);
    }
  }
  state.stats.clusters = clusters.length;
  state.stats.judgeCalls = judgeCalls;
  for (const merge of refused.slice(0, MAX_REFUSAL_NOTICES)) {
    context.emit({ type: "notice", message: `${merge.reason}: "${merge.left}" / "${merge.right}"` });
  }
  if (refused.length > MAX_REFUSAL_NOTICES) {
    context.emit({
      type: "notice",
      message: `${refused.length - MAX_REFUSAL_NOTICES} more merges the model proposed were refused (different cardinality, entities or roles).`,
    });
  }

  await beginStage("resolve");
  const consolidated: ConsolidatedFact[] = [];
  for (const cluster of clusters) {
    const resolution = await pacer.run(resolveByRecencySteps(cluster));
    consolidated.push(...resolution.facts);
    state.dropped.push(...resolution.dropped);
    for (const dropped of resolution.dropped) if (dropped.factId) state.dropReasons.set(dropped.factId, dropped.reason);
  }

  await beginStage("synthesize");
  const settled = (ids: readonly string[]) => ids.length > 0 && ids.every((id) => fromLineage.has(originOf(id)));
  const facts = await pacer.run(
    sortSteps(
      await synthesize(context, callModel, callContext, pacer, { consolidated, transient, settled }, state),
      (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    ),
  );
  state.consolidated = facts;

  await beginStage("write");
  await ensureInputsAvailable(context.storage, snapshot, pacer);
  const rendered = await pacer.run(renderMemoriesSteps(facts, state.dreamId));
  attachLedger(rendered, snapshot, state.sessions, state.dreamId);
  const target = {
    storage: context.storage,
    storeId: state.outputStoreId,
    existing: context.updateExisting === true ? snapshot.memories : null,
    emit: context.emit,
  };
  await writeOutput(target, rendered, state, pacer);
}

/** Memory facts with each one-off fact replaced by what sorting made of it (kept whole, split, or narrowed). */
function replaceSorted(
  facts: readonly CandidateFact[],
  transient: readonly CandidateFact[],
  kept: readonly CandidateFact[],
): CandidateFact[] {
  const sorted = new Map<string, CandidateFact[]>();
  for (const fact of [...transient, ...kept]) {
    const origin = originOf(fact.id);
    sorted.set(origin, [...(sorted.get(origin) ?? []), fact]);
  }
  return facts.flatMap((fact) => (fact.kind === "transient" ? (sorted.get(fact.id) ?? [fact]) : [fact]));
}

/** What synthesis reads: the dream's consolidated and one-off facts, and which were settled by an earlier dream. */
interface SynthesisInput {
  consolidated: ConsolidatedFact[];
  transient: CandidateFact[];
  /** Whether facts with these ids were all read back from lineage (an earlier dream synthesized over them). */
  settled: (ids: readonly string[]) => boolean;
}

/**
 * Proposes insights over the dream's facts in batches. A batch holding only facts read back from lineage is not
 * sent: the dream that wrote them already synthesized over them, and its insights are among them.
 */
async function synthesize(
  context: PipelineContext,
  callModel: <T>(call: () => Promise<T>) => Promise<T>,
  callContext: ModelCallContext,
  pacer: Pacer,
  { consolidated, transient, settled }: SynthesisInput,
  state: ReportInputs,
): Promise<ConsolidatedFact[]> {
  if (context.snapshot.sessions.length < 2) return consolidated;
  const toSynthesis = (fact: {
    key: string;
    topic: string;
    statement: string;
    kind: SynthesisFact["kind"];
    evidence: CandidateFact["evidence"];
  }): SynthesisFact => ({
    key: fact.key,
    topic: fact.topic,
    statement: fact.statement,
    kind: fact.kind,
    evidence: fact.evidence.flatMap((item) =>
      item.type === "event" ? [{ session_id: item.sessionId, event_id: item.eventId }] : [],
    ),
  });
  const fresh = new Set<SynthesisFact>();
  const input: SynthesisFact[] = [];
  for (const [fact, ids] of [
    ...consolidated.map((fact) => [fact, fact.sourceFactIds] as const),
    ...transient.map((fact) => [fact, [fact.id]] as const),
  ]) {
    const entry = toSynthesis(fact);
    if (entry.evidence.length === 0) continue;
    input.push(entry);
    if (!settled(ids)) fresh.add(entry);
  }
  if (fresh.size === 0) return consolidated;
  const all = await pacer.run(batchSynthesisFactsSteps(input, context.tokenizer, context.settings.chunkTokens));
  const batches = all.filter((batch) => batch.some((fact) => fresh.has(fact)));
  if (batches.length < all.length) {
    context.emit({
      type: "notice",
      message: `${all.length - batches.length} of ${all.length} synthesis batches hold only facts an earlier dream consolidated (read back from lineage) and were not sent to the model.`,
    });
  }
  const proposed = (
    await Promise.all(batches.map((batch) => callModel(() => context.model.synthesize(batch, callContext))))
  ).flat();
  const events: SessionEventIndex = new Map();
  for (const session of context.snapshot.sessions) {
    events.set(session.id, new Map(session.events.map((event) => [event.id, event.processed_at])));
    await pacer.pace();
  }
  const { insights, dropped } = checkInsights(proposed, events);
  state.dropped.push(...dropped);
  const result = [...consolidated];
  const insightAt = new Map<string, number>();
  for (const [index, fact] of result.entries()) {
    if (fact.kind === "insight" && !insightAt.has(fact.key)) insightAt.set(fact.key, index);
  }
  for (const insight of insights) {
    const at = insightAt.get(insight.key) ?? -1;
    const previous = at === -1 ? undefined : result[at];
    if (previous) {
      insight.superseded.push({
        factId: previous.sourceFactIds[0] ?? previous.key,
        statement: previous.statement,
        observedAt: previous.observedAt,
        evidence: previous.evidence,
      });
      insight.sourceFactIds.push(...previous.sourceFactIds);
      result[at] = insight;
    } else {
      insightAt.set(insight.key, result.length);
      result.push(insight);
    }
  }
  return result;
}

/**
 * Splits synthesis input into batches that fit the chunk budget, ordered by topic and key so related facts share a
 * batch: a large store never overflows one call, at the price of not relating facts that land in different batches.
 */
export function batchSynthesisFacts(facts: SynthesisFact[], tokenizer: Tokenizer, budget: number): SynthesisFact[][] {
  return finish(batchSynthesisFactsSteps(facts, tokenizer, budget));
}

/** {@link batchSynthesisFacts} as steps (one per fact), for a pacer to run. */
export function* batchSynthesisFactsSteps(
  facts: SynthesisFact[],
  tokenizer: Tokenizer,
  budget: number,
): Steps<SynthesisFact[][]> {
  const ordered = facts
    .map((fact) => ({ fact, order: fact.topic + fact.key }))
    .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0))
    .map(({ fact }) => fact);
  const batches: SynthesisFact[][] = [];
  let current: SynthesisFact[] = [];
  let tokens = 0;
  for (const fact of ordered) {
    yield;
    const cost = tokenizer.count(fact.statement) + LINE_OVERHEAD_TOKENS * (2 + fact.evidence.length);
    if (current.length > 0 && tokens + cost > budget) {
      batches.push(current);
      current = [];
      tokens = 0;
    }
    current.push(fact);
    tokens += cost;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Groups memories into extraction batches that fit the chunk budget (an oversized memory goes alone). */
export function batchMemories(memories: MemorySnippet[], tokenizer: Tokenizer, budget: number): MemorySnippet[][] {
  return finish(batchMemoriesSteps(memories, tokenizer, budget));
}

/** {@link batchMemories} as steps (one per memory), for a pacer to run. */
export function* batchMemoriesSteps(
  memories: MemorySnippet[],
  tokenizer: Tokenizer,
  budget: number,
): Steps<MemorySnippet[][]> {
  const batches: MemorySnippet[][] = [];
  let current: MemorySnippet[] = [];
  let tokens = 0;
  for (const memory of memories) {
    yield;
    const cost = tokenizer.count(memory.content) + LINE_OVERHEAD_TOKENS;
    if (current.length > 0 && tokens + cost > budget) {
      batches.push(current);
      current = [];
      tokens = 0;
    }
    current.push(memory);
    tokens += cost;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
