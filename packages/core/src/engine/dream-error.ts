import { dreamErrorTypeOf, type NocturneError } from "../errors.js";
import type { DreamError } from "../schemas/dream.js";

/** The dream-level error for what stopped a dream: a hosted error type and a message that says what to do. */
export function dreamErrorOf(error: NocturneError): DreamError {
  const type = dreamErrorTypeOf(error.code);
  const hint =
    type === "model_error"
      ? " Check the model's settings and availability, then start a new dream."
      : type === "storage_error"
        ? " Check the storage backend (space, permissions, locks), then start a new dream."
        : type === "internal_error"
          ? " This is a bug or an unexpected condition; the partial output store was kept. Start a new dream, and report it if it repeats."
          : type === "timeout"
            ? " Give it a larger timeoutMs (the CLI's --timeout) or fewer sessions, then start a new dream."
            : "";
  return { type, message: `${error.message} [${error.code}]${hint}` };
}
