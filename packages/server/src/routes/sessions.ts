import { importTranscript, NocturneError, newId } from "@nocturne/core";
import { Hono } from "hono";
import { ImportSessionBody, ListSessionsQuery, NoQuery } from "../request-schemas.js";
import { sessionShape } from "../resource-shapes.js";
import { type AppEnv, type RouteDeps, readBody, readQuery } from "../route-kit.js";
import { pageOwned } from "./page-owned.js";

/**
 * `/v1/sessions` (Nocturne's own; the hosted API has no import): import a transcript as a session, list and
 * retrieve the workspace's sessions (without events), delete one. The importers are core's.
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
    await c.get("access").session(id);
    const session = await storage.getSession(id);
    if (session === null) throw new NocturneError("session_not_found", `No session with id ${JSON.stringify(id)}.`);
    return c.json({
      ...sessionShape({ id, title: session.title, created_at: session.created_at, event_count: session.events.length }),
      metadata: session.metadata,
    });
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
