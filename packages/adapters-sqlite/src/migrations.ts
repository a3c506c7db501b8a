import { NocturneError } from "@nocturne/core";
import type Database from "better-sqlite3";

/**
 * The schema, one step per version; `PRAGMA user_version` records how many have run. Steps are append-only:
 * a released step never changes, a new version adds a step.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE memory_stores (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    metadata TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived_at TEXT,
    locked_by TEXT
  ) STRICT;

  CREATE TABLE memories (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES memory_stores (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    content TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    content_size_bytes INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  -- Lookups by path, listing in path (byte) order, and prefix range scans all use this index.
  CREATE UNIQUE INDEX memories_store_path ON memories (store_id, path);

  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    title TEXT,
    created_at TEXT NOT NULL,
    event_count INTEGER NOT NULL,
    body TEXT NOT NULL
  ) STRICT;

  CREATE TABLE dreams (
    id TEXT PRIMARY KEY,
    archived_at TEXT,
    dream TEXT NOT NULL,
    report TEXT,
    owner TEXT
  ) STRICT;
  `,
  `
  -- Version 2: the lineage a dream keeps beside a memory (JSON), null for memories no dream wrote.
  ALTER TABLE memories ADD COLUMN lineage TEXT;
  `,
  `
  -- Version 3: a session written in parts keeps its events in session_parts, one row per part (a JSON array), under
  -- the parts_key its sessions row names; its body then holds the session with no events. Null for sessions put whole.
  ALTER TABLE sessions ADD COLUMN parts_key TEXT;
  CREATE TABLE session_parts (
    parts_key TEXT NOT NULL,
    part INTEGER NOT NULL,
    events TEXT NOT NULL,
    PRIMARY KEY (parts_key, part)
  ) STRICT;
  `,
  `
  -- Version 4: the history of every memory write (the hosted memory_version shape), kept with its store. Actors are
  -- JSON; path, content, hash and size are null once redacted (and the last three on a deleted version).
  CREATE TABLE memory_versions (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES memory_stores (id) ON DELETE CASCADE,
    memory_id TEXT NOT NULL,
    operation TEXT NOT NULL,
    path TEXT,
    content TEXT,
    content_sha256 TEXT,
    content_size_bytes INTEGER,
    created_at TEXT NOT NULL,
    created_by TEXT,
    redacted_at TEXT,
    redacted_by TEXT
  ) STRICT;
  CREATE INDEX memory_versions_store ON memory_versions (store_id, id);
  CREATE INDEX memory_versions_memory ON memory_versions (store_id, memory_id, id);
  `,
];

/** The schema version this adapter writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database to {@link SCHEMA_VERSION}, each step in its own immediate transaction (so two processes
 * opening a new file at once do not both run it). Refuses a database written by a newer version.
 */
export function migrate(db: Database.Database, file: string): void {
  const versionOf = () => db.pragma("user_version", { simple: true }) as number;
  const tooNew = (version: number) =>
    new NocturneError(
      "storage_error",
      `The database ${file} has schema version ${version}, newer than this @nocturne/adapters-sqlite understands (${SCHEMA_VERSION}). Upgrade the package.`,
      { details: { file, schema_version: version, supported: SCHEMA_VERSION } },
    );
  if (versionOf() > SCHEMA_VERSION) throw tooNew(versionOf());
  while (versionOf() < SCHEMA_VERSION) {
    db.transaction(() => {
      const version = versionOf();
      if (version >= SCHEMA_VERSION) return;
      db.exec(MIGRATIONS[version] as string);
      // A pragma takes no bound parameters; the value is this module's own integer, never user input.
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
