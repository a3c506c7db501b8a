import {
  type Dream,
  type DreamOwner,
  type DreamRecord,
  isTerminalStatus,
  NocturneError,
  type StorageAdapter,
} from "@nocturne/core";
import { buildReport, dreamNotFound, type ReportInputs } from "@nocturne/core/internals";
import type { Redis } from "ioredis";
import type { DreamUsage } from "./dream-usage.js";
import { withRecordLock } from "./record-lock.js";
import { dreamKey } from "./redis-keys.js";

/** How often running model calls refresh a dream's stored usage and heartbeat, at most. */
const TOUCH_EVERY_MS = 3000;

/** The report of `dream` from the pipeline's state. */
export function reportOf(dream: Dream, state: ReportInputs): DreamRecord["report"] {
  return buildReport({
    ...state,
    status: dream.status,
    endedAt: dream.ended_at,
    usage: dream.usage,
    error: dream.error,
  });
}

/**
 * Reads and writes dream records in storage on behalf of every process, under the dream's record lock. The stored
 * record is what `retrieve`, `wait` and `report` read, from anywhere.
 */
export class DreamRecords {
  constructor(
    private readonly storage: StorageAdapter,
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly usage: DreamUsage,
  ) {}

  /** The owner stamp of a dream run by the BullMQ runner: no single process owns it, so only the heartbeat counts. */
  owner(): DreamOwner {
    return { runner: "bullmq", host: `bullmq:${this.prefix}`, pid: 0, heartbeat_at: new Date().toISOString() };
  }

  /**
   * Applies `change` to the stored record under the lock and stores what it returns (nothing when it returns
   * null). Returns the record as stored afterwards.
   */
  async update(dreamId: string, change: (record: DreamRecord) => DreamRecord | null): Promise<DreamRecord> {
    return withRecordLock(this.redis, this.prefix, dreamId, async () => {
      const stored = await this.storage.getDreamRecord(dreamId);
      if (!stored) {
        throw dreamNotFound(dreamId);
      }
      const next = change(stored);
      if (next === null) return stored;
      await this.storage.putDreamRecord(next);
      return next;
    });
  }

  /**
   * Stores a running dream's progress. Throws `aborted` when the stored dream already ended (canceled from
   * another process), which stops the run that called it.
   */
  async progress(dream: Dream, state: ReportInputs): Promise<void> {
    const usage = await this.usage.total(dream.id);
    await this.update(dream.id, (stored) => {
      if (isTerminalStatus(stored.dream.status)) {
        throw new NocturneError("aborted", `Dream ${dream.id} was ${stored.dream.status} from another process.`);
      }
      const next: Dream = { ...dream, usage, archived_at: stored.dream.archived_at };
      return { dream: next, report: reportOf(next, state), owner: this.owner() };
    });
  }

  /**
   * Stores a dream's end. When the stored dream already ended (a cancel won the race) its status stands and only
   * the report is brought up to date. Returns the dream as stored.
   */
  async finish(dream: Dream, state: ReportInputs | null): Promise<Dream> {
    const usage = await this.usage.total(dream.id);
    const record = await this.update(dream.id, (stored) => {
      const base = isTerminalStatus(stored.dream.status)
        ? { ...stored.dream, usage, outputs: dream.outputs }
        : { ...dream, usage, archived_at: stored.dream.archived_at };
      return { dream: base, report: state ? reportOf(base, state) : stored.report, owner: null };
    });
    return record.dream;
  }

  /** Refreshes usage and heartbeat of a running dream, at most every few seconds whoever calls it. */
  async touch(dreamId: string): Promise<void> {
    const gate = await this.redis.set(dreamKey(this.prefix, dreamId, "touch"), "1", "PX", TOUCH_EVERY_MS, "NX");
    if (gate !== "OK") return;
    const usage = await this.usage.total(dreamId);
    await this.update(dreamId, (stored) =>
      isTerminalStatus(stored.dream.status)
        ? null
        : { ...stored, dream: { ...stored.dream, usage }, owner: this.owner() },
    );
  }
}
