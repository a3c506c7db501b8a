import type { DreamErrorType } from "./schemas/dream.js";

/**
 * What an error code means, in one place: `input` codes are the caller's to fix (bad arguments or input, a resource
 * in the wrong state; the CLI exits 2 for them), the others stop a command or a dream (the CLI exits 1); `dream` is
 * the dream-level `error.type` a dream that fails with the code reports.
 */
const ERROR_TABLE = {
  invalid_input: { input: true, dream: "internal_error" },
  invalid_memory_path: { input: true, dream: "internal_error" },
  memory_content_too_large: { input: true, dream: "internal_error" },
  session_count_out_of_range: { input: true, dream: "internal_error" },
  duplicate_session_ids: { input: true, dream: "internal_error" },
  instructions_too_long: { input: true, dream: "internal_error" },
  memory_store_not_found: { input: true, dream: "storage_error" },
  memory_store_archived: { input: true, dream: "storage_error" },
  memory_store_locked: { input: false, dream: "internal_error" },
  memory_not_found: { input: false, dream: "internal_error" },
  /** No memory version with that id in that store (or the adapter keeps no versions). */
  memory_version_not_found: { input: true, dream: "internal_error" },
  memory_path_conflict: { input: false, dream: "storage_error" },
  precondition_failed: { input: false, dream: "internal_error" },
  session_not_found: { input: true, dream: "internal_error" },
  session_conflict: { input: false, dream: "internal_error" },
  /**
   * An `update_existing` dream was asked for while another one writing the same store has not fully stopped (the
   * hosted 409 `conflict_error`). Wait for that dream to end, then retry.
   */
  conflict: { input: true, dream: "internal_error" },
  dream_not_found: { input: true, dream: "internal_error" },
  dream_not_cancelable: { input: true, dream: "internal_error" },
  dream_not_archivable: { input: true, dream: "internal_error" },
  input_memory_store_too_large: { input: true, dream: "input_memory_store_too_large" },
  input_memory_store_unavailable: { input: false, dream: "input_memory_store_unavailable" },
  input_session_unavailable: { input: false, dream: "input_session_unavailable" },
  transcript_parse_error: { input: true, dream: "internal_error" },
  /** A dream output folder was already taken (it exists, or another dream claimed it first). */
  output_exists: { input: true, dream: "storage_error" },
  /** A dream output folder holds no completion marker: its dream crashed, failed or was canceled. */
  output_incomplete: { input: true, dream: "internal_error" },
  model_rate_limited: { input: false, dream: "model_error" },
  model_overloaded: { input: false, dream: "model_error" },
  model_unavailable: { input: false, dream: "model_error" },
  model_timeout: { input: false, dream: "model_error" },
  model_auth_failed: { input: false, dream: "model_error" },
  model_request_invalid: { input: false, dream: "model_error" },
  model_output_invalid: { input: false, dream: "model_output_invalid" },
  /** A model (a custom ConsolidationModel included) threw something that is no Nocturne error. */
  model_error: { input: false, dream: "model_error" },
  storage_error: { input: false, dream: "storage_error" },
  storage_busy: { input: false, dream: "storage_error" },
  storage_full: { input: false, dream: "storage_error" },
  storage_permission_denied: { input: true, dream: "storage_error" },
  capability_not_supported: { input: true, dream: "internal_error" },
  /** A dream ran past its runtime budget (`timeoutMs`); what it wrote so far is kept. */
  timeout: { input: false, dream: "timeout" },
  aborted: { input: false, dream: "internal_error" },
  internal_error: { input: false, dream: "internal_error" },
} as const satisfies Record<string, { input: boolean; dream: DreamErrorType }>;

/**
 * Every stable error code Nocturne can raise. Codes never change meaning once published; new ones are added to the
 * table above.
 */
export const ERROR_CODES = Object.keys(ERROR_TABLE) as Array<keyof typeof ERROR_TABLE>;

/** A stable machine-readable error code. */
export type NocturneErrorCode = keyof typeof ERROR_TABLE;

/** True for codes the caller fixes (bad arguments or input, a resource in the wrong state): CLI exit status 2. */
export function isInputErrorCode(code: NocturneErrorCode): boolean {
  return ERROR_TABLE[code].input;
}

/** The dream-level `error.type` for a dream that fails with this code. */
export function dreamErrorTypeOf(code: NocturneErrorCode): DreamErrorType {
  return ERROR_TABLE[code].dream;
}

const BRAND = Symbol.for("nocturne.error");

/** Options for {@link NocturneError}. */
export interface NocturneErrorOptions {
  /** The underlying error, kept for debugging. */
  cause?: unknown;
  /** Structured facts about the failure (ids, paths, limits) for programs to act on. */
  details?: Record<string, unknown>;
  /** For transient failures: true when retrying the same call may succeed. */
  retryable?: boolean;
  /** For rate limits: how long the server asked us to wait, in milliseconds. */
  retryAfterMs?: number;
}

/**
 * The one error class Nocturne throws. `code` is stable; `message` says what happened and what to do about it.
 * Use {@link NocturneError.isInstance} rather than `instanceof` so errors from another copy of the package still match.
 */
export class NocturneError extends Error {
  readonly code: NocturneErrorCode;
  readonly details: Record<string, unknown>;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly [BRAND] = true;

  constructor(code: NocturneErrorCode, message: string, options: NocturneErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "NocturneError";
    this.code = code;
    this.details = options.details ?? {};
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** True for any NocturneError, optionally of one of the given codes. */
  static isInstance(value: unknown, ...codes: NocturneErrorCode[]): value is NocturneError {
    if (typeof value !== "object" || value === null || !(BRAND in value)) return false;
    return codes.length === 0 || codes.includes((value as NocturneError).code);
  }

  /** A plain JSON form: what the CLI prints with `--json` and what an HTTP layer would return. */
  toJSON(): { code: NocturneErrorCode; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** Wraps anything thrown into a NocturneError, keeping NocturneErrors as they are. */
export function toNocturneError(error: unknown, fallback: NocturneErrorCode = "internal_error"): NocturneError {
  if (NocturneError.isInstance(error)) return error;
  if (error instanceof Error && error.name === "AbortError") {
    return new NocturneError("aborted", "The operation was aborted.", { cause: error });
  }
  const text = error instanceof Error ? error.message : String(error);
  return new NocturneError(fallback, text, { cause: error });
}
