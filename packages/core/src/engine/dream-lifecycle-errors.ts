import { NocturneError } from "../errors.js";
import type { Dream } from "../schemas/dream.js";

/** `dream_not_found`: no dream has this id. */
export function dreamNotFound(id: string): NocturneError {
  return new NocturneError("dream_not_found", `Dream ${id} does not exist. List dreams to find its id.`, {
    details: { dream_id: id },
  });
}

/** `dream_not_cancelable`: the dream already completed or failed. */
export function dreamNotCancelable(dream: Pick<Dream, "id" | "status">): NocturneError {
  return new NocturneError(
    "dream_not_cancelable",
    `Dream ${dream.id} already ${dream.status}; only pending or running dreams can be canceled.`,
    { details: { dream_id: dream.id, status: dream.status } },
  );
}

/** `conflict`: another `update_existing` dream on the store has not fully stopped (the hosted 409). */
export function dreamConflict(storeId: string, otherId: string): NocturneError {
  return new NocturneError(
    "conflict",
    `Dream ${otherId} is still updating memory store ${storeId}; a store takes one update_existing dream at a time. Wait for it to end (or cancel it), then retry.`,
    { details: { memory_store_id: storeId, dream_id: otherId } },
  );
}

/** `dream_not_archivable`: the dream is still pending or running. */
export function dreamNotArchivable(dream: Pick<Dream, "id" | "status">): NocturneError {
  return new NocturneError(
    "dream_not_archivable",
    `Dream ${dream.id} is ${dream.status}; only completed, failed or canceled dreams can be archived. Wait for it to end or cancel it.`,
    { details: { dream_id: dream.id, status: dream.status } },
  );
}
