import { isInputErrorCode, NocturneError } from "@nocturne/core";

/** The CLI's exit codes: the dream completed, the dream failed or was canceled, bad usage or bad input. */
export const EXIT_CODES = { ok: 0, dreamFailed: 1, badInput: 2 } as const;

/** The exit code for an error that stopped a command: 2 for the input codes of the error table, else 1. */
export function exitCodeFor(error: unknown): number {
  return NocturneError.isInstance(error) && isInputErrorCode(error.code) ? EXIT_CODES.badInput : EXIT_CODES.dreamFailed;
}

/** A usage error: wrong, missing or conflicting arguments. */
export function usageError(message: string, hint = "Run `nocturne help` for the usage."): NocturneError {
  return new NocturneError("invalid_input", `${message} ${hint}`, { details: { usage: true } });
}
