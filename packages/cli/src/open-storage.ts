import { createFsAdapter } from "@nocturne/adapters-fs";
import { createPostgresAdapter } from "@nocturne/adapters-postgres";
import { createSqliteAdapter } from "@nocturne/adapters-sqlite";
import type { StorageAdapter } from "@nocturne/core";
import { usageError } from "./exit-codes.js";

/** True for a `postgres://` (or `postgresql://`) storage spec. */
export function isPostgres(spec: string): boolean {
  return /^postgres(ql)?:\/\//.test(spec);
}

/**
 * A PostgreSQL storage spec as the adapter takes it: the connection string without Nocturne's own `schema`
 * parameter (`postgres://…/db?schema=team_a`), and that schema (default `nocturne`).
 */
export function postgresTarget(spec: string): { connectionString: string; schema?: string } {
  const url = new URL(spec);
  const schema = url.searchParams.get("schema");
  url.searchParams.delete("schema");
  return { connectionString: url.toString(), ...(schema === null || schema === "" ? {} : { schema }) };
}

/**
 * Opens the persistent storage named by `--storage`: `sqlite:<file>` for one SQLite file, a `postgres://` (or
 * `postgresql://`) URL for PostgreSQL (schema `nocturne`, or the URL's `?schema=`, migrated on open), anything else
 * for a folder (the fs adapter's root, created if missing).
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
  if (isPostgres(spec)) return createPostgresAdapter(postgresTarget(spec));
  return createFsAdapter({ root: spec });
}
