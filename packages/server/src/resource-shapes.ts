import type { Dream, Memory, MemoryStore, MemoryVersion, SessionSummary, StorageAdapter } from "@nocturne/core";
import { runSessionIdOf } from "./run-sessions.js";

/*
 * Nocturne's resources in the hosted API's response shapes: the fields core keeps beside them (a memory's
 * lineage) are left out, and fields the hosted shapes have that core does not keep are filled in.
 */

/** Whether content is left out (`basic`) or included (`full`), per the hosted `view` parameter. */
export type View = "basic" | "full";

/** A dream as the hosted API returns it. `session_id` is its run session: see `run-sessions.ts`. */
export function dreamShape(dream: Dream) {
  return {
    id: dream.id,
    type: dream.type,
    status: dream.status,
    inputs: dream.inputs,
    outputs: dream.outputs,
    model: { id: dream.model.id, speed: "standard" as const },
    instructions: dream.instructions === "" ? null : dream.instructions,
    output_behavior: dream.output_behavior,
    usage: dream.usage,
    error: dream.error,
    session_id: runSessionIdOf(dream.id),
    created_at: dream.created_at,
    ended_at: dream.ended_at,
    archived_at: dream.archived_at,
  };
}

/** A memory store as the hosted API returns it. */
export function memoryStoreShape(store: MemoryStore) {
  return {
    id: store.id,
    type: store.type,
    name: store.name,
    description: store.description,
    metadata: store.metadata,
    created_at: store.created_at,
    updated_at: store.updated_at,
    archived_at: store.archived_at,
  };
}

/**
 * A memory as the hosted API returns it: `memory_version_id` is its newest version (empty when the adapter keeps
 * no versions); `content` is null with `view=basic`.
 */
export async function memoryShape(storage: StorageAdapter, memory: Memory, view: View) {
  const versions = await storage.memoryVersions?.list(memory.memory_store_id, { memory_id: memory.id, limit: 1 });
  return {
    id: memory.id,
    type: "memory" as const,
    memory_store_id: memory.memory_store_id,
    memory_version_id: versions?.data[0]?.id ?? "",
    path: memory.path,
    content: view === "full" ? memory.content : null,
    content_sha256: memory.content_sha256,
    content_size_bytes: memory.content_size_bytes,
    created_at: memory.created_at,
    updated_at: memory.updated_at,
  };
}

/** A memory version as the hosted API returns it; `content` is null with `view=basic`. */
export function memoryVersionShape(version: MemoryVersion, view: View) {
  return { ...version, content: view === "full" ? version.content : null };
}

/** An imported session, without its events (Nocturne's own resource). */
export function sessionShape(session: SessionSummary) {
  return { type: "session" as const, ...session };
}
