import {
  CreateMemoryInput,
  CreateMemoryStoreInput,
  DreamMemoryStoreInput,
  DreamOutputBehavior,
  DreamSessionsInput,
  DreamStatus,
  MAX_INSTRUCTIONS_LENGTH,
  MemoryPath,
  MemoryVersionOperation,
  type Metadata,
  TranscriptFormat,
  UpdateMemoryStoreInput,
} from "@nocturne/core";
import { z } from "zod";

/*
 * Request bodies and query strings of the hosted API, built from core's schemas. Objects are strict: an unknown
 * field is a 400 `invalid_request_error`, never silently dropped.
 */

/** Core's dream input, strict: an unknown field inside an entry of `inputs` is rejected too. */
const StrictDreamInput = z.discriminatedUnion("type", [
  z.strictObject(DreamMemoryStoreInput.shape),
  z.strictObject(DreamSessionsInput.shape),
]);

/** Core's output behavior, strict. */
const StrictOutputBehavior = z.discriminatedUnion("type", [
  z.strictObject(DreamOutputBehavior.options[0].shape),
  z.strictObject(DreamOutputBehavior.options[1].shape),
]);

/** `POST /v1/dreams`. `model` is a model id or `{id, speed}`; the server's configured model runs the dream. */
export const CreateDreamBody = z.strictObject({
  inputs: z.array(StrictDreamInput).min(1),
  model: z.union([
    z.string().min(1).max(256),
    z.strictObject({ id: z.string().min(1).max(256), speed: z.literal("standard").nullable().optional() }),
  ]),
  instructions: z.string().min(1).max(MAX_INSTRUCTIONS_LENGTH).nullable().optional(),
  output_behavior: StrictOutputBehavior.optional(),
});

/** `POST /v1/memory_stores`. */
export const CreateMemoryStoreBody = z.strictObject(CreateMemoryStoreInput.shape);

/** `POST /v1/memory_stores/{id}`: null leaves a field as it is; a null metadata value removes that key. */
export const UpdateMemoryStoreBody = z.strictObject({
  name: UpdateMemoryStoreInput.shape.name.nullable(),
  description: UpdateMemoryStoreInput.shape.description.nullable(),
  metadata: z.record(z.string().min(1).max(64), z.string().max(512).nullable()).nullable().optional(),
});

/** `POST /v1/memory_stores/{id}/memories`. */
export const CreateMemoryBody = z.strictObject({
  path: MemoryPath,
  content: CreateMemoryInput.shape.content.nullable(),
});

/** `POST /v1/memory_stores/{id}/memories/{memory_id}`. */
export const UpdateMemoryBody = z.strictObject({
  path: MemoryPath.nullable().optional(),
  content: CreateMemoryInput.shape.content.nullable().optional(),
  precondition: z
    .strictObject({
      type: z.literal("content_sha256"),
      content_sha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
    })
    .optional(),
});

/** `POST /v1/sessions/import` (Nocturne's own): one transcript, in any format core's importers read. */
export const ImportSessionBody = z.strictObject({
  transcript: z.string().min(1),
  format: TranscriptFormat.optional(),
  file_name: z.string().min(1).max(255).optional(),
  session_time: z.iso.datetime({ offset: true }).optional(),
});

const Limit = z.coerce.number().int().min(1).max(100).optional();
const Page = z.string().optional();
const Bool = z.enum(["true", "false"]).transform((value) => value === "true");
const Time = z.iso.datetime({ offset: true }).optional();
const View = z.enum(["basic", "full"]).optional();

/** `GET /v1/dreams`. */
export const ListDreamsQuery = z.strictObject({
  limit: Limit,
  page: Page,
  include_archived: Bool.optional(),
  statuses: z.union([DreamStatus, z.array(DreamStatus)]).optional(),
  "created_at[gt]": Time,
  "created_at[lt]": Time,
});

/** `GET /v1/memory_stores`. */
export const ListMemoryStoresQuery = z.strictObject({
  limit: Limit,
  page: Page,
  include_archived: Bool.optional(),
  "created_at[gte]": Time,
  "created_at[lte]": Time,
});

/** `GET /v1/memory_stores/{id}/memories`. */
export const ListMemoriesQuery = z.strictObject({
  limit: Limit,
  page: Page,
  path_prefix: z.string().optional(),
  view: View,
});

/** `view` alone, on memory and memory version reads and writes. */
export const ViewQuery = z.strictObject({ view: View });

/** `DELETE /v1/memory_stores/{id}/memories/{memory_id}`. */
export const DeleteMemoryQuery = z.strictObject({
  expected_content_sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

/** `GET /v1/memory_stores/{id}/memory_versions`. */
export const ListMemoryVersionsQuery = z.strictObject({
  limit: Limit,
  page: Page,
  memory_id: z.string().min(1).optional(),
  operation: MemoryVersionOperation.optional(),
  view: View,
});

/** `GET /v1/sessions` (Nocturne's own, for imported sessions). */
export const ListSessionsQuery = z.strictObject({ limit: Limit, page: Page });

/** `GET /v1/sessions/{id}/events`, for a dream's run session. */
export const ListSessionEventsQuery = z.strictObject({
  limit: Limit,
  page: Page,
  order: z.enum(["asc", "desc"]).optional(),
  types: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
  "created_at[gt]": Time,
  "created_at[gte]": Time,
  "created_at[lt]": Time,
  "created_at[lte]": Time,
});

/** `GET /v1/sessions/{id}/events/stream`: `event_deltas` is accepted and ignored (a dream streams no deltas). */
export const StreamSessionEventsQuery = z.strictObject({
  event_deltas: z.union([z.string(), z.array(z.string())]).optional(),
});

/** An empty query string, for endpoints that take none. */
export const NoQuery = z.strictObject({});

/** Metadata after an update: the store's, with the body's keys set or (null) removed. */
export function mergeMetadata(current: Metadata, patch: Record<string, string | null>): Metadata {
  const next: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}
