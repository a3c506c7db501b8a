import { createFsAdapter } from "@nocturne/adapters-fs";
import { createPostgresAdapter } from "@nocturne/adapters-postgres";
import { createSqliteAdapter } from "@nocturne/adapters-sqlite";
import type { StorageAdapter } from "@nocturne/core";
import { usageError } from "./exit-codes.js";

/**
 * Opens the persistent storage named by `--storage`: `sqlite:<file>` for one SQLite file, a `postgres://` (or
 * `postgresql://`) URL for PostgreSQL (schema `nocturne`, migrated on open), anything else for a folder (the fs
 * adapter's root, created if missing).
 */
export async function openStorage(spec: string | undefined): Promise<StorageAdapter> {
  if (spec === undefined || spec.trim() === "") {
    throw usageError("This command needs --storage <dir> or --storage sqlite:<file>.");
  }
  if (spec.startsWith("sqlite:")) {
    const file = spec.slice("sqlite:".length);
    if (file === "") throw usageError("--storage sqlite: needs a file name, e.g. sqlite:./nocturne.db.");
    return createSqliteAdapter({ file });
  }
  if (/^postgres(ql)?:\/\//.test(spec)) return createPostgresAdapter({ connectionString: spec });
  return createFsAdapter({ root: spec });
}
