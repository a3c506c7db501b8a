import {
  type Dream,
  type DreamLimits,
  type DreamService,
  type DreamsApi,
  isTerminalStatus,
  NocturneError,
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

  const runner: DreamRunner = {
    defaultModelId: options.modelId ?? OFFLINE_MODEL_ID,

    async admit(dream) {
      if (dream.output_behavior.type === "update_existing") {
        throw new NocturneError(
          "capability_not_supported",
          "output_behavior update_existing runs on the in-process engine (createNocturne) only; the BullMQ runner writes a new store. Leave output_behavior out, or run the dream in process.",
          { details: { output_behavior: dream.output_behavior } },
        );
      }
      return () => undefined;
    },

    async start({ dream, request, read, snapshot, timeoutMs, options: createOptions }) {
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
      const outputId = stored.dream.outputs[0]?.memory_store_id ?? (await flags.outputStoreId(id));
      if (outputId) await storage.setMemoryStoreLock(outputId, null).catch(() => undefined);
      const job = await queue.getJob(id);
      await job?.removeUnprocessedChildren().catch(() => undefined);
      return stored.dream;
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
