import {
  type Dream,
  type DreamLimits,
  type DreamService,
  type DreamsApi,
  isTerminalStatus,
  OFFLINE_MODEL_ID,
  type StorageAdapter,
  type ToolResultTokens,
  toNocturneError,
} from "@nocturne/core";
import {
  createDreamsApi,
  type DreamRunner,
  dreamDeadline,
  dreamNotCancelable,
  initialReportInputs,
  sleep,
  toolResultTokensOf,
} from "@nocturne/core/internals";
import { Queue } from "bullmq";
import { DreamEvents } from "./dream-events.js";
import { DreamFlags } from "./dream-flags.js";
import { DreamRecords, reportOf } from "./dream-records.js";
import { DreamUsage } from "./dream-usage.js";
import { fingerprintOf } from "./input-fingerprint.js";
import { cancelChannel, DREAM_QUEUE } from "./redis-keys.js";
import type { DreamJobData } from "./run-dream-job.js";
import { openRedis, type RunnerConnectionOptions, resolveConnection } from "./runner-options.js";
import { StoreClaims } from "./store-claims.js";

/** How long a cancel waits for the worker running the dream to stop it (it stops at its next step). */
const CANCEL_ACK_TIMEOUT_MS = 30_000;

/** Polls `check` until it holds (true) or `timeoutMs` passed (false). */
async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
}

/** How to open the client side of a distributed deployment (any process that starts or watches dreams). */
export interface DistributedNocturneOptions extends RunnerConnectionOptions {
  /** The storage every worker uses too (e.g. the PostgreSQL adapter). */
  storage: StorageAdapter;
  /**
   * A pending dream's `model.id` when the request names none, until a worker starts it and records its own model's
   * id (as in-process, a dream says which model ran it). Default `offline`.
   */
  modelId?: string;
  /** Token budget of one transcript chunk. Default: the workers' model's, as in-process (`defaultChunkTokens`). */
  chunkTokens?: number;
  /** Most tokens of one tool result extraction reads, as in-process (`NocturneOptions.toolResultTokens`). */
  toolResultTokens?: ToolResultTokens;
  limits?: DreamLimits;
  /** Attempts of a dream job whose worker throws unexpectedly (a dead worker does not count). Default 3. */
  dreamAttempts?: number;
}

/** The dreams API, run on BullMQ workers instead of this process; an HTTP server can serve it (`DreamService`). */
export interface DistributedNocturne extends DreamService {
  readonly storage: StorageAdapter;
  readonly dreams: DreamsApi;
  /** Closes this client's Redis connections (workers and storage are closed by their owners). */
  close(): Promise<void>;
}

/**
 * The dreams API of the hosted shape (`create`, `retrieve`, `list`, `cancel`, `archive`, `events`, `wait`,
 * `report`), where `create` validates and snapshots the inputs here, records the dream, and hands it to the
 * BullMQ workers (see `createDreamWorker`). Status, usage, report and events are read from storage and Redis,
 * so any process can follow any dream.
 */
export function createDistributedNocturne(options: DistributedNocturneOptions): DistributedNocturne {
  const toolResultTokens = toolResultTokensOf(options.toolResultTokens);
  const connection = resolveConnection(options);
  const { prefix } = connection;
  const { storage } = options;
  const redis = openRedis(connection);
  const events = new DreamEvents(redis, prefix);
  const flags = new DreamFlags(redis, prefix);
  const usage = new DreamUsage(redis, prefix);
  const records = new DreamRecords(storage, redis, prefix, usage);
  const queue = new Queue<DreamJobData, unknown, string>(DREAM_QUEUE, { connection: connection.bullmq, prefix });

  const claims = new StoreClaims(redis, prefix);

  /**
   * Whether a dream has fully stopped: its job ended (or is gone), or its stored dream ended and no worker runs
   * its job (a canceled dream's job stops at its next step, and a later run of it writes nothing).
   */
  const stopped = async (id: string): Promise<boolean> => {
    const state = await queue.getJobState(id);
    if (state === "completed" || state === "failed" || state === "unknown") return true;
    if (state === "active") return false;
    const record = await storage.getDreamRecord(id, { report: false });
    return record === null || isTerminalStatus(record.dream.status);
  };

  const runner: DreamRunner = {
    defaultModelId: options.modelId ?? OFFLINE_MODEL_ID,

    async admit(dream) {
      const behavior = dream.output_behavior;
      if (behavior.type !== "update_existing") return () => undefined;
      await claims.claim(behavior.memory_store_id, dream.id, stopped);
      return () => void claims.release(behavior.memory_store_id, dream.id).catch(() => undefined);
    },

    async start({ dream, request, read, snapshot, timeoutMs, options: createOptions }) {
      const updating = dream.output_behavior.type === "update_existing" ? dream.output_behavior.memory_store_id : null;
      await storage.putDreamRecord({
        dream,
        report: reportOf(dream, initialReportInputs(dream, snapshot)),
        owner: records.owner(),
      });
      await events.emit(dream.id, { type: "status", status: "pending" }, "status:pending");
      try {
        await queue.add(
          "dream",
          {
            dreamId: dream.id,
            request,
            fingerprint: fingerprintOf(read),
            ...(updating === null ? {} : { inputMemories: read.memories }),
            ...(options.chunkTokens === undefined ? {} : { chunkTokens: options.chunkTokens }),
            toolResultTokens,
            limits: options.limits ?? {},
            force: createOptions.force === true,
            budget: { timeoutMs, deadline: dreamDeadline(dream, timeoutMs) },
          },
          {
            jobId: dream.id,
            attempts: options.dreamAttempts ?? 3,
            backoff: { type: "exponential", delay: 1000 },
            removeOnComplete: { age: 24 * 3600 },
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        );
      } catch (thrown) {
        const error = toNocturneError(thrown, "storage_error");
        const failed: Dream = {
          ...dream,
          status: "failed",
          ended_at: new Date().toISOString(),
          error: {
            type: "internal_error",
            message: `The dream could not be queued: ${error.message}. Check Redis and start it again.`,
          },
        };
        await storage.putDreamRecord({ dream: failed, report: null, owner: null }).catch(() => undefined);
        throw error;
      }
      if (updating !== null) await claims.keep(updating, dream.id);
      createOptions.signal?.addEventListener("abort", () => void dreams.cancel(dream.id).catch(() => undefined), {
        once: true,
      });
    },

    async retrieve(id) {
      const record = await storage.getDreamRecord(id);
      if (!record || isTerminalStatus(record.dream.status)) return record?.dream ?? null;
      return { ...record.dream, usage: await usage.total(id) };
    },

    running: () => null,

    async cancel(id) {
      await flags.markCanceled(id);
      await redis.publish(cancelChannel(prefix), id);
      const stored = await records.update(id, (record) => {
        const { dream } = record;
        if (dream.status === "canceled") return null;
        if (dream.status === "completed" || dream.status === "failed") throw dreamNotCancelable(dream);
        return { ...record, dream: { ...dream, status: "canceled", ended_at: new Date().toISOString() }, owner: null };
      });
      await events.emit(id, { type: "status", status: stored.dream.status }, "status:end");
      const behavior = stored.dream.output_behavior;
      if (behavior?.type === "update_existing") {
        // As in process, the cancel returns once the dream fully stopped: its writes so far kept, the store free.
        // A worker that does not stop in time keeps the store until its job ends (it releases it then).
        const done = await until(() => stopped(id), CANCEL_ACK_TIMEOUT_MS);
        if (done && (await claims.release(behavior.memory_store_id, id))) {
          await storage.setMemoryStoreLock(behavior.memory_store_id, null).catch(() => undefined);
        }
      } else {
        const outputId = stored.dream.outputs[0]?.memory_store_id ?? (await flags.outputStoreId(id));
        if (outputId) await storage.setMemoryStoreLock(outputId, null).catch(() => undefined);
      }
      const job = await queue.getJob(id);
      await job?.removeUnprocessedChildren().catch(() => undefined);
      return (await storage.getDreamRecord(id))?.dream ?? stored.dream;
    },

    report: () => null,

    async events(id, signal) {
      return (await events.exists(id)) ? events.read(id, signal) : null;
    },

    updateRecord: (id, change) => records.update(id, change),
  };
  const dreams = createDreamsApi(storage, runner, options.limits);

  return {
    storage,
    dreams,
    async close() {
      await queue.close();
      await redis.quit().catch(() => undefined);
    },
  };
}
