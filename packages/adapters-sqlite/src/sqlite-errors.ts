import { NocturneError } from "@nocturne/core";

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const { code } = error as { code: unknown };
  return typeof code === "string" ? code : undefined;
}

/** better-sqlite3's native addon is missing or built for another Node: its build script never ran, or ran elsewhere. */
const MISSING_ADDON = /Could not locate the bindings file|better_sqlite3\.node|NODE_MODULE_VERSION/;

/** What to run so better-sqlite3's native addon gets built (pnpm 10 skips dependencies' build scripts by default). */
export const BUILD_BETTER_SQLITE3 =
  "pnpm 10 skips dependencies' build scripts unless allowed: run `pnpm approve-builds` and pick better-sqlite3, or add it to `onlyBuiltDependencies` in pnpm-workspace.yaml, then `pnpm rebuild better-sqlite3` (npm: `npm rebuild better-sqlite3`)";

/**
 * Turns a SQLite (or file system) failure into a typed NocturneError: a locked database → `storage_busy`
 * (retryable), a full disk or database → `storage_full`, a read-only or unopenable file → `storage_permission_denied`,
 * better-sqlite3's native addon not built → `storage_error` naming the fix, anything else → `storage_error`.
 * NocturneErrors pass through unchanged.
 */
export function toStorageError(error: unknown, action: string, file: string): NocturneError {
  if (NocturneError.isInstance(error)) return error;
  const code = codeOf(error) ?? "";
  const detail = error instanceof Error ? error.message : String(error);
  const details = { sqlite_code: code || null, action, file };
  if (MISSING_ADDON.test(detail)) {
    return new NocturneError(
      "storage_error",
      `Could not ${action} ${file}: better-sqlite3's native addon is not built for this Node (${detail.split("\n")[0]}). ${BUILD_BETTER_SQLITE3}.`,
      { cause: error, details },
    );
  }
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
