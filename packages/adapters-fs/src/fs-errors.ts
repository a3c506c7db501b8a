import { NocturneError } from "@nocturne/core";

/** The errno code of a Node.js system error, if it is one. */
export function errnoOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const { code } = error as { code: unknown };
  return typeof code === "string" ? code : undefined;
}

/** True when `error` is a system error with one of `codes`. */
export function isErrno(error: unknown, ...codes: string[]): boolean {
  const code = errnoOf(error);
  return code !== undefined && codes.includes(code);
}

/**
 * Turns a file system failure into a typed NocturneError: no permission → `storage_permission_denied`, disk or
 * quota full → `storage_full`, a busy resource → `storage_busy`, anything else → `storage_error`. NocturneErrors
 * pass through unchanged.
 */
export function toStorageError(error: unknown, action: string): NocturneError {
  if (NocturneError.isInstance(error)) return error;
  const code = errnoOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  const details = { errno: code ?? null, action };
  switch (code) {
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return new NocturneError(
        "storage_permission_denied",
        `Could not ${action}: permission denied (${detail}). Give this process write access to the folder, or choose another one.`,
        { cause: error, details },
      );
    case "ENOSPC":
    case "EDQUOT":
      return new NocturneError(
        "storage_full",
        `Could not ${action}: the disk is full (${detail}). Free some space and retry.`,
        {
          cause: error,
          details,
        },
      );
    case "EBUSY":
    case "EAGAIN":
    case "EMFILE":
    case "ENFILE":
      return new NocturneError(
        "storage_busy",
        `Could not ${action}: the file system is busy (${detail}). Retry shortly.`,
        {
          cause: error,
          details,
          retryable: true,
        },
      );
    default:
      return new NocturneError("storage_error", `Could not ${action}: ${detail}.`, { cause: error, details });
  }
}
