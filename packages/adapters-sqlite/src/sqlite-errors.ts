import { NocturneError } from "@nocturne/core";

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const { code } = error as { code: unknown };
  return typeof code === "string" ? code : undefined;
}

/**
 * Turns a SQLite (or file system) failure into a typed NocturneError: a locked database → `storage_busy`
 * (retryable), a full disk or database → `storage_full`, a read-only or unopenable file → `storage_permission_denied`,
 * anything else → `storage_error`. NocturneErrors pass through unchanged.
 */
export function toStorageError(error: unknown, action: string, file: string): NocturneError {
  if (NocturneError.isInstance(error)) return error;
  const code = codeOf(error) ?? "";
  const detail = error instanceof Error ? error.message : String(error);
  const details = { sqlite_code: code || null, action, file };
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new NocturneError(
      "storage_busy",
      `Could not ${action}: the database ${file} is locked by another connection (${detail}). Retry shortly, or raise busyTimeoutMs.`,
      { cause: error, details, retryable: true },
    );
  }
  if (code === "SQLITE_FULL" || code === "ENOSPC" || code === "EDQUOT") {
    return new NocturneError(
      "storage_full",
      `Could not ${action}: the database ${file} is full or the disk has no space left (${detail}). Free some space and retry.`,
      { cause: error, details },
    );
  }
  if (
    code.startsWith("SQLITE_READONLY") ||
    code === "SQLITE_PERM" ||
    code === "SQLITE_AUTH" ||
    code.startsWith("SQLITE_CANTOPEN") ||
    code === "EACCES" ||
    code === "EPERM" ||
    code === "EROFS"
  ) {
    return new NocturneError(
      "storage_permission_denied",
      `Could not ${action}: the database ${file} cannot be written or opened (${detail}). Check the file's and folder's permissions, or open it without readonly.`,
      { cause: error, details },
    );
  }
  return new NocturneError("storage_error", `Could not ${action} in the database ${file}: ${detail}.`, {
    cause: error,
    details,
  });
}
