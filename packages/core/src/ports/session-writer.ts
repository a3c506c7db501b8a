import type { SessionEvent, SessionHeader, SessionHeaderInput, SessionSummary } from "../schemas/session.js";

/**
 * A session written in parts, for transcripts too large to hold whole: events are appended in batches, and the
 * session appears only at `commit`, whole and in one step (replacing any session of the same id). Until then, and
 * forever after `abort` or any failure, readers see nothing of it. Get one with `sessionWriterFor(storage)`.
 *
 * Call each method only once the previous call settled, and always end with `commit` or `abort`: an adapter may
 * hold a connection or a temporary file until then.
 */
export interface SessionWriter {
  /**
   * Adds events after those appended so far. Each is checked like `putSession` checks it; a bad event or an id
   * seen before rejects with `invalid_input`, and the writer is then aborted.
   */
  append(events: readonly SessionEvent[]): Promise<void>;
  /**
   * Makes the session visible with every event appended, replacing a session of the same id. `invalid_input` for
   * a bad header. Whatever fails, nothing of this session is visible afterwards and the writer is aborted.
   */
  commit(header: SessionHeaderInput): Promise<SessionSummary>;
  /** Discards what was appended. Safe to call twice, and a no-op once committed. */
  abort(): Promise<void>;
}

/** One batch of checked events, as core hands it to a {@link SessionPartsDriver}. */
export interface SessionPart {
  /** 0 for the first part, then 1, 2, … */
  index: number;
  events: SessionEvent[];
  /** The same events as a compact JSON array, serialized once by core for drivers that store text. */
  json: string;
}

/**
 * What an adapter implements to store sessions in parts; `storageRules.sessionWriter(driver)` wraps it with the
 * rules (checks, duplicate ids, batching into parts, the order of calls, aborting on failure), so a driver only
 * stages and swaps. See docs/adapters.md.
 */
export interface SessionPartsDriver {
  /** Stages one part where no reader sees it. Parts arrive one at a time, in order. */
  stage(part: SessionPart): Promise<void>;
  /**
   * In one atomic step, makes the staged parts the events of session `header.id`, replacing any session of that
   * id and all of its events. On failure nothing may have changed.
   */
  commit(header: SessionHeader, eventCount: number): Promise<void>;
  /** Discards what was staged. Called at most once, never after a successful commit, maybe before any stage. */
  abort(): Promise<void>;
}
