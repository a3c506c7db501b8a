import type { Dream } from "@nocturne/core";
import { Hono } from "hono";
import { CreateDreamBody, ListDreamsQuery, NoQuery } from "../request-schemas.js";
import { dreamShape } from "../resource-shapes.js";
import { type AppEnv, type RouteDeps, readBody, readQuery } from "../route-kit.js";
import { pageOwned } from "./page-owned.js";

/** `/v1/dreams`: create, retrieve, list, cancel, archive. */
export function dreamRoutes({ nocturne, limits }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post("/", async (c) => {
    const access = c.get("access");
    readQuery(c, NoQuery);
    const body = await readBody(c, CreateDreamBody);
    for (const input of body.inputs) {
      if (input.type === "memory_store") await access.store(input.memory_store_id);
      else for (const id of input.session_ids) await access.session(id);
    }
    if (body.output_behavior?.type === "update_existing") await access.store(body.output_behavior.memory_store_id);
    const dream = await nocturne.dreams.create(
      {
        inputs: body.inputs,
        model: typeof body.model === "string" ? body.model : body.model.id,
        instructions: body.instructions ?? "",
        ...(body.output_behavior === undefined ? {} : { output_behavior: body.output_behavior }),
      },
      limits.dreamTimeoutMs === undefined ? {} : { timeoutMs: limits.dreamTimeoutMs },
    );
    await access.claim("dream", dream.id);
    // The output store is claimed once the dream ends, so lists show it even if no one retrieves the dream.
    nocturne.dreams
      .wait(dream.id)
      .then((ended) => access.claimOutputs(ended))
      .catch(() => undefined);
    return c.json(dreamShape(dream));
  });

  app.get("/", async (c) => {
    const access = c.get("access");
    const query = readQuery(c, ListDreamsQuery);
    const statuses = query.statuses === undefined ? null : [query.statuses].flat();
    const keep = (dream: Dream) =>
      (query.include_archived === true || dream.archived_at === null) &&
      (statuses === null || statuses.includes(dream.status)) &&
      (query["created_at[gt]"] === undefined || Date.parse(dream.created_at) > Date.parse(query["created_at[gt]"])) &&
      (query["created_at[lt]"] === undefined || Date.parse(dream.created_at) < Date.parse(query["created_at[lt]"]));
    const page = await pageOwned({
      access,
      kind: "dream",
      list: "dreams",
      page: query.page,
      limit: query.limit ?? 20,
      descending: true,
      load: async (id) => {
        const dream = await nocturne.dreams.retrieve(id).catch(() => null);
        if (dream !== null) await access.claimOutputs(dream);
        return dream !== null && keep(dream) ? dreamShape(dream) : null;
      },
    });
    return c.json(page);
  });

  app.get("/:id", async (c) => {
    readQuery(c, NoQuery);
    return c.json(dreamShape(await c.get("access").dream(c.req.param("id"))));
  });

  app.post("/:id/cancel", async (c) => {
    readQuery(c, NoQuery);
    const access = c.get("access");
    const dream = await access.dream(c.req.param("id"));
    const canceled = await nocturne.dreams.cancel(dream.id);
    await access.claimOutputs(canceled);
    return c.json(dreamShape(canceled));
  });

  app.post("/:id/archive", async (c) => {
    readQuery(c, NoQuery);
    const dream = await c.get("access").dream(c.req.param("id"));
    return c.json(dreamShape(await nocturne.dreams.archive(dream.id)));
  });

  return app;
}
