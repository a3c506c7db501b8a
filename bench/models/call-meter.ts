import { emptyUsage, type Usage } from "@nocturne/core";

/** Counts model calls as they happen: how many, of which kind, how many at once, and the time spent computing. */
export interface CallMeter {
  /** Calls per task (`record_facts`, `record_verdicts`, `record_insights`). */
  readonly calls: Record<string, number>;
  /** Usage summed over every call. */
  readonly usage: Usage;
  /** Usage summed per task. */
  readonly usageByTask: Record<string, Usage>;
  /** Milliseconds the replay model spent computing answers (excluded from engine time). */
  selfMs: number;
  /** The same, per task. */
  readonly selfMsByTask: Record<string, number>;
  /** CPU milliseconds the replay model spent (robust to a busy machine, unlike wall time). */
  selfCpuMs: number;
  /** The same, per task. */
  readonly selfCpuMsByTask: Record<string, number>;
  /** Calls in flight right now, and the most there ever were (counted by the latency wrapper). */
  inFlight: number;
  maxInFlight: number;
  /** Counts one call of a task, with its usage and the time the replay took to answer it. */
  record(task: string, usage: Usage, selfMs?: number, selfCpuMs?: number): void;
  /** Marks a call as in flight; returns the function that marks it done. */
  enter(): () => void;
  /** Total calls. */
  total(): number;
}

/** A fresh meter. */
export function createCallMeter(): CallMeter {
  const meter: CallMeter = {
    calls: {},
    usage: emptyUsage(),
    usageByTask: {},
    selfMs: 0,
    selfMsByTask: {},
    selfCpuMs: 0,
    selfCpuMsByTask: {},
    inFlight: 0,
    maxInFlight: 0,
    record(task, usage, selfMs = 0, selfCpuMs = 0) {
      meter.selfMs += selfMs;
      meter.selfCpuMs += selfCpuMs;
      meter.selfCpuMsByTask[task] = (meter.selfCpuMsByTask[task] ?? 0) + selfCpuMs;
      meter.selfMsByTask[task] = (meter.selfMsByTask[task] ?? 0) + selfMs;
      meter.calls[task] = (meter.calls[task] ?? 0) + 1;
      const own = meter.usageByTask[task] ?? emptyUsage();
      meter.usageByTask[task] = own;
      for (const [field, value] of Object.entries(usage) as Array<[keyof Usage, number]>) {
        meter.usage[field] += value;
        own[field] += value;
      }
    },
    enter() {
      meter.inFlight++;
      meter.maxInFlight = Math.max(meter.maxInFlight, meter.inFlight);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        meter.inFlight--;
      };
    },
    total: () => Object.values(meter.calls).reduce((sum, count) => sum + count, 0),
  };
  return meter;
}
