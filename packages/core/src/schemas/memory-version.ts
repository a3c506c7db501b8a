import { z } from "zod";
import { Timestamp } from "./common.js";
import { MemoryContent } from "./memory.js";
import { MemoryPath } from "./memory-path.js";

/** The kind of change a memory version records, as the hosted API names it. */
export const MemoryVersionOperation = z.enum(["created", "modified", "deleted"]);
export type MemoryVersionOperation = z.infer<typeof MemoryVersionOperation>;

/**
 * Who made a change: the hosted API's actors (a session's agent, an API key, a user, a service account), plus
 * Nocturne's own `dream_actor` for the writes of a dream.
 */
export const MemoryActor = z.discriminatedUnion("type", [
  z.object({ type: z.literal("session_actor"), session_id: z.string().min(1) }),
  z.object({ type: z.literal("api_actor"), api_key_id: z.string().min(1) }),
  z.object({ type: z.literal("user_actor"), user_id: z.string().min(1) }),
  z.object({ type: z.literal("service_account_actor"), service_account_id: z.string().min(1) }),
  z.object({ type: z.literal("dream_actor"), dream_id: z.string().min(1) }),
]);
export type MemoryActor = z.infer<typeof MemoryActor>;

/**
 * One entry in a memory's history, shaped as the hosted `memory_version`: every create, change or delete of a
 * memory adds one, and only redaction changes it afterwards. `content`, `content_sha256` and `content_size_bytes`
 * are null on a `deleted` version; a redacted one has those and `path` null, with `redacted_at` and `redacted_by`
 * set. Versions belong to the store and outlive the memory; deleting the store deletes them.
 */
export const MemoryVersion = z.object({
  id: z.string().min(1),
  type: z.literal("memory_version"),
  memory_id: z.string().min(1),
  memory_store_id: z.string().min(1),
  operation: MemoryVersionOperation,
  path: MemoryPath.nullable(),
  content: MemoryContent.nullable(),
  content_sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  content_size_bytes: z.number().int().nonnegative().nullable(),
  created_at: Timestamp,
  created_by: MemoryActor.nullable(),
  redacted_at: Timestamp.nullable(),
  redacted_by: MemoryActor.nullable(),
});
export type MemoryVersion = z.infer<typeof MemoryVersion>;

/** Options for listing a store's versions, newest first: one memory's only, and paging. */
export const ListMemoryVersionsOptions = z.object({
  memory_id: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  after: z.string().optional(),
});
export type ListMemoryVersionsOptions = z.infer<typeof ListMemoryVersionsOptions>;

/** Who a memory write is made by, recorded on its version (`created_by`); unrecorded when omitted. */
export const MemoryWriteOptions = z.object({ actor: MemoryActor.optional() });
export type MemoryWriteOptions = z.infer<typeof MemoryWriteOptions>;
