import type { MemoryStore } from "@nocturne/core";
import { Hono } from "hono";
import { HttpError } from "../http-error.js";
import {
  CreateMemoryStoreBody,
  ListMemoryStoresQuery,
  mergeMetadata,
  NoQuery,
  UpdateMemoryStoreBody,
} from "../request-schemas.js";
import { memoryStoreShape } from "../resource-shapes.js";
import { type AppEnv, type RouteDeps, readBody, readQuery } from "../route-kit.js";
import { pageOwned } from "./page-owned.js";

/** `/v1/memory_stores`: create, retrieve, list, update, archive, delete. */
export function memoryStoreRoutes({ nocturne, limits }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const storage = nocturne.storage;
  const atCap = () =>
    new HttpError(
      "invalid_request_error",
      `memory_store_org_limit_exceeded: this workspace holds ${limits.maxMemoryStoresPerWorkspace} memory stores, ` +
        "the most it may. Delete memory stores it no longer needs, then retry.",
    );

  app.post("/", async (c) => {
    const access = c.get("access");
    readQuery(c, NoQuery);
    const body = await readBody(c, CreateMemoryStoreBody);
    const max = limits.maxMemoryStoresPerWorkspace;
    if ((await access.count("memory_store")) >= max) throw atCap();
    const store = await storage.createMemoryStore(body);
    // The claim counts and inserts atomically (across every server sharing the tenancy store): of concurrent
    // creates, those past the cap lose their claim, and their store is deleted again.
    if (!(await access.claimUnderCap("memory_store", store.id, max))) {
      await storage.deleteMemoryStore(store.id).catch(() => undefined);
      throw atCap();
    }
    return c.json(memoryStoreShape(store));
  });

  app.get("/", async (c) => {
    const access = c.get("access");
    const query = readQuery(c, ListMemoryStoresQuery);
    const gte = query["created_at[gte]"];
    const lte = query["created_at[lte]"];
    const keep = (store: MemoryStore) =>
      (query.include_archived === true || store.archived_at === null) &&
      (gte === undefined || Date.parse(store.created_at) >= Date.parse(gte)) &&
      (lte === undefined || Date.parse(store.created_at) <= Date.parse(lte));
    const page = await pageOwned({
      access,
      kind: "memory_store",
      list: "memory_stores",
      page: query.page,
      limit: query.limit ?? 20,
      descending: false,
      load: async (id) => {
        const store = await storage.getMemoryStore(id);
        return store !== null && keep(store) ? memoryStoreShape(store) : null;
      },
    });
    return c.json(page);
  });

  app.get("/:id", async (c) => {
    readQuery(c, NoQuery);
    return c.json(memoryStoreShape(await c.get("access").store(c.req.param("id"))));
  });

  app.post("/:id", async (c) => {
    readQuery(c, NoQuery);
    const store = await c.get("access").store(c.req.param("id"));
    const body = await readBody(c, UpdateMemoryStoreBody);
    const updated = await storage.updateMemoryStore(store.id, {
      ...(body.name == null ? {} : { name: body.name }),
      ...(body.description == null ? {} : { description: body.description }),
      ...(body.metadata == null ? {} : { metadata: mergeMetadata(store.metadata, body.metadata) }),
    });
    return c.json(memoryStoreShape(updated));
  });

  app.post("/:id/archive", async (c) => {
    readQuery(c, NoQuery);
    const store = await c.get("access").store(c.req.param("id"));
    return c.json(memoryStoreShape(await storage.archiveMemoryStore(store.id)));
  });

  app.delete("/:id", async (c) => {
    readQuery(c, NoQuery);
    const access = c.get("access");
    const store = await access.store(c.req.param("id"));
    await storage.deleteMemoryStore(store.id);
    await access.release("memory_store", store.id);
    return c.json({ id: store.id, type: "memory_store_deleted" as const });
  });

  return app;
}
