import { importTranscript, NocturneError, newId } from "@nocturne/core";
import { Hono } from "hono";
import { HttpError } from "../http-error.js";
import { decodeCursor, encodeCursor } from "../page-cursor.js";
import {
  ImportSessionBody,
  ListSessionEventsQuery,
  ListSessionsQuery,
  NoQuery,
  StreamSessionEventsQuery,
} from "../request-schemas.js";
import { sessionShape } from "../resource-shapes.js";
import { type AppEnv, type RouteDeps, readBody, readQuery } from "../route-kit.js";
import { eventsSoFar, runSessionShape, sessionEventOf } from "../run-sessions.js";
import { pageOwned } from "./page-owned.js";
import { streamRunSession } from "./session-stream.js";

/**
 * `/v1/sessions`. Nocturne's own (the hosted API has no import): import a transcript as a session, list and
 * retrieve the workspace's imported sessions (without events), delete one; the importers are core's. And the
 * hosted ones for a dream's run session (its `session_id`): retrieve it, list its events, stream them.
 */
export function sessionRoutes({ nocturne }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const storage = nocturne.storage;

  app.post("/import", async (c) => {
    const access = c.get("access");
    readQuery(c, NoQuery);
    const body = await readBody(c, ImportSessionBody);
    const imported = importTranscript(body.transcript, {
      fileName: body.file_name ?? "transcript",
      ...(body.format === undefined ? {} : { format: body.format }),
      ...(body.session_time === undefined ? {} : { sessionTime: body.session_time }),
    });
    // A fresh id always: a transcript naming its own id must never replace a session of another workspace.
    const session = await storage.putSession({ ...imported.session, id: newId("sesn") });
    await access.claim("session", session.id);
    return c.json({
      ...sessionShape({
        id: session.id,
        title: session.title,
        created_at: session.created_at,
        event_count: session.events.length,
      }),
      metadata: session.metadata,
      format: imported.format,
      warnings: imported.warnings,
    });
  });

  app.get("/", async (c) => {
    const access = c.get("access");
    const query = readQuery(c, ListSessionsQuery);
    return c.json(
      await pageOwned({
        access,
        kind: "session",
        list: "sessions",
        page: query.page,
        limit: query.limit ?? 20,
        descending: false,
        load: async (id) => {
          const session = await storage.getSession(id);
          return session === null
            ? null
            : sessionShape({
                id,
                title: session.title,
                created_at: session.created_at,
                event_count: session.events.length,
              });
        },
      }),
    );
  });

  app.get("/:id", async (c) => {
    readQuery(c, NoQuery);
    const id = c.req.param("id");
    const access = c.get("access");
    // A dream's run session, unless the workspace imported a session of that id.
    if (!(await access.owns("session", id))) return c.json(runSessionShape(await access.runSession(id)));
    const session = await storage.getSession(id);
    if (session === null) throw new NocturneError("session_not_found", `No session with id ${JSON.stringify(id)}.`);
    return c.json({
      ...sessionShape({ id, title: session.title, created_at: session.created_at, event_count: session.events.length }),
      metadata: session.metadata,
    });
  });

  app.get("/:id/events", async (c) => {
    const query = readQuery(c, ListSessionEventsQuery);
    const id = c.req.param("id");
    const dream = await c.get("access").runSession(id);
    const list = `session_events:${id}:${query.order ?? "asc"}`;
    const at = decodeCursor(list, query.page);
    if (at !== undefined && typeof at !== "number") {
      throw new HttpError("invalid_request_error", "page: not a cursor of this list.");
    }
    const types = query.types === undefined ? null : [query.types].flat();
    const time = (name: "gt" | "gte" | "lt" | "lte") => {
      const value = query[`created_at[${name}]`];
      return value === undefined ? null : Date.parse(value);
    };
    const [gt, gte, lt, lte] = [time("gt"), time("gte"), time("lt"), time("lte")];
    let events = (await eventsSoFar(nocturne, dream)).map(sessionEventOf).filter((event) => {
      const when = Date.parse(event.processed_at);
      return (
        (types === null || types.includes(event.type)) &&
        (gt === null || when > gt) &&
        (gte === null || when >= gte) &&
        (lt === null || when < lt) &&
        (lte === null || when <= lte)
      );
    });
    if (query.order === "desc") events = events.reverse();
    const descending = query.order === "desc";
    if (at !== undefined) {
      events = events.filter((event) => (descending ? event.dream_event.seq < at : event.dream_event.seq > at));
    }
    const limit = query.limit ?? 20;
    const data = events.slice(0, limit);
    const last = data.at(-1);
    return c.json({
      data,
      next_page: events.length > limit && last !== undefined ? encodeCursor(list, last.dream_event.seq) : null,
    });
  });

  app.get("/:id/events/stream", async (c) => {
    readQuery(c, StreamSessionEventsQuery);
    const dream = await c.get("access").runSession(c.req.param("id"));
    return streamRunSession(c, nocturne, dream);
  });

  app.delete("/:id", async (c) => {
    readQuery(c, NoQuery);
    const access = c.get("access");
    const id = c.req.param("id");
    await access.session(id);
    await storage.deleteSession(id);
    await access.release("session", id);
    return c.json({ id, type: "session_deleted" as const });
  });

  return app;
}
