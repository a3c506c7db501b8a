import { z } from "zod";
import { utf8Bytes } from "../util/hash.js";
import { Timestamp } from "./common.js";
import { MemoryLineage } from "./lineage.js";
import { MemoryPath } from "./memory-path.js";

/** Largest memory content, in UTF-8 bytes (100 KiB). */
export const MAX_MEMORY_CONTENT_BYTES = 100 * 1024;

/** Memory content: any UTF-8 text up to 100 KiB. */
export const MemoryContent = z.string().refine((content) => utf8Bytes(content) <= MAX_MEMORY_CONTENT_BYTES, {
  message: `memory content is larger than ${MAX_MEMORY_CONTENT_BYTES} bytes`,
  params: { errorCode: "memory_content_too_large" },
});

/** One memory: a text file at a path inside a memory store. */
export const Memory = z.object({
  id: z.string().min(1),
  memory_store_id: z.string().min(1),
  path: MemoryPath,
  content: MemoryContent,
  content_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  content_size_bytes: z.number().int().nonnegative(),
  created_at: Timestamp,
  updated_at: Timestamp,
  /** Nocturne's bookkeeping beside the content (absent on memories no dream wrote); see {@link MemoryLineage}. */
  lineage: MemoryLineage.nullable().optional(),
});
export type Memory = z.infer<typeof Memory>;

/** A precondition on a write: it only applies if the memory's current content has this hash. */
export const Precondition = z.object({ content_sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type Precondition = z.infer<typeof Precondition>;

/** What a caller gives to create a memory. */
export const CreateMemoryInput = z.object({
  path: MemoryPath,
  content: MemoryContent,
  lineage: MemoryLineage.nullable().optional(),
});
export type CreateMemoryInput = z.infer<typeof CreateMemoryInput>;

/** A change to an existing memory: a new path, new content, or both, optionally guarded by a precondition. */
export const UpdateMemoryInput = z.object({
  path: MemoryPath.optional(),
  content: MemoryContent.optional(),
  /** New lineage; omitted keeps the current one (lines that no longer match it are read afresh), null clears it. */
  lineage: MemoryLineage.nullable().optional(),
  precondition: Precondition.optional(),
});
export type UpdateMemoryInput = z.infer<typeof UpdateMemoryInput>;

/**
 * One write in a batch: create-or-replace the memory at `path` (`upsert`), or delete it. A precondition makes
 * the whole batch fail if that memory changed.
 */
export const MemoryWrite = z.discriminatedUnion("op", [
  z.object({
    op: z.literal("upsert"),
    path: MemoryPath,
    content: MemoryContent,
    lineage: MemoryLineage.nullable().optional(),
    precondition: Precondition.optional(),
  }),
  z.object({ op: z.literal("delete"), path: MemoryPath, precondition: Precondition.optional() }),
]);
export type MemoryWrite = z.infer<typeof MemoryWrite>;

/** Options for listing memories: a path prefix (`/projects/` matches everything below it) and paging. */
export const ListMemoriesOptions = z.object({
  path_prefix: z.string().optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  after: z.string().optional(),
});
export type ListMemoriesOptions = z.infer<typeof ListMemoriesOptions>;
