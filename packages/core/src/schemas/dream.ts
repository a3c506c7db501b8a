import { z } from "zod";
import { Timestamp, Usage } from "./common.js";

/** Longest steering instructions a dream accepts. */
export const MAX_INSTRUCTIONS_LENGTH = 4096;
/** Most sessions one dream reads. */
export const MAX_DREAM_SESSIONS = 100;

/** A dream's lifecycle: pending → running → completed | failed | canceled. */
export const DreamStatus = z.enum(["pending", "running", "completed", "failed", "canceled"]);
export type DreamStatus = z.infer<typeof DreamStatus>;

/** True for the statuses a dream never leaves. */
export function isTerminalStatus(status: DreamStatus): boolean {
  return status === "completed" || status === "failed" || status === "canceled";
}

/**
 * A dream's runtime budget in milliseconds (`dreams.create(…, { timeoutMs })`): a whole number from 1 ms to about
 * 24.8 days, the longest a timer waits.
 */
export const DreamTimeoutMs = z.number().int().min(1).max(2_147_483_647);

/** The smallest tool-result budget other than 0: below it the elision marker would cost as much as it saves. */
export const MIN_TOOL_RESULT_TOKENS = 100;

/**
 * Most tokens of one tool result a dream's extraction reads (`createNocturne({ toolResultTokens })`): 0 reads tool
 * output in full; otherwise a longer result keeps its head and tail around an elision marker, and a repeated one is
 * read once (see `pipeline/bound-tool-output.ts`).
 */
export const ToolResultTokens = z.union([z.literal(0), z.number().int().min(MIN_TOOL_RESULT_TOKENS)]);
export type ToolResultTokens = z.infer<typeof ToolResultTokens>;

/** The memory store a dream reads. */
export const DreamMemoryStoreInput = z.object({ type: z.literal("memory_store"), memory_store_id: z.string().min(1) });
/** The sessions a dream reads. */
export const DreamSessionsInput = z.object({ type: z.literal("sessions"), session_ids: z.array(z.string().min(1)) });
/** One entry of a dream's `inputs`. */
export const DreamInput = z.discriminatedUnion("type", [DreamMemoryStoreInput, DreamSessionsInput]);
export type DreamInput = z.infer<typeof DreamInput>;

/**
 * Which store a dream writes its result to, as the hosted API names it: a new store (`create_new`, the default), or
 * the input store itself (`update_existing`, naming that store), every change recorded as a memory version by the
 * dream. While one `update_existing` dream on a store has not fully stopped, another is refused (`conflict`).
 */
export const DreamOutputBehavior = z.discriminatedUnion("type", [
  z.object({ type: z.literal("create_new") }),
  z.object({ type: z.literal("update_existing"), memory_store_id: z.string().min(1) }),
]);
export type DreamOutputBehavior = z.infer<typeof DreamOutputBehavior>;

/** The store a dream writes (appears once the dream is running). */
export const DreamOutput = z.object({ type: z.literal("memory_store"), memory_store_id: z.string().min(1) });
export type DreamOutput = z.infer<typeof DreamOutput>;

/**
 * Why a dream failed. The first group are the hosted API's types; the rest are Nocturne's own, for failures the
 * hosted service does not expose (a model or storage backend the user runs).
 */
export const DreamErrorType = z.enum([
  "timeout",
  "internal_error",
  "input_memory_store_too_large",
  "input_memory_store_unavailable",
  "input_session_unavailable",
  "model_error",
  "model_output_invalid",
  "storage_error",
]);
export type DreamErrorType = z.infer<typeof DreamErrorType>;

/** A dream's failure: a stable type and a message that says what to do. */
export const DreamError = z.object({ type: DreamErrorType, message: z.string() });
export type DreamError = z.infer<typeof DreamError>;

/** A dream: an asynchronous consolidation job, as the hosted API shapes it. */
export const Dream = z.object({
  id: z.string().min(1),
  type: z.literal("dream"),
  status: DreamStatus,
  inputs: z.array(DreamInput),
  outputs: z.array(DreamOutput),
  model: z.object({ id: z.string().min(1) }),
  instructions: z.string().max(MAX_INSTRUCTIONS_LENGTH),
  /** Records made before output behaviors existed read as `create_new`. */
  output_behavior: DreamOutputBehavior.default({ type: "create_new" }),
  usage: Usage,
  error: DreamError.nullable(),
  created_at: Timestamp,
  ended_at: Timestamp.nullable(),
  archived_at: Timestamp.nullable(),
});
export type Dream = z.infer<typeof Dream>;

/** What a caller gives to start a dream. Validated strictly; see {@link MAX_DREAM_SESSIONS}. */
export const CreateDreamInput = z.object({
  inputs: z.array(DreamInput).min(1),
  /** A model id, recorded on the dream. The engine's configured model runs it; defaults to that model's id. */
  model: z.string().min(1).optional(),
  instructions: z.string().default(""),
  /** Default `create_new`. */
  output_behavior: DreamOutputBehavior.default({ type: "create_new" }),
});
export type CreateDreamInput = z.input<typeof CreateDreamInput>;

/** The memory store id a dream reads. */
export function dreamInputStoreId(dream: Pick<Dream, "inputs">): string {
  const input = dream.inputs.find((entry) => entry.type === "memory_store");
  if (input?.type !== "memory_store") throw new Error("dream has no memory_store input");
  return input.memory_store_id;
}

/** The session ids a dream reads. */
export function dreamSessionIds(dream: Pick<Dream, "inputs">): string[] {
  return dream.inputs.flatMap((entry) => (entry.type === "sessions" ? entry.session_ids : []));
}
