import type { z } from "zod";
import { HttpError } from "./http-error.js";

/** Parses `value` with `schema` or throws a 400 `invalid_request_error` naming every problem and its field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.length === 0 ? where : `${where}.${issue.path.map(String).join(".")}`;
    return `${path}: ${issue.message}`;
  });
  throw new HttpError("invalid_request_error", problems.join("; "));
}
