import { NocturneError, toNocturneError } from "@nocturne/core";
import type { CliIo } from "./cli-io.js";
import { safeText } from "./terminal-text.js";

/** Prints an error with its code and what to do; with `json`, also as the last stdout line. */
export function printError(io: CliIo, error: unknown, json: boolean): void {
  const nocturneError = NocturneError.isInstance(error) ? error : toNocturneError(error);
  io.stderr.write(`error [${nocturneError.code}]: ${safeText(nocturneError.message)}\n`);
  if (json) io.stdout.write(`${JSON.stringify({ error: nocturneError.toJSON() })}\n`);
}
