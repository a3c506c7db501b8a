import type { ValidDreamRequest } from "../pipeline/snapshot-inputs.js";
import { emptyUsage } from "../schemas/common.js";
import type { Dream } from "../schemas/dream.js";
import { newId } from "../util/ids.js";
import { nowIso } from "../util/time.js";

/**
 * The `pending` dream resource for a validated request: a fresh `drm_` id, no outputs or usage yet, recorded with
 * the request's model id or else `defaultModelId`. Every runner creates dreams through this.
 */
export function pendingDream(request: ValidDreamRequest, defaultModelId: string): Dream {
  return {
    id: newId("drm"),
    type: "dream",
    status: "pending",
    inputs: request.inputs,
    outputs: [],
    model: { id: request.model ?? defaultModelId },
    instructions: request.instructions,
    output_behavior: request.outputBehavior,
    usage: emptyUsage(),
    error: null,
    created_at: nowIso(),
    ended_at: null,
    archived_at: null,
  };
}
