import type { DreamErrorType } from "./schemas/dream.js";

/** The hosted API's error types (the `error.type` of an HTTP error envelope) and the HTTP status of each. */
export const HOSTED_ERROR_STATUS = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  conflict_error: 409,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
} as const;

/** A hosted API error type. */
export type HostedErrorType = keyof typeof HOSTED_ERROR_STATUS;

/** What every layer needs to know about an error code. */
export interface ErrorCodeInfo {
  /** The CLI's exit status: 2 when the caller fixes it (bad arguments or input, a resource in the wrong state), else 1. */
  exit: 1 | 2;
  /** The dream-level `error.type` of a dream that fails with the code. */
  dream: DreamErrorType;
  /** The hosted API error type an HTTP layer answers with (its status: {@link HOSTED_ERROR_STATUS}). */
  hosted: HostedErrorType;
  /** Whether retrying the same call may succeed, when the error does not say otherwise. */
  retryable: boolean;
}

/**
 * What an error code means, in one place: every layer (dreams, the CLI, the providers, an HTTP layer) reads it, and
 * no code is derived from a message's text.
 */
const ERROR_TABLE = {
  invalid_input: { exit: 2, dream: "internal_error", hosted: "invalid_request_error", retryable: false },
  invalid_memory_path: { exit: 2, dream: "internal_error", hosted: "invalid_request_error", retryable: false },
  memory_content_too_large: { exit: 2, dream: "internal_error", hosted: "request_too_large", retryable: false },
  session_count_out_of_range: { exit: 2, dream: "internal_error", hosted: "invalid_request_error", retryable: false },
  duplicate_session_ids: { exit: 2, dream: "internal_error", hosted: "invalid_request_error", retryable: false },
  instructions_too_long: { exit: 2, dream: "internal_error", hosted: "invalid_request_error", retryable: false },
  memory_store_not_found: { exit: 2, dream: "storage_error", hosted: "not_found_error", retryable: false },
  memory_store_archived: { exit: 2, dream: "storage_error", hosted: "invalid_request_error", retryable: false },
  memory_store_locked: { exit: 1, dream: "internal_error", hosted: "conflict_error", retryable: false },
  memory_not_found: { exit: 1, dream: "internal_error", hosted: "not_found_error", retryable: false },
  /** No memory version with that id in that store (or the adapter keeps no versions). */
  memory_version_not_found: { exit: 2, dream: "internal_error", hosted: "not_found_error", retryable: false },
  memory_path_conflict: { exit: 1, dream: "storage_error", hosted: "conflict_error", retryable: false },
  precondition_failed: { exit: 1, dream: "internal_error", hosted: "conflict_error", retryable: false },
  session_not_found: { exit: 2, dream: "internal_error", hosted: "not_found_error", retryable: false },
  session_conflict: { exit: 1, dream: "internal_error", hosted: "conflict_error", retryable: false },
  /**
   * An `update_existing` dream was asked for while another one writing the same store has not fully stopped (the
   * hosted 409 `conflict_error`). Wait for that dream to end, then retry.
   */
  conflict: { exit: 2, dream: "internal_error", hosted: "conflict_error", retryable: false },
  dream_not_found: { exit: 2, dream: "internal_error", hosted: "not_found_error", retryable: false },
  dream_not_cancelable: { exit: 2, dream: "internal_error", hosted: "invalid_request_error", retryable: false },
  dream_not_archivable: { exit: 2, dream: "internal_error", hosted: "invalid_request_error", retryable: false },
  input_memory_store_too_large: {
    exit: 2,
    dream: "input_memory_store_too_large",
    hosted: "invalid_request_error",
    retryable: false,
  },
  input_memory_store_unavailable: {
    exit: 1,
    dream: "input_memory_store_unavailable",
    hosted: "api_error",
    retryable: false,
  },
  input_session_unavailable: { exit: 1, dream: "input_session_unavailable", hosted: "api_error", retryable: false },
  transcript_parse_error: { exit: 2, dream: "internal_error", hosted: "invalid_request_error", retryable: false },
  /** A dream output folder was already taken (it exists, or another dream claimed it first). */
  output_exists: { exit: 2, dream: "storage_error", hosted: "conflict_error", retryable: false },
  /** A dream output folder holds no completion marker: its dream crashed, failed or was canceled. */
  output_incomplete: { exit: 2, dream: "internal_error", hosted: "invalid_request_error", retryable: false },
  model_rate_limited: { exit: 1, dream: "model_error", hosted: "rate_limit_error", retryable: true },
  model_overloaded: { exit: 1, dream: "model_error", hosted: "overloaded_error", retryable: true },
  model_unavailable: { exit: 1, dream: "model_error", hosted: "api_error", retryable: true },
  model_timeout: { exit: 1, dream: "model_error", hosted: "api_error", retryable: true },
  model_auth_failed: { exit: 1, dream: "model_error", hosted: "api_error", retryable: false },
  model_request_invalid: { exit: 1, dream: "model_error", hosted: "api_error", retryable: false },
  model_output_invalid: { exit: 1, dream: "model_output_invalid", hosted: "api_error", retryable: false },
  /** A model (a custom ConsolidationModel included) threw something that is no Nocturne error. */
  model_error: { exit: 1, dream: "model_error", hosted: "api_error", retryable: false },
  storage_error: { exit: 1, dream: "storage_error", hosted: "api_error", retryable: false },
  storage_busy: { exit: 1, dream: "storage_error", hosted: "api_error", retryable: true },
  storage_full: { exit: 1, dream: "storage_error", hosted: "api_error", retryable: false },
  storage_permission_denied: { exit: 2, dream: "storage_error", hosted: "permission_error", retryable: false },
  capability_not_supported: { exit: 2, dream: "internal_error", hosted: "invalid_request_error", retryable: false },
  /** A dream ran past its runtime budget (`timeoutMs`); what it wrote so far is kept. */
  timeout: { exit: 1, dream: "timeout", hosted: "api_error", retryable: false },
  aborted: { exit: 1, dream: "internal_error", hosted: "api_error", retryable: false },
  internal_error: { exit: 1, dream: "internal_error", hosted: "api_error", retryable: false },
} as const satisfies Record<string, ErrorCodeInfo>;

/**
 * Every stable error code Nocturne can raise. Codes never change meaning once published; new ones are added to the
 * table above.
 */
export const ERROR_CODES = Object.keys(ERROR_TABLE) as Array<keyof typeof ERROR_TABLE>;

/** A stable machine-readable error code. */
export type NocturneErrorCode = keyof typeof ERROR_TABLE;

/** Everything the error table says about a code: exit status, dream error type, hosted error type, retryable. */
export function errorCodeInfo(code: NocturneErrorCode): ErrorCodeInfo {
  return ERROR_TABLE[code];
}

/** True for codes the caller fixes (bad arguments or input, a resource in the wrong state): CLI exit status 2. */
export function isInputErrorCode(code: NocturneErrorCode): boolean {
  return ERROR_TABLE[code].exit === 2;
}

/** The dream-level `error.type` for a dream that fails with this code. */
export function dreamErrorTypeOf(code: NocturneErrorCode): DreamErrorType {
  return ERROR_TABLE[code].dream;
}

/** True when `value` is one of the stable error codes. */
export function isErrorCode(value: unknown): value is NocturneErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_TABLE, value);
}

const BRAND = Symbol.for("nocturne.error");

/** Options for {@link NocturneError}. */
export interface NocturneErrorOptions {
  /** The underlying error, kept for debugging. */
  cause?: unknown;
  /** Structured facts about the failure (ids, paths, limits) for programs to act on. */
  details?: Record<string, unknown>;
  /** For transient failures: true when retrying the same call may succeed. Default: the error table's. */
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
    this.retryable = options.retryable ?? ERROR_TABLE[code].retryable;
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
