import { NocturneError } from "../errors.js";
import type { Page } from "../schemas/common.js";
import type { Memory } from "../schemas/memory.js";
import {
  ListMemoryVersionsOptions,
  type MemoryActor,
  type MemoryVersion,
  MemoryWriteOptions,
} from "../schemas/memory-version.js";
import { newId } from "../util/ids.js";
import { compareUtf8, pageOf } from "./paging.js";
import { parseInput } from "./parse-input.js";

/**
 * The version a write records, given the memory before and after it: `created` when there was none, `deleted`
 * when none is left, `modified` when its path or content changed; null when neither changed (a lineage-only write
 * or the same content again records nothing, as on the hosted API).
 */
export function versionOf(
  before: Memory | null | undefined,
  after: Memory | null | undefined,
  actor: MemoryActor | undefined,
  now: string,
): MemoryVersion | null {
  const memory = after ?? before;
  if (!memory) return null;
  if (before && after && before.path === after.path && before.content_sha256 === after.content_sha256) return null;
  const operation = !before ? "created" : !after ? "deleted" : "modified";
  const kept = operation !== "deleted";
  return {
    id: newId("memver"),
    type: "memory_version",
    memory_id: memory.id,
    memory_store_id: memory.memory_store_id,
    operation,
    path: memory.path,
    content: kept ? memory.content : null,
    content_sha256: kept ? memory.content_sha256 : null,
    content_size_bytes: kept ? memory.content_size_bytes : null,
    created_at: now,
    created_by: actor ?? null,
    redacted_at: null,
    redacted_by: null,
  };
}

/** The version with its path and content removed and the redaction recorded; a redacted version stays as it is. */
export function redactedVersion(version: MemoryVersion, actor: MemoryActor | undefined, now: string): MemoryVersion {
  if (version.redacted_at !== null) return version;
  return {
    ...version,
    path: null,
    content: null,
    content_sha256: null,
    content_size_bytes: null,
    redacted_at: now,
    redacted_by: actor ?? null,
  };
}

/** Newest first: version ids are time-ordered. */
export function newestVersionFirst(a: string, b: string): number {
  return compareUtf8(b, a);
}

/** One page of versions already sorted newest first, after the `memory_id` filter. */
export function pageOfVersions(versions: MemoryVersion[], options: ListMemoryVersionsOptions): Page<MemoryVersion> {
  const matching =
    options.memory_id === undefined ? versions : versions.filter((version) => version.memory_id === options.memory_id);
  return pageOf(matching, (version) => version.id, options.limit, options.after, newestVersionFirst);
}

/** Checks a write's options (`invalid_input`). */
export function checkWriteOptions(options: unknown): MemoryWriteOptions {
  return parseInput(MemoryWriteOptions, options ?? {}, "write options");
}

/** Checks version list options (`invalid_input`). */
export function checkListVersionsOptions(options: unknown): ListMemoryVersionsOptions {
  return parseInput(ListMemoryVersionsOptions, options ?? {}, "memory version list options");
}

/** `memory_version_not_found`. */
export function versionNotFound(storeId: string, versionId: string): NocturneError {
  return new NocturneError(
    "memory_version_not_found",
    `Memory store ${storeId} holds no memory version ${versionId}. List the store's versions for valid ids.`,
    { details: { memory_store_id: storeId, memory_version_id: versionId } },
  );
}
