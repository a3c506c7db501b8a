import type { DreamService } from "@nocturne/core";
import type { Context } from "hono";
import type { z } from "zod";
import { HttpError } from "./http-error.js";
import type { ResolvedLimits } from "./server-options.js";
import { validate } from "./validate.js";
import type { WorkspaceAccess } from "./workspace-access.js";

/** What every route reads from the request context. */
export interface AppEnv {
  Variables: {
    /** The caller's workspace, checked: see {@link WorkspaceAccess}. */
    access: WorkspaceAccess;
  };
}

/** What routes are built with. */
export interface RouteDeps {
  nocturne: DreamService;
  limits: ResolvedLimits;
}

/** The request's JSON body, validated; malformed JSON or a body that does not fit is a 400. */
export async function readBody<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.output<S>> {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new HttpError("invalid_request_error", "The request body is not valid JSON.");
  }
  return validate(schema, body, "body");
}

/**
 * The query string, validated. A repeated parameter is a list, and so is one named `name[]` (how the SDK sends
 * arrays): it is read as `name`.
 */
export function readQuery<S extends z.ZodType>(c: Context<AppEnv>, schema: S): z.output<S> {
  const query: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (name.endsWith("[]")) query[name.slice(0, -2)] = values;
    else query[name] = values.length === 1 ? (values[0] ?? "") : values;
  }
  return validate(schema, query, "query");
}

/** A page in the hosted shape: `next_page` is the cursor of the next page, or null on the last. */
export interface PageBody<T> {
  data: T[];
  next_page: string | null;
}
