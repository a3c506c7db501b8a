import { prefixUpperBound } from "./prefix-range.js";
import { memoryColumns } from "./rows.js";

/** A parameterised statement. */
export interface SqlQuery {
  text: string;
  values: unknown[];
}

/** What one page of memories is read by. */
export interface ListMemoriesQueryInput {
  /** Quoted schema name. */
  schema: string;
  tenant: string;
  storeId: string;
  prefix: string;
  after: string | undefined;
  /** Rows to fetch (page size + 1, to know whether there is a next page). */
  limit: number;
}

/**
 * The statement behind list-by-prefix: a range `prefix <= path < upper(prefix)` plus `path > after` on the
 * `(store_id, path)` primary key, ordered by path in byte order, so PostgreSQL walks the index from the first
 * match and stops after `limit` rows, whatever the size of the store or of the table.
 */
export function listMemoriesQuery(input: ListMemoriesQueryInput): SqlQuery {
  const values: unknown[] = [input.storeId, input.tenant];
  const bind = (value: unknown) => `$${values.push(value)}`;
  const where = ["m.store_id = $1"];
  if (input.prefix !== "") {
    where.push(`m.path >= ${bind(input.prefix)}`);
    const upper = prefixUpperBound(input.prefix);
    if (upper !== null) where.push(`m.path < ${bind(upper)}`);
  }
  if (input.after !== undefined) where.push(`m.path > ${bind(input.after)}`);
  const text = `SELECT ${memoryColumns("m")} FROM ${input.schema}.memories m
    WHERE ${where.join(" AND ")}
      AND EXISTS (SELECT 1 FROM ${input.schema}.memory_stores s WHERE s.id = $1 AND s.tenant = $2)
    ORDER BY m.path LIMIT ${bind(input.limit)}`;
  return { text, values };
}
