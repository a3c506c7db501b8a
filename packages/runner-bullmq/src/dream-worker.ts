import { hostname } from "node:os";
import {
  type ConsolidationModel,
  createTiktokenTokenizer,
  DREAM_DEFAULTS,
  type LanguageModel,
  type Redactor,
  type RetryOptions,
  redactSecrets,
  type StorageAdapter,
  type Tokenizer,
} from "@nocturne/core";
import { defaultChunkTokens, guardModel, resolveModel } from "@nocturne/core/internals";
import { type Job, Queue, Worker } from "bullmq";
import { DreamEvents } from "./dream-events.js";
import { DreamFlags } from "./dream-flags.js";
import { DreamRecords } from "./dream-records.js";
import { DreamUsage } from "./dream-usage.js";
import type { ModelCallJobData, ModelCallOutcome } from "./model-calls.js";
import { cancelChannel, DREAM_QUEUE, MODEL_CALL_QUEUE } from "./redis-keys.js";
import type { PendingCall } from "./replay-model.js";
import { type DreamJobData, type DreamJobDeps, endFailedJob, runDreamJob } from "./run-dream-job.js";
import { runModelCall } from "./run-model-call.js";
import { openRedis, type RunnerConnectionOptions, resolveConnection } from "./runner-options.js";
import { StoreClaims } from "./store-claims.js";

/** A global cap on model calls: at most `max` calls start per `durationMs`, across every worker of the deployment. */
export interface ModelRateLimit {
  max: number;
  durationMs: number;
}

/** How to start a dream worker. Every worker of one deployment must use the same storage, model and prefix. */
export interface DreamWorkerOptions extends RunnerConnectionOptions {
  storage: StorageAdapter;
  /**
   * The model that runs the calls: a ConsolidationModel, or a LanguageModel wrapped with Nocturne's prompts.
   * Default: the offline rule-based model, which every dream then names in a notice (as in-process).
   */
  model?: ConsolidationModel | LanguageModel;
  /** Token counting for chunk budgets. Default: tiktoken. */
  tokenizer?: Tokenizer;
  /** Secret redaction before any model sees text. Default: `redactSecrets`. */
  redact?: Redactor;
  /** Model calls this process runs at once. Default 4. */
  modelConcurrency?: number;
  /** Dream (parent) jobs this process runs at once; they only replay and write, so they are short. Default 2. */
  dreamConcurrency?: number;
  /** One rate limit for model calls, shared by every worker on this Redis and prefix. Default: none. */
  rateLimit?: ModelRateLimit;
  /** Retries of a failed model call (as BullMQ attempts with exponential backoff). Default 4 retries from 500 ms. */
  retry?: RetryOptions;
  /**
   * Deadline of one model call, in milliseconds (`model_timeout`, retried); every call also stops when its dream is
   * canceled, and its output is checked against the schemas (see `guardModel`). Default 600,000.
   */
  callTimeoutMs?: number;
  /** How long a job's lock lasts without renewal: a dead worker's job is taken over after about this. Default 30 s. */
  lockDurationMs?: number;
  /** How often workers look for stalled jobs. Default 15 s. */
  stalledIntervalMs?: number;
  /** How many times one job may be taken over from a dead worker before it fails. Default 3. */
  maxStalledCount?: number;
  /** How long a finished dream's events stay readable in Redis. Default 7 days. */
  retainMs?: number;
  /** Shown in BullMQ as the worker's name. Default `<host>:<pid>`. */
  name?: string;
  /** Called with errors the workers could not attach to a job (lost connections and the like). */
  onError?: (error: Error) => void;
}

/** A running worker process's share of the deployment. */
export interface DreamWorker {
  readonly name: string;
  /** Stops taking jobs, waits for the ones running, and closes connections. */
  close(): Promise<void>;
}

/**
 * Starts the workers of one process: model-call jobs (`modelConcurrency` at a time, under the global rate limit)
 * and dream jobs. Run it in as many processes, on as many machines, as you like; they share the work through
 * Redis and cancel together.
 */
export async function createDreamWorker(options: DreamWorkerOptions): Promise<DreamWorker> {
  const connection = resolveConnection(options);
  const { prefix } = connection;
  const redis = openRedis(connection);
  const subscriber = openRedis(connection);
  const { model, notice: modelNotice } = resolveModel(options.model);
  // Model calls run under a deadline and their job's signal, with typed errors and schema-checked output.
  const guardedModel = guardModel(model, { callTimeoutMs: options.callTimeoutMs ?? DREAM_DEFAULTS.callTimeoutMs });
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const retries = options.retry?.retries ?? DREAM_DEFAULTS.retry.retries;
  const retainMs = options.retainMs ?? 7 * 24 * 3600 * 1000;
  const lockDuration = options.lockDurationMs ?? 30_000;
  const workerDefaults = {
    connection: connection.bullmq,
    prefix,
    name,
    lockDuration,
    stalledInterval: options.stalledIntervalMs ?? Math.max(1000, Math.floor(lockDuration / 2)),
    maxStalledCount: options.maxStalledCount ?? 3,
    drainDelay: 1,
  };

  const tokenizer = options.tokenizer ?? createTiktokenTokenizer();
  const events = new DreamEvents(redis, prefix);
  const flags = new DreamFlags(redis, prefix);
  const usage = new DreamUsage(redis, prefix);
  const records = new DreamRecords(options.storage, redis, prefix, usage);
  const claims = new StoreClaims(redis, prefix);
  const callQueue = new Queue<ModelCallJobData, ModelCallOutcome, string>(MODEL_CALL_QUEUE, {
    connection: connection.bullmq,
    prefix,
  });
  const active = new Map<string, Map<string, Worker>>();
  const track = (dreamId: string, jobId: string, worker: Worker) => {
    const jobs = active.get(dreamId) ?? new Map<string, Worker>();
    jobs.set(jobId, worker);
    active.set(dreamId, jobs);
    return () => {
      jobs.delete(jobId);
      if (jobs.size === 0) active.delete(dreamId);
    };
  };

  const callWorker: Worker<ModelCallJobData, ModelCallOutcome> = new Worker(
    MODEL_CALL_QUEUE,
    async (job: Job<ModelCallJobData, ModelCallOutcome>, _token?: string, signal?: AbortSignal) => {
      const untrack = track(job.data.dreamId, job.id ?? "", callWorker as Worker);
      try {
        return await runModelCall(job, signal ?? new AbortController().signal, {
          model: guardedModel,
          events,
          usage,
          flags,
          records,
          pauseAll: (ms) => callWorker.rateLimit(ms),
        });
      } finally {
        untrack();
      }
    },
    {
      ...workerDefaults,
      concurrency: options.modelConcurrency ?? DREAM_DEFAULTS.concurrency,
      limiter: options.rateLimit ? { max: options.rateLimit.max, duration: options.rateLimit.durationMs } : undefined,
    },
  );

  const addCalls = async (parent: Job<DreamJobData>, calls: PendingCall[], chunkTotal: number) => {
    if (!parent.id) throw new Error("a dream job has no id");
    await callQueue.addBulk(
      calls.map((pending) => ({
        name: pending.call.kind,
        data: {
          dreamId: parent.data.dreamId,
          callKey: pending.callKey,
          instructions: parent.data.request.instructions,
          call: pending.call,
          chunkTotal,
          ...(parent.data.budget === undefined ? {} : { budget: parent.data.budget }),
        },
        opts: {
          jobId: pending.jobId,
          parent: { id: parent.id as string, queue: parent.queueQualifiedName },
          attempts: retries + 1,
          backoff: { type: "exponential", delay: options.retry?.baseDelayMs ?? 500 },
          ignoreDependencyOnFailure: true,
          removeOnComplete: true,
          removeOnFail: { age: Math.ceil(retainMs / 1000) },
        },
      })),
    );
  };

  const dreamDeps: DreamJobDeps = {
    storage: options.storage,
    tokenizer,
    redact: options.redact ?? redactSecrets,
    model: { id: model.id, offline: model.offline },
    defaultChunkTokens: defaultChunkTokens(options.model),
    modelNotice,
    events,
    flags,
    records,
    claims,
    retainMs,
    addCalls,
  };
  const dreamWorker: Worker<DreamJobData> = new Worker(
    DREAM_QUEUE,
    async (job: Job<DreamJobData>, token?: string, signal?: AbortSignal) => {
      const untrack = track(job.data.dreamId, job.id ?? "", dreamWorker as Worker);
      try {
        return await runDreamJob(job, token ?? "", signal ?? new AbortController().signal, dreamDeps);
      } finally {
        untrack();
      }
    },
    { ...workerDefaults, concurrency: options.dreamConcurrency ?? 2 },
  );

  const report = (error: Error) => options.onError?.(error);
  callWorker.on("error", report);
  dreamWorker.on("error", report);
  dreamWorker.on("failed", (job, error) => {
    if (job) void endFailedJob(job, error.message, dreamDeps).catch(report);
  });
  redis.on("error", report);
  subscriber.on("error", report);

  await subscriber.subscribe(cancelChannel(prefix));
  subscriber.on("message", (_channel: string, dreamId: string) => {
    for (const [jobId, worker] of active.get(dreamId) ?? []) worker.cancelJob(jobId, "the dream was canceled");
  });
  await Promise.all([callWorker.waitUntilReady(), dreamWorker.waitUntilReady()]);

  return {
    name,
    async close() {
      await Promise.all([dreamWorker.close(), callWorker.close()]);
      await callQueue.close();
      subscriber.disconnect();
      await redis.quit().catch(() => undefined);
    },
  };
}
