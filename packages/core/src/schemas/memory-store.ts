import { z } from "zod";
import { Metadata, Timestamp } from "./common.js";

/** A memory store, as the hosted API shapes it. */
export const MemoryStore = z.object({
  id: z.string().min(1),
  type: z.literal("memory_store"),
  name: z.string().min(1).max(255),
  description: z.string().max(1024),
  metadata: Metadata,
  created_at: Timestamp,
  updated_at: Timestamp,
  archived_at: Timestamp.nullable(),
});
export type MemoryStore = z.infer<typeof MemoryStore>;

/** What a caller gives to create a memory store. */
export const CreateMemoryStoreInput = z.object({
  name: z.string().min(1).max(255),
  description: z.string().max(1024).default(""),
  metadata: Metadata.default({}),
});
export type CreateMemoryStoreInput = z.input<typeof CreateMemoryStoreInput>;

/** The fields of a memory store a caller may change. */
export const UpdateMemoryStoreInput = z.object({
  name: z.string().min(1).max(255).optional(),
  description: z.string().max(1024).optional(),
  metadata: Metadata.optional(),
});
export type UpdateMemoryStoreInput = z.infer<typeof UpdateMemoryStoreInput>;
