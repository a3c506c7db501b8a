import type { ExtractionSource, JudgePair, NocturneErrorCode, SynthesisFact } from "@nocturne/core";
import { sha256 } from "@nocturne/core";
import type { DreamBudget } from "./dream-budget.js";

/** One model call of a dream, as plain data: what a child job carries. */
export type ModelCall =
  | { kind: "extract"; source: ExtractionSource }
  | { kind: "judge"; pairs: JudgePair[] }
  | { kind: "synthesize"; facts: SynthesisFact[] };

/** The data of a model-call (child) job. */
export interface ModelCallJobData {
  dreamId: string;
  callKey: string;
  instructions: string;
  call: ModelCall;
  /** Transcript chunks of the dream, for the `total` of chunk events. */
  chunkTotal: number;
  /** The dream's runtime budget: a call still running when it runs out is aborted and fails `timeout`. */
  budget?: DreamBudget;
}

/** What a model-call job returns (and its parent reads back on replay). */
export type ModelCallOutcome =
  | {
      callKey: string;
      status: "ok";
      value: unknown;
      /** Sentences the model read and declined (with its reason), handed to the replay as the model handed them. */
      declined?: Array<{ reason: string; text: string }>;
    }
  | {
      callKey: string;
      status: "error";
      error: { code: NocturneErrorCode; message: string; details: Record<string, unknown> };
    }
  | { callKey: string; status: "canceled" };

/**
 * The step key of a call: a hash of what is asked (kind, input, instructions). Replaying the same dream asks the
 * same things, so the key finds the answer a child job already gave; a call is made once per dream, whoever runs it.
 */
export function callKeyOf(call: ModelCall, instructions: string): string {
  return sha256(JSON.stringify({ call, instructions }));
}

/** The BullMQ job id of a call: dream id, kind and step key (no `:`, which BullMQ reserves). */
export function callJobId(dreamId: string, call: ModelCall, callKey: string): string {
  return `${dreamId}.${call.kind}.${callKey.slice(0, 40)}`;
}
