import type { SessionEvent } from "../schemas/session.js";
import { checkEventSize, checkedEvent, type DraftEvent, type ParseContext } from "./draft-session.js";
import { transcriptError } from "./transcript-error.js";
import type { ImportWarning, TranscriptFormat } from "./transcript-format.js";

/** Checks a transcript's events one at a time, as a stream reads them. */
export interface EventChecker {
  /** The event as stored, or null for a repeated id (skipped with a warning). Throws `transcript_parse_error`. */
  check(entry: DraftEvent): SessionEvent | null;
  /** How many events were kept. */
  readonly kept: number;
  /** The time of the first event kept, or null. */
  readonly firstEventAt: string | null;
  /** Warnings about repeated ids, in order: a whole read gives them after every parse warning. */
  readonly repeats: ImportWarning[];
}

/**
 * What `finishSession` does to a whole draft, for one event at a time: a missing id takes its position
 * (`evt_00042`), a repeated id is skipped with a warning, an event over `maxEventBytes` or not fitting the schema
 * throws. Only for formats whose every event carries its own time (Claude Code), so no time is filled in.
 */
export function eventChecker(context: ParseContext, format: TranscriptFormat, maxEventBytes: number): EventChecker {
  const seen = new Set<string>();
  const repeats: ImportWarning[] = [];
  let position = 0;
  let kept = 0;
  let firstEventAt: string | null = null;
  return {
    check(entry) {
      const given = entry.event.id;
      const id = given && given.length > 0 ? given : `evt_${String(position).padStart(5, "0")}`;
      position++;
      if (seen.has(id)) {
        repeats.push({
          file: context.file,
          line: entry.line,
          message: `event id ${id} appears again; the repeat was skipped`,
        });
        return null;
      }
      seen.add(id);
      entry.event.id = id;
      if (!entry.event.processed_at) {
        throw transcriptError(
          "missing_time",
          context.file,
          entry.line,
          `event ${id} carries no time. Export the session again.`,
        );
      }
      checkEventSize(entry, context.file, maxEventBytes);
      const event = checkedEvent(entry, kept, context.file, format);
      kept++;
      firstEventAt ??= event.processed_at;
      return event;
    },
    get kept() {
      return kept;
    },
    get firstEventAt() {
      return firstEventAt;
    },
    repeats,
  };
}
