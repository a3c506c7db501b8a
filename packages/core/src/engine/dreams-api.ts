import { applyIncremental } from "../pipeline/incremental.js";
import { snapshotInputs, validateDreamRequest } from "../pipeline/snapshot-inputs.js";
import type { DreamRecord, StorageAdapter } from "../ports/storage-adapter.js";
import { type Dream, isTerminalStatus } from "../schemas/dream.js";
import { abortedError, sleep } from "../util/retry.js";
import { nowIso } from "../util/time.js";
import { dreamNotArchivable, dreamNotCancelable } from "./dream-lifecycle-errors.js";
import type { DreamRunner } from "./dream-runner.js";
import { dreamTimeoutMs } from "./dream-timeout.js";
import { pendingDream } from "./pending-dream.js";
import { requireDreamRecord } from "./require-dream-record.js";
import type { DreamLimits, DreamsApi } from "./types.js";

/** How often a dream this process does not run is polled. */
const POLL_MS = 250;

/**
 * The dreams API over a runner: one lifecycle — validation, input snapshot, pending dream, list, archive, wait,
 * cancel rules, records — whether the dream runs in this process or on workers elsewhere.
 */
export function createDreamsApi(storage: StorageAdapter, runner: DreamRunner, limits?: DreamLimits): DreamsApi {
  const readDream = async (id: string): Promise<Dream> => (await requireDreamRecord(storage, id)).dream;
  const readRecord = (id: string): Promise<DreamRecord> => requireDreamRecord(storage, id, { report: true });

  const updateRecord =
    runner.updateRecord?.bind(runner) ??
    (async (id: string, change: (record: DreamRecord) => DreamRecord | null) => {
      const stored = await readRecord(id);
      const next = change(stored);
      if (next === null) return stored;
      await storage.putDreamRecord(next);
      return next;
    });

  const dreams: DreamsApi = {
    async create(input, options = {}) {
      const request = validateDreamRequest(input);
      const timeoutMs = dreamTimeoutMs(options.timeoutMs);
      const dream = pendingDream(request, runner.defaultModelId);
      const release = await runner.admit(dream);
      try {
        const read = await snapshotInputs(storage, request, limits);
        const snapshot = applyIncremental(read, { force: options.force === true });
        await runner.start({ dream, request, read, snapshot, timeoutMs, options, release });
      } catch (error) {
        release();
        throw error;
      }
      return structuredClone(dream);
    },

    async retrieve(id) {
      return (await runner.retrieve(id)) ?? (await readDream(id));
    },

    list(options) {
      return storage.listDreams(options);
    },

    async cancel(id, options = {}) {
      if (runner.running(id) !== null) return runner.cancel(id, null, options);
      const record = await readRecord(id);
      const { dream } = record;
      if (dream.status === "canceled") return dream;
      if (dream.status === "completed" || dream.status === "failed") throw dreamNotCancelable(dream);
      return runner.cancel(id, record, options);
    },

    async archive(id) {
      const stored = await updateRecord(id, (record) => {
        const { dream } = record;
        if (!isTerminalStatus(dream.status)) throw dreamNotArchivable(dream);
        if (dream.archived_at !== null) return null;
        return { ...record, dream: { ...dream, archived_at: nowIso() } };
      });
      return stored.dream;
    },

    async *events(id, options = {}) {
      const held = await runner.events(id, options.signal);
      if (held !== null) {
        yield* held;
        return;
      }
      let seq = 0;
      let last: Dream["status"] | null = null;
      for (;;) {
        const dream = await readDream(id);
        if (dream.status !== last)
          yield { type: "status", status: dream.status, dream_id: id, seq: seq++, at: nowIso() };
        last = dream.status;
        if (isTerminalStatus(dream.status) || options.signal?.aborted) return;
        await sleep(POLL_MS, options.signal).catch(() => undefined);
      }
    },

    async wait(id, options = {}) {
      for (;;) {
        const here = runner.running(id);
        if (here !== null) return Promise.race([here, untilAborted(options.signal)]);
        const dream = await dreams.retrieve(id);
        if (isTerminalStatus(dream.status)) return dream;
        await sleep(POLL_MS, options.signal);
      }
    },

    async report(id) {
      return (await runner.report(id)) ?? (await readRecord(id)).report;
    },
  };
  return dreams;
}

/** Never resolves; rejects with `aborted` when the signal fires. */
function untilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (signal?.aborted) reject(abortedError(signal));
    signal?.addEventListener("abort", () => reject(abortedError(signal)), { once: true });
  });
}
