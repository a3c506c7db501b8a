/** One versioned change to the database schema. `sql` receives the quoted schema name. */
export interface Migration {
  version: number;
  name: string;
  sql(schema: string): string;
}

/**
 * Every migration, oldest first. Append only: a published migration never changes, a new version fixes it.
 *
 * Paths and ids use `COLLATE "C"` so they sort by bytes, which on a UTF-8 database is the UTF-8 byte order the
 * reference adapter lists in; the primary key `(store_id, path)` then serves list-by-prefix as a range scan
 * inside one store, however many stores and tenants share the table.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "stores, memories, sessions and dreams",
    sql: (s) => `
      CREATE TABLE ${s}.memory_stores (
        id text COLLATE "C" PRIMARY KEY,
        tenant text COLLATE "C" NOT NULL,
        name text NOT NULL,
        description text NOT NULL,
        metadata json NOT NULL,
        lock_dream_id text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        archived_at timestamptz
      );
      CREATE UNIQUE INDEX memory_stores_tenant_id ON ${s}.memory_stores (tenant, id);

      CREATE TABLE ${s}.memories (
        store_id text COLLATE "C" NOT NULL REFERENCES ${s}.memory_stores (id) ON DELETE CASCADE,
        path text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        content text NOT NULL,
        content_sha256 text NOT NULL,
        content_size_bytes integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (store_id, path)
      );
      CREATE UNIQUE INDEX memories_store_id_id ON ${s}.memories (store_id, id);

      CREATE TABLE ${s}.sessions (
        tenant text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        title text,
        created_at text NOT NULL,
        event_count integer NOT NULL,
        body json NOT NULL,
        PRIMARY KEY (tenant, id)
      );

      CREATE TABLE ${s}.dreams (
        tenant text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        status text NOT NULL,
        archived boolean NOT NULL,
        record json NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant, id)
      );
    `,
  },
  {
    version: 2,
    name: "memory lineage",
    sql: (s) => `ALTER TABLE ${s}.memories ADD COLUMN lineage text;`,
  },
  {
    version: 3,
    name: "sessions written in parts",
    // A session written in parts keeps its events in session_parts, one row per part (a JSON array), under the
    // parts_key its sessions row names; its body then holds the session with no events. Parts are inserted before
    // the session they belong to is known, so tenant and session_id are filled in at commit.
    sql: (s) => `
      ALTER TABLE ${s}.sessions ADD COLUMN parts_key text;
      CREATE TABLE ${s}.session_parts (
        parts_key text COLLATE "C" NOT NULL,
        part integer NOT NULL,
        tenant text COLLATE "C",
        session_id text COLLATE "C",
        events text NOT NULL,
        PRIMARY KEY (parts_key, part)
      );
      CREATE INDEX session_parts_session ON ${s}.session_parts (tenant, session_id);
    `,
  },
  {
    version: 4,
    name: "memory versions",
    // The history of every memory write (the hosted memory_version shape), deleted with its store. Path, content,
    // hash and size are NULL once redacted (the last three on a deleted version too); actors are JSON.
    sql: (s) => `
      CREATE TABLE ${s}.memory_versions (
        store_id text COLLATE "C" NOT NULL REFERENCES ${s}.memory_stores (id) ON DELETE CASCADE,
        id text COLLATE "C" NOT NULL,
        memory_id text COLLATE "C" NOT NULL,
        operation text NOT NULL,
        path text COLLATE "C",
        content text,
        content_sha256 text,
        content_size_bytes integer,
        created_at timestamptz NOT NULL,
        created_by json,
        redacted_at timestamptz,
        redacted_by json,
        PRIMARY KEY (store_id, id)
      );
      CREATE INDEX memory_versions_memory ON ${s}.memory_versions (store_id, memory_id, id);
    `,
  },
];

/** The schema version this package's code expects. */
export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
