import { NocturneError } from "../errors.js";
import type { SessionPartsDriver, SessionWriter } from "../ports/session-writer.js";
import { SessionEvent, SessionHeader, type SessionHeaderInput, type SessionSummary } from "../schemas/session.js";
import { parseInput } from "./parse-input.js";

/** A part holds at most this many events… */
export const SESSION_PART_MAX_EVENTS = 1000;
/** …and is handed over once its JSON reaches this many characters (a single larger event makes a part alone). */
export const SESSION_PART_MAX_CHARS = 1024 * 1024;

/** Options for {@link sessionWriter}. */
export interface SessionWriterOptions {
  /** A set the writer is in until it commits or aborts, so an adapter's `close()` can abort what is still open. */
  open?: Set<SessionWriter>;
}

type WriterState = "open" | "committed" | "aborted";

/**
 * Wraps an adapter's {@link SessionPartsDriver} with the rules every adapter shares: events are checked as
 * `putSession` checks them (schema, ids unique across the whole session), gathered into parts of at most
 * {@link SESSION_PART_MAX_EVENTS} events or {@link SESSION_PART_MAX_CHARS} characters of JSON, handed over one at a
 * time and in order; the header is checked at commit; any failure aborts the driver, and calls after the end are
 * refused with `invalid_input`.
 */
export function sessionWriter(driver: SessionPartsDriver, options: SessionWriterOptions = {}): SessionWriter {
  let state: WriterState = "open";
  let queue: Promise<unknown> = Promise.resolve();
  const ids = new Set<string>();
  let count = 0;
  let parts = 0;
  let events: SessionEvent[] = [];
  let texts: string[] = [];
  let chars = 0;

  const settle = async (next: WriterState, discard: boolean) => {
    state = next;
    options.open?.delete(writer);
    events = [];
    texts = [];
    ids.clear();
    if (discard) await driver.abort();
  };
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  const guarded = async <T>(action: string, task: () => Promise<T>): Promise<T> => {
    if (state !== "open") throw closedWriter(action, state);
    try {
      return await task();
    } catch (error) {
      if (state === "open") await settle("aborted", true).catch(() => undefined);
      throw error;
    }
  };
  const flush = async () => {
    if (events.length === 0) return;
    const part = { index: parts++, events, json: `[${texts.join(",")}]` };
    events = [];
    texts = [];
    chars = 0;
    await driver.stage(part);
  };

  const writer: SessionWriter = {
    append: (batch) =>
      serial(() =>
        guarded("append to", async () => {
          for (const input of batch) {
            const event = parseInput(SessionEvent, input, `session event (events.${count})`);
            if (ids.has(event.id)) throw duplicateEvent(event.id, count);
            ids.add(event.id);
            const text = JSON.stringify(event);
            events.push(event);
            texts.push(text);
            chars += text.length;
            count++;
            if (events.length >= SESSION_PART_MAX_EVENTS || chars >= SESSION_PART_MAX_CHARS) await flush();
          }
        }),
      ),
    commit: (input: SessionHeaderInput) =>
      serial(() =>
        guarded("commit", async (): Promise<SessionSummary> => {
          const header = parseInput(SessionHeader, input, "session");
          await flush();
          await driver.commit(header, count);
          await settle("committed", false);
          return { id: header.id, title: header.title, created_at: header.created_at, event_count: count };
        }),
      ),
    abort: () =>
      serial(async () => {
        if (state === "open") await settle("aborted", true);
      }),
  };
  options.open?.add(writer);
  return writer;
}

function duplicateEvent(id: string, index: number): NocturneError {
  return new NocturneError(
    "invalid_input",
    `Invalid session at events.${index}.id: duplicate event id ${id}. Give every event its own id and write the session again.`,
    { details: { event_id: id, index } },
  );
}

function closedWriter(action: string, state: WriterState): NocturneError {
  return new NocturneError(
    "invalid_input",
    `Cannot ${action} this session writer: it was already ${state}. Open a new one with sessionWriterFor(storage).`,
    { details: { state } },
  );
}
