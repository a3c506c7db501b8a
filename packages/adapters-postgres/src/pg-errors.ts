import { NocturneError } from "@nocturne/core";

/** SQLSTATE of a unique-constraint violation. */
export const UNIQUE_VIOLATION = "23505";

const BUSY = new Set(["40001", "40P01", "55P03", "53300", "57014"]);
const UNREACHABLE = new Set([
  "57P01",
  "57P02",
  "57P03",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EPIPE",
]);
const DENIED = new Set(["42501", "28000", "28P01"]);
const UNSTORABLE_TEXT = new Set(["22021", "22P05"]);

/** The SQLSTATE (or Node socket code) of an error thrown by `pg`, if it has one. */
export function pgCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/**
 * Turns whatever `pg` threw while doing `action` (e.g. "list memories") into a typed `NocturneError`, keeping
 * NocturneErrors as they are. Transient failures (lock conflicts, lost connections) are marked retryable.
 */
export function toStorageError(error: unknown, action: string): NocturneError {
  if (NocturneError.isInstance(error)) return error;
  const code = pgCode(error) ?? "";
  const text = error instanceof Error ? error.message : String(error);
  const details = { backend: "postgres", sqlstate: code || undefined };
  const fail = (kind: ConstructorParameters<typeof NocturneError>[0], message: string, retryable: boolean) =>
    new NocturneError(kind, `PostgreSQL could not ${action}: ${text}. ${message}`, {
      cause: error,
      details,
      retryable,
    });

  if (BUSY.has(code)) return fail("storage_busy", "The database is busy; retry shortly.", true);
  if (code === "53100") return fail("storage_full", "The database disk is full; free space and retry.", false);
  if (DENIED.has(code)) {
    return fail(
      "storage_permission_denied",
      "Check the user and password, and the role's grants on the schema.",
      false,
    );
  }
  if (UNSTORABLE_TEXT.has(code)) {
    return new NocturneError(
      "invalid_input",
      `PostgreSQL could not ${action}: the text contains a character it cannot store (such as U+0000). Remove it and try again.`,
      { cause: error, details },
    );
  }
  if (code === "3D000")
    return fail(
      "storage_error",
      "Create the database first (createdb), or fix its name in the connection string.",
      false,
    );
  if (UNREACHABLE.has(code) || code.startsWith("08")) {
    return fail("storage_error", "Check that PostgreSQL is running and the connection string is right.", true);
  }
  return fail("storage_error", "See the cause for details.", false);
}
