import { addUsage, type ConsolidationModel, emptyUsage, type ModelCallContext, toNocturneError } from "@nocturne/core";
import { checkEvidence, dreamTimeoutError, indexChunk } from "@nocturne/core/internals";
import { type Job, Worker } from "bullmq";
import { type DreamBudget, overBudget } from "./dream-budget.js";
import type { DreamEvents } from "./dream-events.js";
import type { DreamFlags } from "./dream-flags.js";
import type { DreamRecords } from "./dream-records.js";
import type { DreamUsage } from "./dream-usage.js";
import type { ModelCall, ModelCallJobData, ModelCallOutcome } from "./model-calls.js";

/** What a model-call job needs from its worker process. */
export interface ModelCallDeps {
  model: ConsolidationModel;
  events: DreamEvents;
  usage: DreamUsage;
  flags: DreamFlags;
  records: DreamRecords;
  /** Pauses the model-call queue for every worker (a provider asked us to slow down). */
  pauseAll(ms: number): Promise<void>;
}

function invoke(model: ConsolidationModel, call: ModelCall, context: ModelCallContext): Promise<unknown> {
  if (call.kind === "extract") return model.extract(call.source, context);
  if (call.kind === "judge") return model.judge(call.pairs, context);
  return model.synthesize(call.facts, context);
}

/** Facts of a transcript chunk whose evidence checks out (for the chunk event; the parent checks them again). */
function acceptedCount(call: ModelCall, value: unknown): number {
  if (call.kind !== "extract" || call.source.type !== "transcript" || !Array.isArray(value)) return 0;
  const { chunk } = call.source;
  const index = indexChunk(chunk);
  return value.filter((fact, ordinal) => "candidate" in checkEvidence(fact, index, chunk.key, ordinal)).length;
}

/**
 * Runs one model call of a dream in a child job. Answers and non-retryable errors are returned as the job's value
 * (the parent replays them); retryable errors are thrown while attempts remain, so BullMQ retries with backoff;
 * a provider's `retry-after` pauses the whole queue. A canceled dream's calls return at once, and a cancel that
 * arrives mid-call aborts it through `signal`.
 */
export async function runModelCall(
  job: Job<ModelCallJobData, ModelCallOutcome>,
  signal: AbortSignal,
  deps: ModelCallDeps,
): Promise<ModelCallOutcome> {
  const { dreamId, callKey, call, instructions, budget } = job.data;
  if (await deps.flags.isCanceled(dreamId)) return { callKey, status: "canceled" };
  if (budget && overBudget(budget)) return timedOut(callKey, budget);
  const budgetSignal = budget && AbortSignal.timeout(budget.deadline - Date.now());
  const used = emptyUsage();
  const declined: Array<{ reason: string; text: string }> = [];
  const context: ModelCallContext = {
    signal: budgetSignal ? AbortSignal.any([signal, budgetSignal]) : signal,
    instructions,
    reportUsage: (usage) => addUsage(used, usage),
    decline: (entry) => declined.push({ reason: entry.reason, text: entry.text }),
  };
  const recordUsage = () => deps.usage.record(dreamId, `${callKey}#${job.attemptsMade}`, used);
  try {
    const value = await invoke(deps.model, call, context);
    await recordUsage();
    if (call.kind === "extract" && call.source.type === "transcript") {
      const chunk = call.source.chunk;
      await deps.events.emit(
        dreamId,
        {
          type: "chunk",
          chunk_key: chunk.key,
          session_id: chunk.sessionId,
          done: 0,
          total: job.data.chunkTotal,
          facts: acceptedCount(call, value),
        },
        `chunk:${chunk.key}`,
      );
    }
    await deps.events.emit(dreamId, { type: "usage", usage: await deps.usage.total(dreamId) });
    await deps.records.touch(dreamId).catch(() => undefined);
    return { callKey, status: "ok", value, ...(declined.length > 0 ? { declined } : {}) };
  } catch (thrown) {
    await recordUsage();
    if (budget && budgetSignal?.aborted) return timedOut(callKey, budget);
    const error = toNocturneError(thrown);
    if (signal.aborted || error.code === "aborted") {
      if (await deps.flags.isCanceled(dreamId)) return { callKey, status: "canceled" };
      throw error;
    }
    const attempts = job.opts.attempts ?? 1;
    if (error.code === "model_rate_limited" && error.retryAfterMs && job.attemptsStarted <= attempts * 4) {
      await deps.pauseAll(error.retryAfterMs);
      throw Worker.RateLimitError();
    }
    if (error.retryable && job.attemptsMade + 1 < attempts) throw error;
    return {
      callKey,
      status: "error",
      error: { code: error.code, message: error.message, details: error.details },
    };
  }
}

/** The outcome of a call its dream's budget ran out on: an error the parent's replay fails the dream with. */
function timedOut(callKey: string, budget: DreamBudget): ModelCallOutcome {
  const { code, message, details } = dreamTimeoutError(budget.timeoutMs).toJSON();
  return { callKey, status: "error", error: { code, message, details } };
}
