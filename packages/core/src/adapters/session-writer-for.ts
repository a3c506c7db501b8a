import type { SessionWriter } from "../ports/session-writer.js";
import type { StorageAdapter } from "../ports/storage-adapter.js";
import type { SessionEvent } from "../schemas/session.js";
import { sessionWriter } from "./session-writer-rules.js";
import { sessionOf } from "./storage-rules.js";

/**
 * A {@link SessionWriter} on any adapter: the adapter's own (`openSessionWriter`, which stores the events as they
 * come), or — for an adapter without one, such as a third-party adapter written before it existed — one that
 * holds the events in memory and stores the session with a single `putSession` at commit. Either way the rules
 * are the same and the session appears whole or not at all.
 */
export async function sessionWriterFor(storage: StorageAdapter): Promise<SessionWriter> {
  if (storage.openSessionWriter) return storage.openSessionWriter();
  return bufferedSessionWriter(storage);
}

/** The fallback writer: every part kept in memory until one `putSession` at commit. */
export function bufferedSessionWriter(storage: StorageAdapter): SessionWriter {
  let events: SessionEvent[] = [];
  return sessionWriter({
    async stage(part) {
      for (const event of part.events) events.push(event);
    },
    async commit(header) {
      const all = events;
      events = [];
      await storage.putSession(sessionOf(header, all));
    },
    async abort() {
      events = [];
    },
  });
}
