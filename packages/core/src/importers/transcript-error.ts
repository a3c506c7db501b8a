import { NocturneError } from "../errors.js";

/** Why a transcript could not be imported; `details.reason` of a `transcript_parse_error`. */
export type TranscriptProblem =
  | "empty"
  | "invalid_utf8"
  | "invalid_json"
  | "invalid_line"
  | "invalid_event"
  | "unknown_format"
  | "missing_time"
  | "event_too_large"
  | "too_deep"
  | "too_large";

/** A `transcript_parse_error` that names the file and line, says what is wrong and what to do. */
export function transcriptError(
  reason: TranscriptProblem,
  file: string,
  line: number | null,
  message: string,
  cause?: unknown,
): NocturneError {
  const where = line === null ? file : `${file}:${line}`;
  return new NocturneError("transcript_parse_error", `${where}: ${message}`, {
    details: { file, line, reason },
    cause,
  });
}
