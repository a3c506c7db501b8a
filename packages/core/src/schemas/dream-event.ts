import { z } from "zod";
import { Timestamp, Usage } from "./common.js";
import { DreamError, DreamStatus } from "./dream.js";

/** The pipeline's stages, in order. */
export const DreamStage = z.enum([
  "validate",
  "snapshot",
  "chunk",
  "extract",
  "dedupe",
  "resolve",
  "synthesize",
  "write",
  "report",
]);
export type DreamStage = z.infer<typeof DreamStage>;

const Base = { dream_id: z.string(), seq: z.number().int().nonnegative(), at: Timestamp };

/** What a running dream reports, in order. Serializable as-is (for logs and server-sent events). */
export const DreamEvent = z.discriminatedUnion("type", [
  z.object({ ...Base, type: z.literal("status"), status: DreamStatus }),
  z.object({ ...Base, type: z.literal("stage"), stage: DreamStage }),
  z.object({
    ...Base,
    type: z.literal("chunk"),
    chunk_key: z.string(),
    session_id: z.string(),
    done: z.number().int(),
    total: z.number().int(),
    facts: z.number().int(),
  }),
  z.object({ ...Base, type: z.literal("memory.written"), memory_id: z.string(), path: z.string() }),
  z.object({ ...Base, type: z.literal("usage"), usage: Usage }),
  z.object({ ...Base, type: z.literal("notice"), message: z.string() }),
  z.object({ ...Base, type: z.literal("error"), error: DreamError }),
]);
export type DreamEvent = z.infer<typeof DreamEvent>;

/** A dream event before the engine stamps it with dream id, sequence number and time. */
export type DreamEventBody = DreamEvent extends infer E
  ? E extends DreamEvent
    ? Omit<E, "dream_id" | "seq" | "at">
    : never
  : never;
