import { storageRules } from "@nocturne/core";
import type pg from "pg";

/**
 * Memory paths form a tree (a path cannot be a memory and a folder at once), and two paths can only clash when
 * they share their first segment. Writers that add paths lock `(store, first segment)` with a transaction-level
 * advisory lock before checking for clashes, so two transactions can never both add clashing paths; writes under
 * different top-level folders never wait for each other.
 */
export async function lockPathTrees(client: pg.PoolClient, storeId: string, paths: Iterable<string>): Promise<void> {
  const keys = [...new Set([...paths].map((path) => `${storeId}\u0001${path.split("/")[1] ?? ""}`))].sort();
  if (keys.length === 0) return;
  await client.query("SELECT pg_advisory_xact_lock(hashtextextended(key, 0)) FROM unnest($1::text[]) AS key", [keys]);
}

/**
 * Existing paths that matter when adding `paths`: each path itself, each of its folders, and up to `below` paths
 * under each one (callers pass one more than the number of those paths they will ignore, e.g. deleted in the
 * same batch). Every lookup is an index probe or a bounded range scan on `(store_id, path)`.
 */
export async function existingNear(
  client: pg.PoolClient,
  schema: string,
  storeId: string,
  paths: string[],
  below: number,
): Promise<Set<string>> {
  const exact = [...new Set(paths.flatMap((path) => [path, ...storageRules.parentPaths(path)]))];
  const result = await client.query<{ path: string }>(
    `SELECT path FROM ${schema}.memories WHERE store_id = $1 AND path = ANY($2::text[])
     UNION
     SELECT x.path FROM unnest($3::text[], $4::text[]) AS r(lo, hi)
     CROSS JOIN LATERAL (
       SELECT m.path FROM ${schema}.memories m
       WHERE m.store_id = $1 AND m.path >= r.lo AND m.path < r.hi ORDER BY m.path LIMIT $5
     ) x`,
    [storeId, exact, paths.map((path) => `${path}/`), paths.map((path) => `${path}0`), below],
  );
  return new Set(result.rows.map((row) => row.path));
}
