import { NocturneError, type NocturneErrorCode } from "@nocturne/core";

/** The CLI's exit codes: the dream completed, the dream failed or was canceled, bad usage or bad input. */
export const EXIT_CODES = { ok: 0, dreamFailed: 1, badInput: 2 } as const;

/** Errors the user causes with arguments or input files, found before any dream runs. */
const BAD_INPUT_CODES: NocturneErrorCode[] = [
  "invalid_input",
  "invalid_memory_path",
  "memory_content_too_large",
  "session_count_out_of_range",
  "duplicate_session_ids",
  "instructions_too_long",
  "memory_store_not_found",
  "memory_store_archived",
  "session_not_found",
  "dream_not_found",
  "dream_not_cancelable",
  "dream_not_archivable",
  "transcript_parse_error",
  "input_memory_store_too_large",
  "capability_not_supported",
];

/** The exit code for an error that stopped a command. */
export function exitCodeFor(error: unknown): number {
  return NocturneError.isInstance(error, ...BAD_INPUT_CODES) ? EXIT_CODES.badInput : EXIT_CODES.dreamFailed;
}

/** A usage error: wrong, missing or conflicting arguments. */
export function usageError(message: string, hint = "Run `nocturne help` for the usage."): NocturneError {
  return new NocturneError("invalid_input", `${message} ${hint}`, { details: { usage: true } });
}
