import { readFile } from "node:fs/promises";
import { NocturneError } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { toStorageError } from "../src/fs-errors.js";

function systemError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

describe("file system errors", () => {
  it("map to the typed storage codes, keeping the cause", () => {
    const cases: Array<[string, string]> = [
      ["EACCES", "storage_permission_denied"],
      ["EPERM", "storage_permission_denied"],
      ["EROFS", "storage_permission_denied"],
      ["ENOSPC", "storage_full"],
      ["EDQUOT", "storage_full"],
      ["EBUSY", "storage_busy"],
      ["EMFILE", "storage_busy"],
      ["EIO", "storage_error"],
    ];
    for (const [errno, code] of cases) {
      const cause = systemError(errno);
      const mapped = toStorageError(cause, "write a memory");
      expect(mapped.code).toBe(code);
      expect(mapped.cause).toBe(cause);
      expect(mapped.message).toContain("Could not write a memory");
      expect(mapped.retryable).toBe(code === "storage_busy");
    }
  });

  it("keep NocturneErrors and map real failures", async () => {
    const typed = new NocturneError("memory_not_found", "gone");
    expect(toStorageError(typed, "read")).toBe(typed);
    const real = await readFile("/nonexistent/nocturne").catch((error: unknown) => error);
    expect(toStorageError(real, "read a file").details).toMatchObject({ errno: "ENOENT" });
  });
});
