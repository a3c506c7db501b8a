/**
 * Every stable error code Nocturne can raise. Codes never change meaning once published; new ones are added here.
 */
export const ERROR_CODES = [
  "invalid_input",
  "invalid_memory_path",
  "memory_content_too_large",
  "session_count_out_of_range",
  "duplicate_session_ids",
  "instructions_too_long",
  "memory_store_not_found",
  "memory_store_archived",
  "memory_store_locked",
  "memory_not_found",
  "memory_path_conflict",
  "precondition_failed",
  "session_not_found",
  "session_conflict",
  "dream_not_found",
  "dream_not_cancelable",
  "dream_not_archivable",
  "input_memory_store_too_large",
  "input_memory_store_unavailable",
  "input_session_unavailable",
  "transcript_parse_error",
  "model_rate_limited",
  "model_overloaded",
  "model_unavailable",
  "model_timeout",
  "model_auth_failed",
  "model_request_invalid",
  "model_output_invalid",
  "storage_error",
  "storage_busy",
  "storage_full",
  "storage_permission_denied",
  "capability_not_supported",
  "aborted",
  "internal_error",
] as const;

/** A stable machine-readable error code. */
export type NocturneErrorCode = (typeof ERROR_CODES)[number];

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
