import { errorCodeInfo, NocturneError } from "@nocturne/core";

/** The CLI's exit codes: the dream completed, the dream failed or was canceled, bad usage or bad input. */
export const EXIT_CODES = { ok: 0, dreamFailed: 1, badInput: 2 } as const;

/** The exit code for an error that stopped a command: the error table's (2 for the caller's to fix, else 1). */
export function exitCodeFor(error: unknown): number {
  return NocturneError.isInstance(error) ? errorCodeInfo(error.code).exit : EXIT_CODES.dreamFailed;
}

/** A usage error: wrong, missing or conflicting arguments. */
export function usageError(message: string, hint = "Run `nocturne help` for the usage."): NocturneError {
  return new NocturneError("invalid_input", `${message} ${hint}`, { details: { usage: true } });
}
