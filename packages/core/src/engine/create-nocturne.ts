import { setMaxListeners } from "node:events";
import { hostname } from "node:os";
import { DREAM_DEFAULTS, defaultChunkTokens, toolResultTokensOf } from "../defaults.js";
import { NocturneError, toNocturneError } from "../errors.js";
import { guardModel } from "../model/guard-model.js";
import {
  buildReportSteps,
  createReportCache,
  initialReportInputs,
  type ReportCache,
  type ReportInputs,
} from "../pipeline/build-report.js";
import { runPipeline } from "../pipeline/run-pipeline.js";
import type { InputSnapshot } from "../pipeline/snapshot-inputs.js";
import type { DreamRecord } from "../ports/storage-adapter.js";
import type { Tokenizer } from "../ports/tokenizer.js";
import { addUsage } from "../schemas/common.js";
import { type Dream, isTerminalStatus } from "../schemas/dream.js";
import type { DreamEvent, DreamEventBody } from "../schemas/dream-event.js";
import type { ConsolidationReport } from "../schemas/report.js";
import { redactSecrets } from "../security/redact-secrets.js";
import { createTiktokenTokenizer } from "../tokenizer/tiktoken-tokenizer.js";
import { createPacer } from "../util/pacer.js";
import { sleep, withRetry } from "../util/retry.js";
import { nowIso, timeOf } from "../util/time.js";
import { dreamErrorOf } from "./dream-error.js";
import { dreamConflict } from "./dream-lifecycle-errors.js";
import type { DreamRunner } from "./dream-runner.js";
import { dreamDeadline, dreamTimeoutError } from "./dream-timeout.js";
import { createDreamsApi } from "./dreams-api.js";
import { EndedEventLogs, EventLog } from "./event-log.js";
import { requireDreamRecord } from "./require-dream-record.js";
import { resolveModel } from "./resolve-model.js";
import type { Nocturne, NocturneOptions } from "./types.js";

const HEARTBEAT_MS = 10_000;
/** How long a cancel waits for the process running the dream to acknowledge it (a few heartbeats). */
const CANCEL_ACK_TIMEOUT_MS = 3 * HEARTBEAT_MS;
/** How often a dream run by another process is polled. */
const POLL_MS = 250;
/** A dream whose owner has not written a heartbeat for this long is taken as abandoned by `recover()`. */
const STALE_AFTER_MS = 60_000;

/** The owner stamp's `runner` for dreams this engine runs. */
const IN_PROCESS_RUNNER = "in-process";

let defaultTokenizer: Tokenizer | undefined;

/** The default tiktoken tokenizer, shared by every engine of the process; its encoder loads on a dream's first count. */
function sharedTokenizer(): Tokenizer {
  defaultTokenizer ??= createTiktokenTokenizer();
  return defaultTokenizer;
}

/** Final record writes are retried on transient storage errors (`storage_busy`), so an ended dream never stays `running`. */
const FINAL_WRITE_RETRY = { retries: 6, baseDelayMs: 50, maxDelayMs: 2000 };

/** A dream this engine is running. */
interface LiveDream {
  dream: Dream;
  state: ReportInputs;
  log: EventLog;
  controller: AbortController;
  finished: Promise<void>;
  /** The last record write; writes are chained so an older snapshot never lands after a newer one. */
  persisted: Promise<void>;
  /** The report of the last record written, which heartbeats write again instead of building a new one. */
  written?: ConsolidationReport;
  /** Fact indexes shared by the reports of this dream. */
  reportCache: ReportCache;
  /** The dream's runtime budget, in milliseconds. */
  timeoutMs: number;
  /** Lets another `update_existing` dream take the store; called once this dream fully stopped. */
  release: () => void;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Creates a Nocturne engine over a storage adapter and a model (the offline rule-based model when none is given).
 * Dreams run in this process; with a persistent adapter their records survive it.
 */
export function createNocturne(options: NocturneOptions): Nocturne {
  const { storage } = options;
  const toolResultTokens = toolResultTokensOf(options.toolResultTokens);
  const { model, notice: modelNotice } = resolveModel(options.model);
  const getTokenizer = () => options.tokenizer ?? sharedTokenizer();
  const live = new Map<string, LiveDream>();
  const ended = new EndedEventLogs();
  /** Stores an `update_existing` dream of this engine writes, until it fully stopped: store id → dream id. */
  const updating = new Map<string, string>();
  const owner = { runner: IN_PROCESS_RUNNER, host: hostname(), pid: process.pid };

  /**
   * The report of a dream as it stands (sharing the state's objects), built in paced steps; stops with `aborted` once
   * `signal` fires.
   */
  const reportOf = (entry: LiveDream, dream: Dream, signal?: AbortSignal): Promise<ConsolidationReport> =>
    createPacer(signal).run(
      buildReportSteps(
        {
          ...entry.state,
          status: dream.status,
          endedAt: dream.ended_at,
          usage: dream.usage,
          error: dream.error,
        },
        entry.reportCache,
      ),
    );
  /**
   * Writes a dream's record: the dream as it is now and its report, built in paced steps when the write's turn comes
   * (a heartbeat writes the last one again instead of building one). The report shares the state's objects; the
   * adapter copies it as it writes, while the pipeline waits at its checkpoint. While the dream runs, a stored
   * `canceled` is a cancel request from another process: it is honoured (the dream aborts) instead of overwritten.
   * A record of a running dream is given up when the dream is stopped while its report is built: the final record
   * follows at once, so a cancel does not wait for a report that is about to be replaced.
   */
  const persist = (entry: LiveDream, { heartbeat = false } = {}): Promise<void> => {
    const dream = structuredClone(entry.dream);
    const write = async () => {
      const terminal = isTerminalStatus(dream.status);
      const { signal } = entry.controller;
      let report: ConsolidationReport;
      try {
        report =
          heartbeat && entry.written !== undefined
            ? entry.written
            : await reportOf(entry, dream, terminal ? undefined : signal);
      } catch (error) {
        if (!terminal && signal.aborted) return;
        throw error;
      }
      entry.written = report;
      if (!terminal) {
        const stored = await storage.getDreamRecord(dream.id, { report: false });
        if (stored?.dream.status === "canceled") {
          entry.controller.abort(new NocturneError("aborted", "Canceled from another process."));
          return;
        }
      }
      await storage.putDreamRecord({ dream, report, owner: terminal ? null : { ...owner, heartbeat_at: nowIso() } });
    };
    entry.persisted = entry.persisted.catch(() => undefined).then(write);
    return entry.persisted;
  };

  const emit = (entry: LiveDream, body: DreamEventBody) => {
    entry.log.push({ ...body, dream_id: entry.dream.id, seq: entry.log.length, at: nowIso() } as DreamEvent);
  };

  async function run(entry: LiveDream, snapshot: InputSnapshot): Promise<void> {
    const { dream, state, controller } = entry;
    // Every call of this dream runs under a deadline and the dream's signal, its output checked against the schemas.
    const dreamModel = guardModel(model, {
      callTimeoutMs: options.callTimeoutMs ?? DREAM_DEFAULTS.callTimeoutMs,
      onNotice: (message) => {
        state.notices.push(message);
        emit(entry, { type: "notice", message });
      },
    });
    // The first call that fails for good fails the dream: the signal stops queued calls and aborts those in flight.
    let failure: NocturneError | undefined;
    const fail = (error: NocturneError) => {
      if (failure !== undefined || controller.signal.aborted || error.code === "aborted") return;
      failure = error;
      controller.abort(error);
    };
    const giveUp = (error: NocturneError) => {
      options.retry?.onGiveUp?.(error);
      fail(error);
    };
    const budget = setTimeout(
      () => fail(dreamTimeoutError(entry.timeoutMs)),
      dreamDeadline(dream, entry.timeoutMs) - Date.now(),
    );
    const heartbeat = setInterval(() => void persist(entry, { heartbeat: true }).catch(() => undefined), HEARTBEAT_MS);
    heartbeat.unref();
    try {
      if (controller.signal.aborted) throw new NocturneError("aborted", "The dream was canceled before it started.");
      dream.status = "running";
      emit(entry, { type: "status", status: "running" });
      if (modelNotice) {
        state.notices.push(modelNotice);
        emit(entry, { type: "notice", message: modelNotice });
      }
      await persist(entry);
      await runPipeline(
        {
          storage,
          model: dreamModel,
          tokenizer: getTokenizer(),
          snapshot,
          settings: {
            concurrency: options.concurrency ?? DREAM_DEFAULTS.concurrency,
            chunkTokens: options.chunkTokens ?? defaultChunkTokens(options.model),
            toolResultTokens,
            retry: { ...options.retry, onGiveUp: giveUp },
          },
          instructions: dream.instructions,
          signal: controller.signal,
          redact: options.redact ?? redactSecrets,
          emit: (body) => {
            if (body.type === "notice") state.notices.push(body.message);
            emit(entry, body);
          },
          addUsage: (usage) => {
            addUsage(dream.usage, usage);
            emit(entry, { type: "usage", usage: { ...dream.usage } });
          },
          checkpoint: async (stage) => {
            if (controller.signal.aborted) throw new NocturneError("aborted", "The dream was canceled.");
            emit(entry, { type: "stage", stage });
            await persist(entry);
            if (controller.signal.aborted) throw new NocturneError("aborted", "The dream was canceled.");
          },
          updateExisting: dream.output_behavior.type === "update_existing",
          createOutputStore: async () => {
            if (dream.output_behavior.type === "update_existing") {
              await storage.setMemoryStoreLock(snapshot.store.id, dream.id);
              dream.outputs = [{ type: "memory_store", memory_store_id: snapshot.store.id }];
              await persist(entry);
              return snapshot.store.id;
            }
            const output = await storage.createMemoryStore({
              name: `${snapshot.store.name} (dream)`.slice(0, 255),
              description: `Consolidated by Nocturne dream ${dream.id} from ${snapshot.store.id}.`,
              metadata: { nocturne_dream_id: dream.id, nocturne_input_store_id: snapshot.store.id },
            });
            await storage.setMemoryStoreLock(output.id, dream.id);
            dream.outputs = [{ type: "memory_store", memory_store_id: output.id }];
            await persist(entry);
            return output.id;
          },
        },
        state,
      );
      emit(entry, { type: "stage", stage: "report" });
      dream.status = "completed";
    } catch (thrown) {
      const error = failure ?? toNocturneError(thrown);
      if (failure === undefined && (controller.signal.aborted || error.code === "aborted")) {
        dream.status = "canceled";
      } else {
        dream.status = "failed";
        dream.error = dreamErrorOf(error);
        emit(entry, { type: "error", error: dream.error });
      }
      // Whatever stopped the dream stops the rest of it: no queued call starts, calls in flight are aborted.
      if (!controller.signal.aborted) controller.abort(error);
    } finally {
      clearInterval(heartbeat);
      clearTimeout(budget);
      // Calls abandoned on the way out may still report usage; wait briefly so the record counts it.
      await dreamModel.settled();
      dream.ended_at = nowIso();
      const outputStoreId = state.outputStoreId;
      if (outputStoreId !== null) {
        await withRetry(() => storage.setMemoryStoreLock(outputStoreId, null), FINAL_WRITE_RETRY).catch(
          () => undefined,
        );
      }
      await withRetry(() => persist(entry), FINAL_WRITE_RETRY).catch(() => undefined);
      emit(entry, { type: "status", status: dream.status });
      entry.log.close();
      ended.add(dream.id, entry.log);
      live.delete(dream.id);
      entry.release();
    }
  }

  /**
   * After a cancel request for a dream another live process runs: waits until that process has written its final
   * record (it aborts at its next record write, within the heartbeat interval) and returns it.
   */
  async function awaitOwner(id: string, timeoutMs: number): Promise<Dream> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const record = await requireDreamRecord(storage, id);
      if (!record.owner || Date.now() > deadline) return record.dream;
      await sleep(POLL_MS);
    }
  }

  const runner: DreamRunner = {
    defaultModelId: model.id,

    async admit(dream) {
      const release = claimStore(dream);
      try {
        await assertNoOtherUpdate(dream);
      } catch (error) {
        release();
        throw error;
      }
      return release;
    },

    async start({ dream, snapshot, timeoutMs, options: createOptions, release }) {
      const controller = new AbortController();
      setMaxListeners(0, controller.signal);
      const entry: LiveDream = {
        dream,
        state: initialReportInputs(dream, snapshot),
        log: new EventLog(),
        controller,
        finished: Promise.resolve(),
        persisted: Promise.resolve(),
        reportCache: createReportCache(),
        timeoutMs,
        release,
      };
      emit(entry, { type: "status", status: "pending" });
      await persist(entry);
      live.set(dream.id, entry);
      createOptions.signal?.addEventListener("abort", () => controller.abort(createOptions.signal?.reason), {
        once: true,
      });
      entry.finished = new Promise<void>((resolve) => setImmediate(resolve)).then(() => run(entry, snapshot));
    },

    async retrieve(id) {
      const entry = live.get(id);
      return entry ? structuredClone(entry.dream) : null;
    },

    running(id) {
      const entry = live.get(id);
      return entry ? entry.finished.then(() => structuredClone(entry.dream)) : null;
    },

    async cancel(id, record, cancelOptions) {
      const entry = live.get(id);
      if (entry) {
        entry.controller.abort(new NocturneError("aborted", "Canceled by request."));
        await entry.finished;
        return structuredClone(entry.dream);
      }
      if (record === null) return (await requireDreamRecord(storage, id)).dream;
      const canceled: Dream = { ...record.dream, status: "canceled", ended_at: nowIso() };
      await storage.putDreamRecord({ ...record, dream: canceled });
      if (abandoned(record)) return canceled;
      return awaitOwner(id, cancelOptions.timeoutMs ?? CANCEL_ACK_TIMEOUT_MS);
    },

    report(id) {
      const entry = live.get(id);
      return entry ? reportOf(entry, entry.dream) : null;
    },

    async events(id, signal) {
      const log = live.get(id)?.log ?? ended.get(id);
      return log ? log.read(signal) : null;
    },
  };
  const dreams = createDreamsApi(storage, runner, options.limits);

  return {
    storage,
    model,
    dreams,

    async recover() {
      const failed: Dream[] = [];
      let after: string | undefined;
      do {
        const page = await storage.listDreams({ include_archived: true, limit: 1000, after });
        for (const listed of page.data) {
          if (isTerminalStatus(listed.status) || live.has(listed.id)) continue;
          const record = await storage.getDreamRecord(listed.id);
          if (!record || !abandoned(record)) continue;
          const outputId = record.dream.outputs[0]?.memory_store_id ?? null;
          const dream: Dream = {
            ...record.dream,
            status: "failed",
            ended_at: nowIso(),
            error: {
              type: "internal_error",
              message: `The process running this dream stopped before it finished (it crashed or was killed).${outputId ? ` Its partial output store ${outputId} was kept as written.` : ""} Start a new dream to retry.`,
            },
          };
          if (outputId) await storage.setMemoryStoreLock(outputId, null).catch(() => undefined);
          const report = record.report
            ? { ...record.report, status: dream.status, endedAt: dream.ended_at, error: dream.error }
            : null;
          await storage.putDreamRecord({ dream, report, owner: null });
          failed.push(dream);
        }
        after = page.next_cursor ?? undefined;
      } while (after !== undefined);
      return failed;
    },

    async close() {
      const running = [...live.values()];
      for (const entry of running) entry.controller.abort(new NocturneError("aborted", "The engine was closed."));
      await Promise.all(running.map((entry) => entry.finished));
      await storage.close?.();
    },
  };

  /**
   * For an `update_existing` dream: claims its store in this engine, or throws `conflict` when one of this engine's
   * dreams holds it. Returns the release (a no-op for `create_new`).
   */
  function claimStore(dream: Dream): () => void {
    if (dream.output_behavior.type !== "update_existing") return () => undefined;
    const storeId = dream.output_behavior.memory_store_id;
    const holder = updating.get(storeId);
    if (holder !== undefined) throw dreamConflict(storeId, holder);
    updating.set(storeId, dream.id);
    return () => {
      if (updating.get(storeId) === dream.id) updating.delete(storeId);
    };
  }

  /**
   * Throws `conflict` when a dream recorded in storage (by any engine) is still updating the store this dream would
   * update; a dream whose process is gone (dead on this host, or silent for a minute elsewhere) does not count.
   */
  async function assertNoOtherUpdate(dream: Dream): Promise<void> {
    if (dream.output_behavior.type !== "update_existing") return;
    const storeId = dream.output_behavior.memory_store_id;
    let after: string | undefined;
    do {
      const page = await storage.listDreams({ limit: 1000, after });
      for (const other of page.data) {
        const behavior = other.output_behavior;
        if (other.id === dream.id || isTerminalStatus(other.status) || behavior?.type !== "update_existing") continue;
        if (behavior.memory_store_id !== storeId) continue;
        const record = await storage.getDreamRecord(other.id, { report: false });
        if (record && !isTerminalStatus(record.dream.status) && !ownerGone(record)) {
          throw dreamConflict(storeId, other.id);
        }
      }
      after = page.next_cursor ?? undefined;
    } while (after !== undefined);
  }

  function ownerGone(record: DreamRecord): boolean {
    const runner = record.owner;
    if (!runner) return true;
    if (runner.host === owner.host) return !processAlive(runner.pid);
    return Date.now() - timeOf(runner.heartbeat_at) > STALE_AFTER_MS;
  }

  function abandoned(record: DreamRecord): boolean {
    const runner = record.owner;
    if (!runner) return true;
    if ((runner.runner ?? IN_PROCESS_RUNNER) !== IN_PROCESS_RUNNER) return false;
    if (runner.host === owner.host)
      return runner.pid === owner.pid ? !live.has(record.dream.id) : !processAlive(runner.pid);
    return Date.now() - timeOf(runner.heartbeat_at) > STALE_AFTER_MS;
  }
}
