import { type Memory, type MemoryStore, type Metadata, storageRules } from "@nocturne/core";

/** A `memory_stores` row as `pg` returns it. */
export interface StoreRow {
  id: string;
  name: string;
  description: string;
  metadata: Metadata;
  lock_dream_id: string | null;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
}

/** A `memories` row as `pg` returns it. */
export interface MemoryRow {
  store_id: string;
  id: string;
  path: string;
  content: string;
  content_sha256: string;
  content_size_bytes: number;
  created_at: Date;
  updated_at: Date;
  /** The lineage as JSON text, or null. */
  lineage: string | null;
}

/** Columns selected for a store. */
export const STORE_COLUMNS = "id, name, description, metadata, lock_dream_id, created_at, updated_at, archived_at";
/** Columns selected for a memory. */
export const MEMORY_COLUMNS =
  "store_id, id, path, content, content_sha256, content_size_bytes, created_at, updated_at, lineage";

/** The public resource for a store row. */
export function toMemoryStore(row: StoreRow): MemoryStore {
  return {
    id: row.id,
    type: "memory_store",
    name: row.name,
    description: row.description,
    metadata: row.metadata,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    archived_at: row.archived_at?.toISOString() ?? null,
  };
}

/** The public resource for a memory row. */
export function toMemory(row: MemoryRow): Memory {
  return {
    id: row.id,
    memory_store_id: row.store_id,
    path: row.path,
    content: row.content,
    content_sha256: row.content_sha256,
    content_size_bytes: row.content_size_bytes,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    lineage: storageRules.parseLineage(row.lineage),
  };
}

/** {@link MEMORY_COLUMNS} qualified with a table alias, for joins. */
export function memoryColumns(alias: string): string {
  return MEMORY_COLUMNS.split(", ")
    .map((column) => `${alias}.${column}`)
    .join(", ");
}
