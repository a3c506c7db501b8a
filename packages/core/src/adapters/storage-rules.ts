import type { z } from "zod";
import { NocturneError } from "../errors.js";
import { Dream } from "../schemas/dream.js";
import { type MemoryLineage, MemoryLineage as MemoryLineageSchema } from "../schemas/lineage.js";
import { CreateMemoryInput, type Memory, UpdateMemoryInput } from "../schemas/memory.js";
import { assertMemoryPath } from "../schemas/memory-path.js";
import type { CreateMemoryStoreInput, MemoryStore } from "../schemas/memory-store.js";
import { Session, type SessionEvent, type SessionHeader } from "../schemas/session.js";
import { sha256, utf8Bytes } from "../util/hash.js";
import { newId } from "../util/ids.js";
import { nowIso } from "../util/time.js";
import { parseInput } from "./parse-input.js";

/**
 * Checks and helpers every adapter applies the same way, so that behaviour (and error codes and messages) match
 * across backends. Adapter authors are welcome to use them.
 */

export { compareUtf8, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageOf, pageSize } from "./paging.js";
export { parseInput } from "./parse-input.js";
export type { SessionWriterOptions } from "./session-writer-rules.js";
export { SESSION_PART_MAX_CHARS, SESSION_PART_MAX_EVENTS, sessionWriter } from "./session-writer-rules.js";
export {
  checkListVersionsOptions,
  checkWriteOptions,
  newestVersionFirst,
  pageOfVersions,
  redactedVersion,
  versionNotFound,
  versionOf,
} from "./version-rules.js";

/** Validates a memory create input. */
export function checkCreateMemory(input: unknown): CreateMemoryInput {
  return parseInput(CreateMemoryInput, input, "memory");
}

/** Validates a memory update input. */
export function checkUpdateMemory(input: unknown): UpdateMemoryInput {
  return parseInput(UpdateMemoryInput, input, "memory update");
}

/** Validates a session before it is stored. */
export function checkSession(input: unknown): Session {
  return parseInput(Session, input, "session");
}

/**
 * A session from its header and events, its fields in the schema's order (the order `putSession` stores). Adapters
 * that keep events apart from the header read sessions back through it, so a session's JSON — which the engine
 * hashes — does not depend on how it was written.
 */
export function sessionOf(header: SessionHeader, events: SessionEvent[]): Session {
  return { id: header.id, title: header.title, created_at: header.created_at, metadata: header.metadata, events };
}

/** Validates a dream record's dream before it is stored (the report and owner are stored as given). */
export function checkDreamRecord<R extends { dream: Dream }>(record: R): R {
  parseInput(Dream, record.dream, "dream");
  return record;
}

/** The folders above a memory path, shortest first: `/a/b/c.md` → `/a`, `/a/b`. */
export function parentPaths(path: string): string[] {
  const parents: string[] = [];
  for (let at = path.indexOf("/", 1); at !== -1; at = path.indexOf("/", at + 1)) parents.push(path.slice(0, at));
  return parents;
}

/**
 * Memory paths form a tree of files, as on a disk: a path cannot be a memory and a folder of memories at once.
 * Returns an existing path that clashes with `path` (a memory at one of its folders, or one below it), or null.
 */
export function clashingPath(path: string, existing: Iterable<string>): string | null {
  const parents = new Set(parentPaths(path));
  const below = `${path}/`;
  for (const other of existing) if (parents.has(other) || other.startsWith(below)) return other;
  return null;
}

/** Checks a path and throws `invalid_memory_path` (used where a path arrives alone). */
export function checkPath(path: string): string {
  return assertMemoryPath(path);
}

/** A new memory store from validated create fields: a fresh `memstore_` id unless one is given, created at `now`. */
export function newMemoryStore(
  fields: z.output<typeof CreateMemoryStoreInput>,
  id: string = newId("memstore"),
  now: string = nowIso(),
): MemoryStore {
  return { id, type: "memory_store", ...fields, created_at: now, updated_at: now, archived_at: null };
}

/** Builds a memory resource from its parts, deriving hash and size; no lineage is `null`. */
export function buildMemory(fields: {
  id: string;
  memory_store_id: string;
  path: string;
  content: string;
  created_at: string;
  updated_at: string;
  lineage?: MemoryLineage | null;
}): Memory {
  return {
    ...fields,
    content_sha256: sha256(fields.content),
    content_size_bytes: utf8Bytes(fields.content),
    lineage: fields.lineage ?? null,
  };
}

/** A new memory at `path` with a fresh `mem_` id, created and updated at `now`. */
export function newMemory(
  storeId: string,
  path: string,
  content: string,
  now: string = nowIso(),
  lineage: MemoryLineage | null = null,
): Memory {
  return buildMemory({
    id: newId("mem"),
    memory_store_id: storeId,
    path,
    content,
    created_at: now,
    updated_at: now,
    lineage,
  });
}

/** Lineage as adapters store it: JSON text, or null for none. */
export function lineageJson(lineage: MemoryLineage | null | undefined): string | null {
  return lineage ? JSON.stringify(lineage) : null;
}

/** Lineage read back from storage: anything that is not valid lineage (or none) is null, never an error. */
export function parseLineage(stored: unknown): MemoryLineage | null {
  if (stored === null || stored === undefined) return null;
  let value: unknown = stored;
  if (typeof stored === "string") {
    try {
      value = JSON.parse(stored);
    } catch {
      return null;
    }
  }
  const parsed = MemoryLineageSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * The memory an upsert leaves at `write.path`: the current memory with the new content (id and `created_at` kept,
 * lineage kept unless the write gives one), or a new memory when there is none.
 */
export function upsertedMemory(
  storeId: string,
  current: Memory | null | undefined,
  write: { path: string; content: string; lineage?: MemoryLineage | null | undefined },
  now: string,
): Memory {
  if (!current) return newMemory(storeId, write.path, write.content, now, write.lineage ?? null);
  return buildMemory({
    ...current,
    content: write.content,
    updated_at: now,
    lineage: nextLineage(write.lineage, current.lineage),
  });
}

/**
 * The lineage a memory keeps after a write: the one given, or — when the write gives none — the one it had (lines
 * the write changed no longer match it and are read afresh by the next dream). `null` clears it.
 */
export function nextLineage(
  given: MemoryLineage | null | undefined,
  current: MemoryLineage | null | undefined,
): MemoryLineage | null {
  return given === undefined ? (current ?? null) : given;
}

/** `memory_store_not_found`. */
export function storeNotFound(id: string): NocturneError {
  return new NocturneError(
    "memory_store_not_found",
    `Memory store ${id} does not exist. Check the id, or create the store first.`,
    { details: { memory_store_id: id } },
  );
}

/** `memory_store_archived`, for writes into an archived store. */
export function storeArchived(store: MemoryStore): NocturneError {
  return new NocturneError(
    "memory_store_archived",
    `Memory store ${store.id} is archived and can no longer be written. Write to another store.`,
    { details: { memory_store_id: store.id } },
  );
}

/** `memory_store_locked`, for archive/delete of a store a dream is writing. */
export function storeLocked(id: string, dreamId: string): NocturneError {
  return new NocturneError(
    "memory_store_locked",
    `Memory store ${id} is being written by dream ${dreamId}. Wait for the dream to end, or cancel it first.`,
    { details: { memory_store_id: id, dream_id: dreamId } },
  );
}

/** `memory_not_found`. */
export function memoryNotFound(storeId: string, memoryId: string): NocturneError {
  return new NocturneError(
    "memory_not_found",
    `Memory ${memoryId} does not exist in store ${storeId}. List the store's memories to find its id.`,
    { details: { memory_store_id: storeId, memory_id: memoryId } },
  );
}

/** `memory_path_conflict`. */
export function pathConflict(storeId: string, path: string): NocturneError {
  return new NocturneError(
    "memory_path_conflict",
    `A memory already exists at ${path} in store ${storeId}. Update that memory, or choose another path.`,
    { details: { memory_store_id: storeId, path } },
  );
}

/** `memory_path_conflict`, for a path that would make a memory also a folder (see {@link clashingPath}). */
export function pathClash(storeId: string, path: string, other: string): NocturneError {
  const [file, folder] = other.length < path.length ? [other, path] : [path, other];
  return new NocturneError(
    "memory_path_conflict",
    `Memory path ${path} clashes with ${other} in store ${storeId}: ${file} would have to be both a memory and the folder holding ${folder}. Choose another path.`,
    { details: { memory_store_id: storeId, path, conflicting_path: other } },
  );
}

/** `precondition_failed`. */
export function preconditionFailed(path: string, expected: string, actual: string | null): NocturneError {
  return new NocturneError(
    "precondition_failed",
    `Memory ${path} changed since it was read (expected content_sha256 ${expected}, found ${actual ?? "no memory"}). Read it again and retry.`,
    { details: { path, expected, actual } },
  );
}

/** `session_not_found`. */
export function sessionNotFound(id: string): NocturneError {
  return new NocturneError("session_not_found", `Session ${id} does not exist. Import it first, or check the id.`, {
    details: { session_id: id },
  });
}
