import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { verifyApiKey } from "./api-keys.js";
import { errorResponse, HttpError } from "./http-error.js";
import { createRateLimiter } from "./rate-limiter.js";
import type { AppEnv, RouteDeps } from "./route-kit.js";
import { dreamRoutes } from "./routes/dreams.js";
import { memoryRoutes } from "./routes/memories.js";
import { memoryStoreRoutes } from "./routes/memory-stores.js";
import { memoryVersionRoutes } from "./routes/memory-versions.js";
import { sessionRoutes } from "./routes/sessions.js";
import { resolveLimits, type ServerOptions } from "./server-options.js";
import { WorkspaceAccess } from "./workspace-access.js";

/**
 * The HTTP application: the hosted `/v1/dreams` and `/v1/memory_stores` routes (with memories and memory versions)
 * and Nocturne's `/v1/sessions` import, behind `x-api-key` authentication, a per-key rate limit, a body size limit
 * and workspace tenancy. Any `anthropic-beta` and `anthropic-version` header is accepted. Errors are the hosted
 * envelope `{type: "error", error: {type, message}}`, with the status core's error table gives.
 */
export function createApp(options: ServerOptions): Hono<AppEnv> {
  const { nocturne, tenancy } = options;
  const limits = resolveLimits(options.limits);
  const limiter = createRateLimiter(limits.requestsPerSecond, limits.burst);
  const app = new Hono<AppEnv>();

  app.onError((error, c) => {
    const { status, body, headers } = errorResponse(error);
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    return c.json(body, status as ContentfulStatusCode);
  });
  app.notFound(() => {
    throw new HttpError("not_found_error", "No such route.");
  });

  app.use("/v1/*", async (c, next) => {
    const presented = presentedKey(c.req.header("x-api-key"), c.req.header("authorization"));
    const key = presented === undefined ? null : await verifyApiKey(tenancy, presented);
    if (key === null) {
      throw new HttpError(
        "authentication_error",
        "Missing or unknown API key (x-api-key, or Authorization: Bearer). Create one with `nocturne serve keys create`.",
      );
    }
    const workspaceHeader = c.req.header("anthropic-workspace-id");
    if (workspaceHeader !== undefined && workspaceHeader !== key.workspace) {
      throw new HttpError(
        "permission_error",
        "anthropic-workspace-id names a workspace this API key does not belong to.",
      );
    }
    const wait = limiter.take(key.id);
    if (wait > 0) {
      throw new HttpError("rate_limit_error", `Too many requests for this API key. Retry after ${wait} s.`, {
        "retry-after": String(wait),
      });
    }
    const access = new WorkspaceAccess(key, tenancy, nocturne);
    // Reads are GETs; every other method writes, which a read-only key may not.
    if (c.req.method !== "GET" && c.req.method !== "HEAD") access.requireWrite();
    c.set("access", access);
    await next();
  });
  app.use(
    "/v1/*",
    bodyLimit({
      maxSize: limits.maxBodyBytes,
      onError: () => {
        throw new HttpError("request_too_large", `The request body is larger than ${limits.maxBodyBytes} bytes.`);
      },
    }),
  );

  const deps: RouteDeps = { nocturne, limits };
  app.route("/v1/dreams", dreamRoutes(deps));
  app.route("/v1/memory_stores", memoryStoreRoutes(deps));
  app.route("/v1/memory_stores", memoryRoutes(deps));
  app.route("/v1/memory_stores", memoryVersionRoutes(deps));
  app.route("/v1/sessions", sessionRoutes(deps));
  return app;
}

/**
 * The key a request presents: `x-api-key`, or `Authorization: Bearer <key>` (what the official SDK 1.x sends for
 * its `apiKey` option).
 */
function presentedKey(apiKey: string | undefined, authorization: string | undefined): string | undefined {
  if (apiKey !== undefined) return apiKey;
  const match = authorization === undefined ? null : /^Bearer\s+(\S+)$/i.exec(authorization);
  return match?.[1];
}
