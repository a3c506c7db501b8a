/** BullMQ queue of dream (parent) jobs. */
export const DREAM_QUEUE = "dreams";
/** BullMQ queue of model-call (child) jobs: one per chunk extraction, memory batch, judge batch or synthesis. */
export const MODEL_CALL_QUEUE = "model-calls";

/** The parts of a dream's state kept in Redis next to its BullMQ jobs. */
export type DreamKeyPart = "state" | "events" | "seq" | "emitted" | "chunks-done" | "usage" | "record-lock" | "touch";

/** Every Redis key of a dream (all share the runner's prefix, so one Redis can serve several deployments). */
export function dreamKey(prefix: string, dreamId: string, part: DreamKeyPart): string {
  return `${prefix}:dream:${dreamId}:${part}`;
}

/** All keys of one dream, for expiry once it ends. */
export function allDreamKeys(prefix: string, dreamId: string): string[] {
  const parts: DreamKeyPart[] = ["state", "events", "seq", "emitted", "chunks-done", "usage", "touch"];
  return parts.map((part) => dreamKey(prefix, dreamId, part));
}

/** The claim of an `update_existing` dream on its store: the id of the one dream updating it. */
export function storeClaimKey(prefix: string, storeId: string): string {
  return `${prefix}:store:${storeId}:update`;
}

/** Pub/sub channel on which cancellations reach every worker at once. */
export function cancelChannel(prefix: string): string {
  return `${prefix}:cancel`;
}
