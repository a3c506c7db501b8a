import type { StorageDriver } from "../ports/storage-driver.js";
import type { Page, PageOptions } from "../schemas/common.js";
import type { Session, SessionSummary } from "../schemas/session.js";
import { copyPlain } from "../util/copy-steps.js";
import { commitWith, pageOfEntries, SESSION_SUMMARIES, SESSIONS } from "./driver-records.js";
import { checkSession, sessionNotFound } from "./storage-rules.js";

/** Sessions on a driver: each stored whole, beside its summary so listing never reads events. */
export const driverSessions = {
  async put(driver: StorageDriver, session: Session): Promise<Session> {
    const stored = copyPlain(checkSession(session));
    const summary: SessionSummary = {
      id: stored.id,
      title: stored.title,
      created_at: stored.created_at,
      event_count: stored.events.length,
    };
    await commitWith(driver, async () => ({
      writes: [
        { op: "put", collection: SESSIONS, key: stored.id, value: stored },
        { op: "put", collection: SESSION_SUMMARIES, key: stored.id, value: summary },
      ],
      result: undefined,
    }));
    return copyPlain(stored);
  },

  async get(driver: StorageDriver, id: string): Promise<Session | null> {
    const entry = await driver.get(SESSIONS, id);
    return entry ? copyPlain(entry.value as Session) : null;
  },

  list(driver: StorageDriver, options: PageOptions): Promise<Page<SessionSummary>> {
    return pageOfEntries(driver, SESSION_SUMMARIES, "", options);
  },

  async delete(driver: StorageDriver, id: string): Promise<void> {
    await commitWith(driver, async () => {
      const entry = await driver.get(SESSION_SUMMARIES, id);
      if (!entry) throw sessionNotFound(id);
      return {
        writes: [
          { op: "delete", collection: SESSION_SUMMARIES, key: id, expected: entry.version },
          { op: "delete", collection: SESSIONS, key: id },
        ],
        result: undefined,
      };
    });
  },
};
