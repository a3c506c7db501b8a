import type { InputSnapshot, ValidDreamRequest } from "../pipeline/snapshot-inputs.js";
import type { DreamRecord } from "../ports/storage-adapter.js";
import type { Dream } from "../schemas/dream.js";
import type { DreamEvent } from "../schemas/dream-event.js";
import type { ConsolidationReport } from "../schemas/report.js";
import type { CreateDreamOptions } from "./types.js";

/** A dream the lifecycle has validated and whose inputs it has read, handed to a runner to record and run. */
export interface DreamPlan {
  /** The `pending` dream, not yet recorded. */
  dream: Dream;
  request: ValidDreamRequest;
  /** The inputs as read. */
  read: InputSnapshot;
  /** The inputs the dream consolidates: `read` without the sessions the store already folded in. */
  snapshot: InputSnapshot;
  /** The dream's runtime budget, in milliseconds. */
  timeoutMs: number;
  options: CreateDreamOptions;
  /** Frees what `admit` claimed; the runner calls it once the dream fully stopped. */
  release: () => void;
}

/**
 * Where dreams run: in this process (`createNocturne`) or on BullMQ workers. The lifecycle (`createDreamsApi`)
 * validates, reads inputs, lists, archives, waits and reads records the same way for every runner; a runner
 * records and runs the dream and knows what only it can know while the dream runs.
 */
export interface DreamRunner {
  /** The model id a dream records when its request names none. */
  readonly defaultModelId: string;
  /** Claims what the dream needs before its inputs are read, or throws (`conflict`, `capability_not_supported`). Returns the release. */
  admit(dream: Dream): Promise<() => void>;
  /** Records the pending dream and starts it; the plan's `release` is the runner's to call once the dream stopped. */
  start(plan: DreamPlan): Promise<void>;
  /** The dream as this runner sees it now (running here, or with usage its record does not hold yet); else null. */
  retrieve(id: string): Promise<Dream | null>;
  /** Resolves with a dream running in this process once it ended, as it ended; null when it does not run here. */
  running(id: string): Promise<Dream> | null;
  /**
   * Stops a dream: one running here (`record` null) at once, else one whose stored record is pending or running.
   * Returns the dream as it ended.
   */
  cancel(id: string, record: DreamRecord | null, options: { timeoutMs?: number }): Promise<Dream>;
  /** The report of a dream running here; null to read the stored record's. */
  report(id: string): Promise<ConsolidationReport> | null;
  /** Every event of the dream from the start while the runner holds them; null to follow its stored status. */
  events(id: string, signal?: AbortSignal): Promise<AsyncIterable<DreamEvent> | null>;
  /** Changes a stored record (under the runner's lock where processes share records); default: read, change, put. */
  updateRecord?(id: string, change: (record: DreamRecord) => DreamRecord | null): Promise<DreamRecord>;
}
