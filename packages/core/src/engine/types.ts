import type { Redactor } from "../pipeline/run-pipeline.js";
import type { ConsolidationModel } from "../ports/consolidation-model.js";
import type { LanguageModel } from "../ports/language-model.js";
import type { ListArchivableOptions, StorageAdapter } from "../ports/storage-adapter.js";
import type { Tokenizer } from "../ports/tokenizer.js";
import type { Page } from "../schemas/common.js";
import type { CreateDreamInput, Dream, ToolResultTokens } from "../schemas/dream.js";
import type { DreamEvent } from "../schemas/dream-event.js";
import type { ConsolidationReport } from "../schemas/report.js";
import type { RetryOptions } from "../util/retry.js";

/** Limits on what one dream reads; exceeding them fails creation with `input_memory_store_too_large`. */
export interface DreamLimits {
  /** Most memories in the input store. Default 20,000. */
  maxInputMemories?: number;
  /** Most bytes of memory content in the input store. Default 64 MiB. */
  maxInputStoreBytes?: number;
}

/** How to build a Nocturne engine. Only `storage` is required. */
export interface NocturneOptions {
  storage: StorageAdapter;
  /**
   * The model that does the judging: a ConsolidationModel, or any LanguageModel (wrapped with Nocturne's prompts).
   * Default: the offline rule-based model, which needs no network and says so in each dream's events.
   */
  model?: ConsolidationModel | LanguageModel;
  /** Token counting for chunk budgets. Default: tiktoken (`o200k_base`). */
  tokenizer?: Tokenizer;
  /** Most model calls in flight per dream. Default 4. */
  concurrency?: number;
  /**
   * Token budget of one transcript chunk. Default 12,000, or 6,000 with an OpenAI-compatible (local) model, whose
   * context window is usually small.
   */
  chunkTokens?: number;
  /**
   * Most tokens of one tool result that extraction reads: a longer result keeps its head and tail around a marker
   * saying how much was left out, and a result repeating an earlier one of its session (the same file read again) is
   * read once; the report counts both. 0 reads tool output in full. Default 1,000 (see docs/performance.md).
   */
  toolResultTokens?: ToolResultTokens;
  /** Retry policy for model calls. */
  retry?: RetryOptions;
  /**
   * Deadline of one consolidation call (a language model's output retries included), in milliseconds; a call that
   * misses it fails `model_timeout` and is retried. Every call also stops at once when its dream is canceled.
   * Default 600,000 (10 minutes).
   */
  callTimeoutMs?: number;
  limits?: DreamLimits;
  /**
   * Removes secrets from every transcript line and memory before any model sees them (counted in the report's
   * `stats.redactions`). Default: `redactSecrets`. Replace it only with something at least as strict.
   */
  redact?: Redactor;
}

/** Options for starting a dream. */
export interface CreateDreamOptions {
  /** Aborting this signal cancels the dream. */
  signal?: AbortSignal;
  /** Extract every session again, even those the input store already folded in (see `applyIncremental`). */
  force?: boolean;
  /**
   * Runtime budget in milliseconds, counted from creation (time queued included). A dream still running when it
   * runs out stops as a cancel does (calls in flight aborted, the partial output store kept and unlocked, usage
   * counted) and ends `failed` with `error.type` `timeout`. Default `DREAM_DEFAULTS.timeoutMs` (6 hours).
   */
  timeoutMs?: number;
}

/** Dreams, shaped after the hosted `dreams.create/retrieve/list/cancel/archive`. */
export interface DreamsApi {
  /** Validates, records a `pending` dream and starts it in the background. Bad input throws before anything is written. */
  create(input: CreateDreamInput, options?: CreateDreamOptions): Promise<Dream>;
  /** `dream_not_found`. */
  retrieve(id: string): Promise<Dream>;
  /** Newest first; archived dreams only with `include_archived`. */
  list(options?: ListArchivableOptions): Promise<Page<Dream>>;
  /**
   * Cancels a pending or running dream; idempotent once canceled; `dream_not_cancelable` when completed or failed.
   * For a dream another live process runs, the request is recorded and the call waits (up to `timeoutMs`, default
   * 30 s) for that process to stop it, then returns the dream as that process left it — which may be `completed`
   * if it finished first.
   */
  cancel(id: string, options?: { timeoutMs?: number }): Promise<Dream>;
  /** Hides a terminal dream from the default list; `dream_not_archivable` while pending or running. */
  archive(id: string): Promise<Dream>;
  /**
   * Every event of the dream from the start, then live ones until it ends. After it ended, the full history is
   * replayed for the last 256 dreams this engine ran; a dream run by another process (or before a restart) yields
   * its status changes, polled from storage.
   */
  events(id: string, options?: { signal?: AbortSignal }): AsyncIterable<DreamEvent>;
  /** Resolves with the dream once it reaches a terminal status. */
  wait(id: string, options?: { signal?: AbortSignal }): Promise<Dream>;
  /** The consolidation report: partial while running or after a failure, complete once completed. */
  report(id: string): Promise<ConsolidationReport | null>;
}

/**
 * What serves dreams: a storage and the dreams API over it, the dreams run in this process ({@link Nocturne}) or
 * on workers elsewhere (`DistributedNocturne` of `@nocturne/runner-bullmq`). The HTTP server takes either.
 */
export interface DreamService {
  readonly storage: StorageAdapter;
  readonly dreams: DreamsApi;
  /** Releases what this service holds (an engine also cancels its running dreams and closes the adapter). */
  close(): Promise<void>;
}

/** A Nocturne engine bound to one storage adapter and one model. */
export interface Nocturne extends DreamService {
  readonly storage: StorageAdapter;
  readonly model: ConsolidationModel;
  readonly dreams: DreamsApi;
  /**
   * Marks dreams that a dead process left `pending` or `running` as failed (`internal_error`) and unlocks their
   * output stores. Call once at start-up with a persistent adapter. Returns the dreams it failed.
   */
  recover(): Promise<Dream[]>;
  /** Cancels this engine's running dreams, waits for them to stop, then closes the adapter. */
  close(): Promise<void>;
}
