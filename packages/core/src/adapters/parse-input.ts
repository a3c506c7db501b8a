import type { z } from "zod";
import { isErrorCode, NocturneError } from "../errors.js";

/** Parses input with a zod schema; a failure throws the code the failing schema names (`params.errorCode`), else `invalid_input`. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
  const message = issue?.message ?? "invalid";
  const named = issue?.code === "custom" ? issue.params?.errorCode : undefined;
  const code = isErrorCode(named) ? named : "invalid_input";
  throw new NocturneError(code, `Invalid ${what}${where}: ${message}. Fix the ${what} and try again.`, {
    details: { issues: result.error.issues },
  });
}
