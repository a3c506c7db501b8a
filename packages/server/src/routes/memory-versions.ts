import { type MemoryVersionLog, NocturneError } from "@nocturne/core";
import { Hono } from "hono";
import { decodeCursor, encodeCursor } from "../page-cursor.js";
import { ListMemoryVersionsQuery, NoQuery, ViewQuery } from "../request-schemas.js";
import { memoryVersionShape } from "../resource-shapes.js";
import { type AppEnv, type RouteDeps, readBody, readQuery } from "../route-kit.js";

/** `/v1/memory_stores/{id}/memory_versions`: list, retrieve, redact, in a store the workspace owns. */
export function memoryVersionRoutes({ nocturne }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const log = (): MemoryVersionLog => {
    const versions = nocturne.storage.memoryVersions;
    if (versions === undefined) {
      throw new NocturneError(
        "capability_not_supported",
        `The ${nocturne.storage.name} storage keeps no memory versions. Serve from a storage adapter that does.`,
      );
    }
    return versions;
  };

  app.get("/:store/memory_versions", async (c) => {
    const query = readQuery(c, ListMemoryVersionsQuery);
    const store = await c.get("access").store(c.req.param("store"));
    const list = `memory_versions:${store.id}:${query.memory_id ?? ""}`;
    const after = decodeCursor(list, query.page);
    const view = query.view ?? "basic";
    const page = await log().list(store.id, {
      limit: Math.min(query.limit ?? 20, view === "full" ? 20 : 100),
      ...(query.memory_id === undefined ? {} : { memory_id: query.memory_id }),
      ...(after === undefined ? {} : { after: String(after) }),
    });
    return c.json({
      data: page.data.map((version) => memoryVersionShape(version, view)),
      next_page: page.next_cursor === null ? null : encodeCursor(list, page.next_cursor),
    });
  });

  app.get("/:store/memory_versions/:version", async (c) => {
    const { view } = readQuery(c, ViewQuery);
    const store = await c.get("access").store(c.req.param("store"));
    const version = await log().get(store.id, c.req.param("version"));
    if (version === null) throw versionNotFound(c.req.param("version"));
    return c.json(memoryVersionShape(version, view ?? "full"));
  });

  app.post("/:store/memory_versions/:version/redact", async (c) => {
    readQuery(c, NoQuery);
    const access = c.get("access");
    const store = await access.store(c.req.param("store"));
    const text = await c.req.text();
    if (text.trim() !== "") await readBody(c, NoQuery);
    const version = await log().redact(store.id, c.req.param("version"), { actor: access.actor });
    return c.json(memoryVersionShape(version, "full"));
  });

  return app;
}

function versionNotFound(id: string): NocturneError {
  return new NocturneError(
    "memory_version_not_found",
    `No memory version with id ${JSON.stringify(id)} in this memory store.`,
  );
}
