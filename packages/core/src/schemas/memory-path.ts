import { z } from "zod";
import { NocturneError } from "../errors.js";
import { utf8Bytes } from "../util/hash.js";

/** Longest memory path, in UTF-8 bytes. */
export const MAX_MEMORY_PATH_BYTES = 1024;

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** Why a memory path is invalid, or null when it is valid. */
export function memoryPathProblem(path: string): string | null {
  if (!path.startsWith("/")) return "it must start with '/'";
  if (utf8Bytes(path) > MAX_MEMORY_PATH_BYTES) return `it is longer than ${MAX_MEMORY_PATH_BYTES} bytes`;
  if (CONTROL_CHARACTERS.test(path)) return "it contains a control character (NUL, newline, tab, …)";
  if (path.normalize("NFC") !== path)
    return "it is not in Unicode NFC form (normalize it with String.prototype.normalize('NFC'))";
  const segments = path.slice(1).split("/");
  for (const segment of segments) {
    if (segment === "") return "it has an empty segment ('//' or a trailing '/')";
    if (segment === "." || segment === "..") return "it has a '.' or '..' segment";
  }
  return null;
}

/** Throws `invalid_memory_path` unless `path` is a valid memory path; returns it unchanged. */
export function assertMemoryPath(path: string): string {
  const problem = memoryPathProblem(path);
  if (problem !== null) {
    throw new NocturneError(
      "invalid_memory_path",
      `Memory path ${JSON.stringify(path)} is invalid: ${problem}. Use a path like "/preferences/editor.md".`,
      { details: { path } },
    );
  }
  return path;
}

/**
 * A memory path: starts with `/`, at most 1024 UTF-8 bytes, NFC, no empty, `.` or `..` segments, no control
 * characters.
 */
export const MemoryPath = z.string().superRefine((path, ctx) => {
  const problem = memoryPathProblem(path);
  if (problem !== null) {
    ctx.addIssue({
      code: "custom",
      message: `invalid memory path: ${problem}`,
      params: { errorCode: "invalid_memory_path" },
    });
  }
});
