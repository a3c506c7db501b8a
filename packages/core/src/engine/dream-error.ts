import type { NocturneError } from "../errors.js";
import type { DreamError, DreamErrorType } from "../schemas/dream.js";

const TYPE_BY_CODE: Partial<Record<NocturneError["code"], DreamErrorType>> = {
  input_memory_store_unavailable: "input_memory_store_unavailable",
  input_session_unavailable: "input_session_unavailable",
  input_memory_store_too_large: "input_memory_store_too_large",
  model_output_invalid: "model_output_invalid",
  model_rate_limited: "model_error",
  model_overloaded: "model_error",
  model_unavailable: "model_error",
  model_timeout: "model_error",
  model_auth_failed: "model_error",
  model_request_invalid: "model_error",
  storage_error: "storage_error",
  storage_busy: "storage_error",
  storage_full: "storage_error",
  storage_permission_denied: "storage_error",
  memory_store_not_found: "storage_error",
  memory_store_archived: "storage_error",
  memory_path_conflict: "storage_error",
};

/** The dream-level error for what stopped a dream: a hosted error type and a message that says what to do. */
export function dreamErrorOf(error: NocturneError): DreamError {
  const type = TYPE_BY_CODE[error.code] ?? "internal_error";
  const hint =
    type === "model_error"
      ? " Check the model's settings and availability, then start a new dream."
      : type === "storage_error"
        ? " Check the storage backend (space, permissions, locks), then start a new dream."
        : type === "internal_error"
          ? " This is a bug or an unexpected condition; the partial output store was kept. Start a new dream, and report it if it repeats."
          : "";
  return { type, message: `${error.message} [${error.code}]${hint}` };
}
