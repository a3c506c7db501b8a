import { setMaxListeners } from "node:events";
import {
  DREAM_DEFAULTS,
  type Dream,
  type DreamEventBody,
  type DreamLimits,
  isTerminalStatus,
  type Memory,
  NocturneError,
  type Redactor,
  type StorageAdapter,
  type Tokenizer,
  toNocturneError,
} from "@nocturne/core";
import {
  applyIncremental,
  dreamErrorOf,
  dreamTimeoutError,
  type InputSnapshot,
  initialReportInputs,
  type ReportInputs,
  runPipeline,
  snapshotInputs,
  type ValidDreamRequest,
} from "@nocturne/core/internals";
import { type Job, WaitingChildrenError } from "bullmq";
import { type DreamBudget, overBudget } from "./dream-budget.js";
import type { DreamEvents } from "./dream-events.js";
import type { DreamFlags } from "./dream-flags.js";
import type { DreamRecords } from "./dream-records.js";
import { assertSameInputs, type InputFingerprint } from "./input-fingerprint.js";
import type { ModelCallOutcome } from "./model-calls.js";
import { type KnownCall, type PendingCall, ReplayModel } from "./replay-model.js";
import { replayableWrites } from "./replayable-writes.js";
import type { StoreClaims } from "./store-claims.js";

/** The data of a dream (parent) job: everything a worker on any machine needs to run the dream. */
export interface DreamJobData {
  dreamId: string;
  request: ValidDreamRequest;
  fingerprint: InputFingerprint;
  /** Token budget of one transcript chunk; absent: the worker's {@link DreamJobDeps.defaultChunkTokens}. */
  chunkTokens?: number;
  /** Most tokens of one tool result extraction reads (0: all); absent on jobs queued before it existed: the default. */
  toolResultTokens?: number;
  limits: DreamLimits;
  /** Extract sessions the input store already folded in, too (`create(…, { force: true })`). */
  force: boolean;
  /** The dream's runtime budget, fixed by the client at creation; absent on jobs queued before budgets existed. */
  budget?: DreamBudget;
  /**
   * The input store's memories as the client read them, for an `update_existing` dream: the dream writes into that
   * store, so a run after a worker died mid-write reads what the dream read, not its own writes.
   */
  inputMemories?: Memory[];
}

/** What a dream job needs from its worker process. */
export interface DreamJobDeps {
  storage: StorageAdapter;
  tokenizer: Tokenizer;
  redact: Redactor;
  model: { id: string; offline: boolean };
  /** The chunk budget of a dream created without one: the worker's model's, as in-process. */
  defaultChunkTokens: number;
  /** Said in every dream's notices (the offline default model announces itself), or null. */
  modelNotice: string | null;
  events: DreamEvents;
  flags: DreamFlags;
  records: DreamRecords;
  claims: StoreClaims;
  /** How long a finished dream's events stay in Redis. */
  retainMs: number;
  /** Adds the pending calls as child jobs of `parent`. */
  addCalls(parent: Job<DreamJobData>, calls: PendingCall[], chunkTotal: number): Promise<void>;
}

type ReplayOutcome =
  | { kind: "suspended"; pending: PendingCall[]; chunkTotal: number }
  | { kind: "completed"; dream: Dream; state: ReportInputs }
  | { kind: "canceled"; dream: Dream; state: ReportInputs | null }
  | { kind: "failed"; dream: Dream; state: ReportInputs | null; error: NocturneError };

/** Pipeline events the replay passes on, each once per dream; chunk and usage events come from the child jobs. */
function onceKeyOf(body: DreamEventBody): string | null {
  switch (body.type) {
    case "stage":
      return `stage:${body.stage}`;
    case "memory.written":
      return `written:${body.path}`;
    case "notice":
      return `notice:${body.message}`;
    case "error":
      return "error";
    case "status":
      return `status:${body.status}`;
    default:
      return null;
  }
}

/** An input that vanished after the dream was created is reported with the hosted error types. */
function asInputError(error: unknown): unknown {
  if (NocturneError.isInstance(error, "memory_store_not_found", "memory_store_archived")) {
    return new NocturneError("input_memory_store_unavailable", `${error.message} It disappeared while the dream ran.`, {
      cause: error,
    });
  }
  if (NocturneError.isInstance(error, "session_not_found")) {
    return new NocturneError("input_session_unavailable", `${error.message} It disappeared while the dream ran.`, {
      cause: error,
    });
  }
  return error;
}

/**
 * Runs the dream's pipeline once from the start, with every model call a child job already answered served from
 * its answer. Returns the calls still missing (the replay suspended there), or how the dream ended.
 */
async function replay(
  data: DreamJobData,
  dream: Dream,
  known: ReadonlyMap<string, KnownCall>,
  deps: DreamJobDeps,
  signal: AbortSignal,
): Promise<ReplayOutcome> {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const stop = () => controller.abort(signal.reason);
  signal.addEventListener("abort", stop, { once: true });
  let state: ReportInputs | null = null;
  let suspended = false;
  let model: ReplayModel | null = null;
  const { budget } = data;
  let timedOut = false;
  const budgetTimer =
    budget &&
    setTimeout(() => {
      timedOut = true;
      controller.abort(dreamTimeoutError(budget.timeoutMs));
    }, budget.deadline - Date.now());
  try {
    let snapshot: InputSnapshot;
    try {
      const fresh = await snapshotInputs(deps.storage, data.request, data.limits);
      const read = data.inputMemories ? { ...fresh, memories: data.inputMemories } : fresh;
      assertSameInputs(data.fingerprint, read);
      snapshot = applyIncremental(read, { force: data.force });
    } catch (error) {
      throw asInputError(error);
    }
    const current = initialReportInputs(dream, snapshot);
    state = current;
    if (deps.modelNotice) {
      current.notices.push(deps.modelNotice);
      await deps.events.emit(dream.id, { type: "notice", message: deps.modelNotice }, `notice:${deps.modelNotice}`);
    }
    model = new ReplayModel(deps.model.id, deps.model.offline, dream.id, known, () => {
      suspended = true;
      controller.abort(new NocturneError("aborted", "The replay suspended to wait for model calls."));
    });
    const emit = async (body: DreamEventBody) => {
      const once = onceKeyOf(body);
      if (once !== null) await deps.events.emit(dream.id, body, once);
    };
    await runPipeline(
      {
        storage: replayableWrites(deps.storage),
        model,
        tokenizer: deps.tokenizer,
        snapshot,
        settings: {
          concurrency: Number.MAX_SAFE_INTEGER,
          chunkTokens: data.chunkTokens ?? deps.defaultChunkTokens,
          toolResultTokens: data.toolResultTokens ?? DREAM_DEFAULTS.toolResultTokens,
          retry: { retries: 0 },
        },
        instructions: dream.instructions,
        signal: controller.signal,
        redact: deps.redact,
        emit: (body) => {
          if (body.type === "notice") current.notices.push(body.message);
          void emit(body).catch(() => undefined);
        },
        addUsage: () => undefined,
        checkpoint: async (stage) => {
          if (controller.signal.aborted) throw new NocturneError("aborted", "The dream was canceled.");
          if (await deps.flags.isCanceled(dream.id)) {
            controller.abort(new NocturneError("aborted", "Canceled from another process."));
            throw new NocturneError("aborted", "The dream was canceled.");
          }
          await emit({ type: "stage", stage });
          await deps.records.progress(dream, current);
        },
        updateExisting: dream.output_behavior.type === "update_existing",
        createOutputStore: async () => {
          const storeId = await outputStoreOf(deps, dream, snapshot);
          dream.outputs = [{ type: "memory_store", memory_store_id: storeId }];
          await deps.records.progress(dream, current);
          return storeId;
        },
      },
      current,
    );
    return { kind: "completed", dream, state: current };
  } catch (thrown) {
    if (timedOut && budget) return { kind: "failed", dream, state, error: dreamTimeoutError(budget.timeoutMs) };
    if (suspended && model && !signal.aborted) {
      return { kind: "suspended", pending: [...model.pending.values()], chunkTotal: model.transcriptCalls };
    }
    const error = toNocturneError(thrown);
    if (signal.aborted || error.code === "aborted" || (await deps.flags.isCanceled(dream.id))) {
      return { kind: "canceled", dream, state };
    }
    return { kind: "failed", dream, state, error };
  } finally {
    clearTimeout(budgetTimer);
    signal.removeEventListener("abort", stop);
  }
}

/** The store the dream writes: its input store (`update_existing`, locked as in process), else its own new store. */
async function outputStoreOf(deps: DreamJobDeps, dream: Dream, snapshot: InputSnapshot): Promise<string> {
  if (dream.output_behavior.type === "update_existing") {
    await deps.storage.setMemoryStoreLock(snapshot.store.id, dream.id);
    return snapshot.store.id;
  }
  return (await deps.flags.outputStoreId(dream.id)) ?? (await createOutputStore(deps, dream, snapshot));
}

async function createOutputStore(deps: DreamJobDeps, dream: Dream, snapshot: InputSnapshot): Promise<string> {
  const output = await deps.storage.createMemoryStore({
    name: `${snapshot.store.name} (dream)`.slice(0, 255),
    description: `Consolidated by Nocturne dream ${dream.id} from ${snapshot.store.id}.`,
    metadata: { nocturne_dream_id: dream.id, nocturne_input_store_id: snapshot.store.id },
  });
  await deps.storage.setMemoryStoreLock(output.id, dream.id);
  const winner = await deps.flags.claimOutputStore(dream.id, output.id);
  if (winner !== output.id) {
    await deps.storage.setMemoryStoreLock(output.id, null);
    await deps.storage.deleteMemoryStore(output.id);
  }
  return winner;
}

/** Child outcomes and child-job failures of a parent, by child job id. */
async function knownCalls(job: Job<DreamJobData>): Promise<Map<string, KnownCall>> {
  const known = new Map<string, KnownCall>();
  const idOf = (jobKey: string) => jobKey.slice(jobKey.lastIndexOf(":") + 1);
  for (const [jobKey, outcome] of Object.entries(await job.getChildrenValues<ModelCallOutcome>())) {
    known.set(idOf(jobKey), outcome);
  }
  for (const [jobKey, reason] of Object.entries(await job.getIgnoredChildrenFailures())) {
    known.set(idOf(jobKey), { callKey: "", status: "failed", reason: String(reason) });
  }
  return known;
}

/** Ends a dream: stores its final record, unlocks its output store, emits its last events. */
async function finish(deps: DreamJobDeps, outcome: Exclude<ReplayOutcome, { kind: "suspended" }>): Promise<Dream> {
  const { dream } = outcome;
  dream.status = outcome.kind;
  dream.ended_at = new Date().toISOString();
  dream.error = outcome.kind === "failed" ? dreamErrorOf(outcome.error) : null;
  if (outcome.kind === "completed")
    await deps.events.emit(dream.id, { type: "stage", stage: "report" }, "stage:report");
  const behavior = dream.output_behavior;
  // The store is freed before the dream reads as ended, so whoever saw it end can start the next one at once.
  if (behavior.type === "update_existing" && (await deps.claims.release(behavior.memory_store_id, dream.id))) {
    await deps.storage.setMemoryStoreLock(behavior.memory_store_id, null).catch(() => undefined);
  }
  const stored = await deps.records.finish(dream, outcome.state);
  const outputId = stored.outputs[0]?.memory_store_id ?? (await deps.flags.outputStoreId(dream.id));
  if (outputId && behavior.type !== "update_existing") {
    await deps.storage.setMemoryStoreLock(outputId, null).catch(() => undefined);
  }
  if (stored.status === "failed" && stored.error) {
    await deps.events.emit(dream.id, { type: "error", error: stored.error }, "error");
  }
  await deps.events.emit(dream.id, { type: "status", status: stored.status }, "status:end");
  await deps.flags.expire(dream.id, deps.retainMs);
  return stored;
}

/**
 * Ends a dream whose job BullMQ failed for good without running it (its workers kept dying: it stalled more often
 * than `maxStalledCount`): stored `failed`, what it wrote kept, its store unlocked and its claim released, as a
 * run that failed would end it. Does nothing for a job that is retried or a dream that already ended.
 */
export async function endFailedJob(job: Job<DreamJobData>, reason: string, deps: DreamJobDeps): Promise<void> {
  if ((await job.getState()) !== "failed") return;
  const record = await deps.storage.getDreamRecord(job.data.dreamId);
  if (!record || isTerminalStatus(record.dream.status)) return;
  const error = new NocturneError(
    "internal_error",
    `The workers running this dream stopped before it finished, too often to try again (${reason}); what it wrote so far was kept. Start a new dream to retry.`,
  );
  await finish(deps, { kind: "failed", dream: { ...record.dream }, state: null, error });
}

/**
 * The dream (parent) job. Each run replays the pipeline; when the replay needs model calls nobody answered yet,
 * they become child jobs (one per chunk extraction, memory batch, judge batch, synthesis) and the job waits for
 * them in BullMQ's `waiting-children` state, holding no worker. When they are done, the job runs again and the
 * replay gets further, until the reduce stages write the output store. Every step is idempotent per dream and
 * step key, so a run that a dead worker left half-done is simply run again by another.
 */
export async function runDreamJob(
  job: Job<DreamJobData>,
  token: string,
  signal: AbortSignal,
  deps: DreamJobDeps,
): Promise<{ status: Dream["status"] }> {
  const { dreamId } = job.data;
  let dream: Dream | null = null;
  try {
    const record = await deps.storage.getDreamRecord(dreamId);
    if (!record) return { status: "failed" };
    const current: Dream = { ...record.dream };
    dream = current;
    if (isTerminalStatus(current.status) || (await deps.flags.isCanceled(dreamId))) {
      return { status: (await finish(deps, { kind: "canceled", dream: current, state: null })).status };
    }
    // A request that names no model runs on the workers' model, and the dream says so, as in-process.
    if (job.data.request.model === undefined) current.model = { id: deps.model.id };
    if (current.status === "pending") {
      current.status = "running";
      await deps.events.emit(dreamId, { type: "status", status: "running" }, "status:running");
    }
    for (;;) {
      const { budget } = job.data;
      if (budget && overBudget(budget)) {
        const error = dreamTimeoutError(budget.timeoutMs);
        return { status: (await finish(deps, { kind: "failed", dream: current, state: null, error })).status };
      }
      const known = await knownCalls(job);
      const outcome = await replay(job.data, current, known, deps, signal);
      if (outcome.kind !== "suspended") return { status: (await finish(deps, outcome)).status };
      await deps.addCalls(job, outcome.pending, outcome.chunkTotal);
      if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();
    }
  } catch (error) {
    if (error instanceof WaitingChildrenError) throw error;
    const attempts = job.opts.attempts ?? 1;
    if (job.attemptsMade + 1 < attempts || dream === null) throw error;
    const failure = toNocturneError(error);
    return { status: (await finish(deps, { kind: "failed", dream, state: null, error: failure })).status };
  }
}
