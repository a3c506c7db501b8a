import { randomBytes } from "node:crypto";
import type { Session, SessionEvent, SessionHeader, SessionPartsDriver } from "@nocturne/core";
import type pg from "pg";

/** What the driver needs from the adapter. */
export interface PostgresSessionParts {
  pool: pg.Pool;
  /** The quoted schema. */
  s: string;
  tenant: string;
  /** Runs `work`, turning failures into typed errors. */
  run<T>(action: string, work: () => Promise<T>): Promise<T>;
}

/**
 * Sessions written in parts on PostgreSQL: the writer holds one pooled connection with a transaction open from its
 * first part to commit, inserting each part into `session_parts` under a fresh key. Nobody else sees them until
 * COMMIT; a writer that dies or loses its connection is rolled back by the server, leaving nothing behind. Commit
 * claims the parts for the session, points its row at them and deletes every other part of that session.
 */
export function postgresSessionParts(adapter: PostgresSessionParts): SessionPartsDriver {
  const { pool, s, tenant } = adapter;
  const key = randomBytes(12).toString("hex");
  let client: pg.PoolClient | undefined;
  let lost: Error | undefined;
  // A connection the server ends while it waits between parts reports it as an event; the next query fails too.
  const onError = (error: Error) => {
    lost = error;
  };
  const begun = async (): Promise<pg.PoolClient> => {
    if (client === undefined) {
      const connected = await pool.connect();
      connected.on("error", onError);
      client = connected;
      await connected.query("BEGIN");
    }
    return client;
  };
  const release = (broken?: Error) => {
    client?.off("error", onError);
    client?.release(broken ?? lost);
    client = undefined;
  };
  return {
    stage: (part) =>
      adapter.run("store part of a session", async () => {
        await (await begun()).query(`INSERT INTO ${s}.session_parts (parts_key, part, events) VALUES ($1, $2, $3)`, [
          key,
          part.index,
          part.json,
        ]);
      }),
    commit: (header, count) =>
      adapter.run("store a session", async () => {
        const connection = await begun();
        await connection.query(`UPDATE ${s}.session_parts SET tenant = $1, session_id = $2 WHERE parts_key = $3`, [
          tenant,
          header.id,
          key,
        ]);
        await putHeader(connection, adapter, header, count, key);
        await connection.query("COMMIT");
        release();
      }),
    abort: async () => {
      if (client === undefined) return;
      try {
        await client.query("ROLLBACK");
        release();
      } catch (error) {
        release(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
}

/**
 * Creates or replaces a session's row (a session put whole when `partsKey` is null, else its header with its events
 * under `partsKey`) and deletes every part of that session under another key. Run inside a transaction.
 */
export async function putHeader(
  client: pg.PoolClient,
  adapter: Pick<PostgresSessionParts, "s" | "tenant">,
  session: SessionHeader | Session,
  count: number,
  partsKey: string | null,
): Promise<void> {
  const { s, tenant } = adapter;
  const body = partsKey === null ? session : { ...session, events: [] };
  await client.query(
    `INSERT INTO ${s}.sessions (tenant, id, title, created_at, event_count, body, parts_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (tenant, id) DO UPDATE SET title = EXCLUDED.title, created_at = EXCLUDED.created_at,
       event_count = EXCLUDED.event_count, body = EXCLUDED.body, parts_key = EXCLUDED.parts_key`,
    [tenant, session.id, session.title, session.created_at, count, JSON.stringify(body), partsKey],
  );
  await client.query(
    `DELETE FROM ${s}.session_parts WHERE tenant = $1 AND session_id = $2 AND parts_key IS DISTINCT FROM $3`,
    [tenant, session.id, partsKey],
  );
}

/** A session's row and parts as one query returns them (one snapshot): one row per part, or one for a whole one. */
export interface SessionPartRow {
  body: Session;
  parts_key: string | null;
  events: string | null;
}

/** The query reading a session with its parts in order. Parameters: tenant, id. */
export function readSessionQuery(s: string): string {
  return `SELECT se.body, se.parts_key, p.events
          FROM ${s}.sessions se LEFT JOIN ${s}.session_parts p ON p.parts_key = se.parts_key
          WHERE se.tenant = $1 AND se.id = $2 ORDER BY p.part`;
}

/** The events of a session read by {@link readSessionQuery}. */
export function eventsOf(rows: SessionPartRow[]): SessionEvent[] {
  const first = rows[0];
  if (first === undefined) return [];
  if (first.parts_key === null) return first.body.events;
  const events: SessionEvent[] = [];
  for (const row of rows) {
    if (row.events !== null) for (const event of JSON.parse(row.events) as SessionEvent[]) events.push(event);
  }
  return events;
}
