import { type Memory, NocturneError } from "@nocturne/core";
import { Hono } from "hono";
import { decodeCursor, encodeCursor } from "../page-cursor.js";
import {
  CreateMemoryBody,
  DeleteMemoryQuery,
  ListMemoriesQuery,
  UpdateMemoryBody,
  ViewQuery,
} from "../request-schemas.js";
import { memoryShape } from "../resource-shapes.js";
import { type AppEnv, type RouteDeps, readBody, readQuery } from "../route-kit.js";

/** `/v1/memory_stores/{id}/memories`: create, retrieve, list, update, delete, in a store the workspace owns. */
export function memoryRoutes({ nocturne }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const storage = nocturne.storage;

  const memoryIn = async (storeId: string, memoryId: string): Promise<Memory> => {
    const memory = await storage.getMemory(storeId, memoryId);
    if (memory === null) {
      throw new NocturneError(
        "memory_not_found",
        `No memory with id ${JSON.stringify(memoryId)} in this memory store.`,
      );
    }
    return memory;
  };

  app.post("/:store/memories", async (c) => {
    const access = c.get("access");
    const { view } = readQuery(c, ViewQuery);
    const store = await access.store(c.req.param("store"));
    const body = await readBody(c, CreateMemoryBody);
    const memory = await storage.createMemory(
      store.id,
      { path: body.path, content: body.content ?? "" },
      { actor: access.actor },
    );
    return c.json(await memoryShape(storage, memory, view ?? "basic"));
  });

  app.get("/:store/memories", async (c) => {
    const query = readQuery(c, ListMemoriesQuery);
    const store = await c.get("access").store(c.req.param("store"));
    const after = decodeCursor(`memories:${store.id}`, query.page);
    const view = query.view ?? "basic";
    const page = await storage.listMemories(store.id, {
      limit: Math.min(query.limit ?? 20, view === "full" ? 20 : 100),
      ...(query.path_prefix === undefined ? {} : { path_prefix: query.path_prefix }),
      ...(after === undefined ? {} : { after: String(after) }),
    });
    return c.json({
      data: await Promise.all(page.data.map((memory) => memoryShape(storage, memory, view))),
      next_page: page.next_cursor === null ? null : encodeCursor(`memories:${store.id}`, page.next_cursor),
    });
  });

  app.get("/:store/memories/:memory", async (c) => {
    const { view } = readQuery(c, ViewQuery);
    const store = await c.get("access").store(c.req.param("store"));
    return c.json(await memoryShape(storage, await memoryIn(store.id, c.req.param("memory")), view ?? "full"));
  });

  app.post("/:store/memories/:memory", async (c) => {
    const access = c.get("access");
    const { view } = readQuery(c, ViewQuery);
    const store = await access.store(c.req.param("store"));
    const body = await readBody(c, UpdateMemoryBody);
    const expected = body.precondition?.content_sha256;
    const memory = await storage.updateMemory(
      store.id,
      c.req.param("memory"),
      {
        ...(body.path == null ? {} : { path: body.path }),
        ...(body.content == null ? {} : { content: body.content }),
        ...(expected === undefined ? {} : { precondition: { content_sha256: expected } }),
      },
      { actor: access.actor },
    );
    return c.json(await memoryShape(storage, memory, view ?? "basic"));
  });

  app.delete("/:store/memories/:memory", async (c) => {
    const access = c.get("access");
    const query = readQuery(c, DeleteMemoryQuery);
    const store = await access.store(c.req.param("store"));
    const id = c.req.param("memory");
    await storage.deleteMemory(store.id, id, {
      actor: access.actor,
      ...(query.expected_content_sha256 === undefined
        ? {}
        : { precondition: { content_sha256: query.expected_content_sha256 } }),
    });
    return c.json({ id, type: "memory_deleted" as const });
  });

  return app;
}
