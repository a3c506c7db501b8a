import { NocturneError } from "./errors.js";
import type { ConsolidationModel } from "./ports/consolidation-model.js";
import type { LanguageModel } from "./ports/language-model.js";
import { MIN_TOOL_RESULT_TOKENS, ToolResultTokens } from "./schemas/dream.js";

/**
 * Every default of a dream, in one place, read wherever a dream runs (in process or on BullMQ workers), so the same
 * dream costs the same on either.
 */
export const DREAM_DEFAULTS = {
  /** Model calls in flight per dream (per worker on BullMQ). */
  concurrency: 4,
  /** Token budget of one transcript chunk: fewer, larger calls mean less prompt overhead and wall time. */
  chunkTokens: 12_000,
  /** The chunk budget with an OpenAI-compatible server, which usually runs a local model with a small context. */
  localChunkTokens: 6_000,
  /**
   * Most tokens of one tool result the model reads; a longer one keeps its first and last 500 (docs/performance.md
   * says why this size). 0 reads tool output in full.
   */
  toolResultTokens: 1_000,
  /** Deadline of one consolidation call (a language model's output retries included), in milliseconds. */
  callTimeoutMs: 10 * 60_000,
  /** Runtime budget of a dream, counted from creation, in milliseconds (6 hours). */
  timeoutMs: 6 * 3_600_000,
  /** Model-call retries: attempts after the first, full-jitter backoff from the base, each wait at most the max. */
  retry: { retries: 4, baseDelayMs: 500, maxDelayMs: 30_000 },
  /** Most memories in an input store. */
  maxInputMemories: 20_000,
  /** Most bytes of memory content in an input store (64 MiB). */
  maxInputStoreBytes: 64 * 1024 * 1024,
} as const;

/** The chunk budget of a dream created without one, for the model that runs it. */
export function defaultChunkTokens(model: ConsolidationModel | LanguageModel | undefined): number {
  return model !== undefined && "provider" in model && model.provider === "openai-compatible"
    ? DREAM_DEFAULTS.localChunkTokens
    : DREAM_DEFAULTS.chunkTokens;
}

/**
 * The tool-result budget of a dream: `toolResultTokens` when given (checked against {@link ToolResultTokens}, else
 * `invalid_input`), or `DREAM_DEFAULTS.toolResultTokens`.
 */
export function toolResultTokensOf(value: number | undefined): number {
  if (value === undefined) return DREAM_DEFAULTS.toolResultTokens;
  if (!ToolResultTokens.safeParse(value).success) {
    throw new NocturneError(
      "invalid_input",
      `toolResultTokens must be 0 (read tool output in full) or a whole number of tokens of at least ${MIN_TOOL_RESULT_TOKENS}, not ${value}.`,
      { details: { toolResultTokens: value } },
    );
  }
  return value;
}
