import { randomBytes } from "node:crypto";
import type { SessionEvent, SessionHeader, SessionPartsDriver } from "@nocturne/core";
import type Database from "better-sqlite3";

/**
 * Where parts wait until commit: a temporary table of this connection, kept by SQLite in a file of its own that it
 * deletes itself, so a writer that dies leaves nothing behind, and staging takes no lock on the database.
 */
const STAGING = `CREATE TEMP TABLE IF NOT EXISTS staged_session_parts (
  parts_key TEXT NOT NULL,
  part INTEGER NOT NULL,
  events TEXT NOT NULL,
  PRIMARY KEY (parts_key, part)
)`;

/** How the driver reaches the adapter's connection. */
export interface SqliteSessionParts {
  db: Database.Database;
  /** Runs `task`, turning failures into typed errors. */
  run<T>(action: string, task: () => T): Promise<T>;
  /** Runs `task` in an immediate transaction. */
  write<T>(action: string, task: () => T): Promise<T>;
}

/**
 * Sessions written in parts on SQLite: parts are staged in a temporary table, and commit copies them into
 * `session_parts` under a fresh key, points the sessions row at it and drops the parts of the session it replaces,
 * all in one immediate transaction.
 */
export function sqliteSessionParts(adapter: SqliteSessionParts): SessionPartsDriver {
  const key = randomBytes(12).toString("hex");
  let staging = false;
  const { db } = adapter;
  return {
    stage: (part) =>
      adapter.run("store part of a session", () => {
        if (!staging) db.exec(STAGING);
        staging = true;
        db.prepare("INSERT INTO temp.staged_session_parts (parts_key, part, events) VALUES (?, ?, ?)").run(
          key,
          part.index,
          part.json,
        );
      }),
    commit: (header, count) =>
      adapter.write("store a session", () => {
        const old = db.prepare("SELECT parts_key FROM sessions WHERE id = ?").get(header.id) as
          | { parts_key: string | null }
          | undefined;
        if (staging) {
          db.prepare(
            `INSERT INTO session_parts (parts_key, part, events)
             SELECT parts_key, part, events FROM temp.staged_session_parts WHERE parts_key = ?`,
          ).run(key);
          db.prepare("DELETE FROM temp.staged_session_parts WHERE parts_key = ?").run(key);
        }
        putHeader(db, header, count, key);
        if (old?.parts_key) dropParts(db, old.parts_key);
      }),
    abort: async () => {
      if (staging && db.open) {
        await adapter.run("discard a session", () => {
          db.prepare("DELETE FROM temp.staged_session_parts WHERE parts_key = ?").run(key);
        });
      }
    },
  };
}

/** Creates or replaces the sessions row: its body the header with no events, its events under `partsKey`. */
export function putHeader(db: Database.Database, header: SessionHeader, count: number, partsKey: string): void {
  db.prepare(
    `INSERT INTO sessions (id, title, created_at, event_count, body, parts_key) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET title = excluded.title, created_at = excluded.created_at,
       event_count = excluded.event_count, body = excluded.body, parts_key = excluded.parts_key`,
  ).run(header.id, header.title, header.created_at, count, JSON.stringify({ ...header, events: [] }), partsKey);
}

/** Deletes the parts stored under `partsKey`. */
export function dropParts(db: Database.Database, partsKey: string): void {
  db.prepare("DELETE FROM session_parts WHERE parts_key = ?").run(partsKey);
}

/** Every event stored under `partsKey`, in order. Call inside a read transaction, with the sessions row. */
export function readParts(db: Database.Database, partsKey: string): SessionEvent[] {
  const events: SessionEvent[] = [];
  const rows = db.prepare("SELECT events FROM session_parts WHERE parts_key = ? ORDER BY part").iterate(partsKey);
  for (const row of rows as Iterable<{ events: string }>) {
    for (const event of JSON.parse(row.events) as SessionEvent[]) events.push(event);
  }
  return events;
}
