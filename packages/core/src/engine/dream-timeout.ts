import { DREAM_DEFAULTS } from "../defaults.js";
import { NocturneError } from "../errors.js";
import { type Dream, DreamTimeoutMs } from "../schemas/dream.js";
import { timeOf } from "../util/time.js";

/**
 * The runtime budget of a dream created without `timeoutMs`, wherever it runs (in process or on workers): 6 hours,
 * room for 100 sessions on a slow local model, while a dream that is stuck still ends and unlocks its output store.
 */

/** The budget of a dream: `timeoutMs` when given (checked, else `invalid_input`), or `DREAM_DEFAULTS.timeoutMs`. */
export function dreamTimeoutMs(timeoutMs: number | undefined): number {
  if (timeoutMs === undefined) return DREAM_DEFAULTS.timeoutMs;
  if (!DreamTimeoutMs.safeParse(timeoutMs).success) {
    throw new NocturneError(
      "invalid_input",
      `timeoutMs must be a whole number of milliseconds from 1 to 2147483647, not ${timeoutMs}.`,
      { details: { timeoutMs } },
    );
  }
  return timeoutMs;
}

/** When a dream's budget runs out, in epoch milliseconds: it counts from the dream's creation, time queued included. */
export function dreamDeadline(dream: Pick<Dream, "created_at">, timeoutMs: number): number {
  return timeOf(dream.created_at) + timeoutMs;
}

/** The error a dream over its budget fails with (`timeout`). */
export function dreamTimeoutError(timeoutMs: number): NocturneError {
  return new NocturneError(
    "timeout",
    `The dream ran past its runtime budget of ${timeoutMs} ms and was stopped; what it wrote so far is kept.`,
    { details: { timeoutMs } },
  );
}
