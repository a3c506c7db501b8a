import {
  type ConsolidationModel,
  type ExtractedFact,
  type ExtractionSource,
  type JudgePair,
  type JudgeVerdict,
  type ModelCallContext,
  NocturneError,
  type ProposedInsight,
  type SynthesisFact,
} from "@nocturne/core";
import { abortedError } from "@nocturne/core/internals";
import { callJobId, callKeyOf, type ModelCall, type ModelCallOutcome } from "./model-calls.js";

/** What a parent knows about one call: the child's outcome, or why the child job itself failed. */
export type KnownCall = ModelCallOutcome | { callKey: string; status: "failed"; reason: string };

/** A call the replay needs and no child has answered yet. */
export interface PendingCall {
  jobId: string;
  callKey: string;
  call: ModelCall;
}

/**
 * The ConsolidationModel a dream's parent job runs the pipeline with. It answers every call a child job already
 * answered (by step key) and collects the others; once the pipeline waits on nothing but unanswered calls (one
 * macrotask after the first one, as a stage issues its calls together), it calls `suspend`, and the parent turns
 * the collected calls into child jobs and waits for them. Running the pipeline again then gets further: a replay.
 */
export class ReplayModel implements ConsolidationModel {
  readonly pending = new Map<string, PendingCall>();
  /** Transcript extractions the pipeline asked for in this replay. */
  transcriptCalls = 0;
  private scheduled = false;

  constructor(
    readonly id: string,
    readonly offline: boolean,
    private readonly dreamId: string,
    private readonly known: ReadonlyMap<string, KnownCall>,
    private readonly suspend: () => void,
  ) {}

  extract(source: ExtractionSource, context: ModelCallContext): Promise<ExtractedFact[]> {
    if (source.type === "transcript") this.transcriptCalls++;
    return this.answer({ kind: "extract", source }, context);
  }

  judge(pairs: JudgePair[], context: ModelCallContext): Promise<JudgeVerdict[]> {
    return this.answer({ kind: "judge", pairs }, context);
  }

  synthesize(facts: SynthesisFact[], context: ModelCallContext): Promise<ProposedInsight[]> {
    return this.answer({ kind: "synthesize", facts }, context);
  }

  private answer<T>(call: ModelCall, context: ModelCallContext): Promise<T> {
    const callKey = callKeyOf(call, context.instructions);
    const jobId = callJobId(this.dreamId, call, callKey);
    const known = this.known.get(jobId);
    if (known?.status === "ok") {
      for (const entry of known.declined ?? []) context.decline?.(entry);
      return Promise.resolve(structuredClone(known.value) as T);
    }
    if (known?.status === "error") {
      return Promise.reject(new NocturneError(known.error.code, known.error.message, { details: known.error.details }));
    }
    if (known?.status === "canceled") return Promise.reject(abortedError(context.signal));
    if (known?.status === "failed") {
      return Promise.reject(
        new NocturneError("internal_error", `A ${call.kind} job of this dream failed: ${known.reason}`, {
          details: { job_id: jobId },
        }),
      );
    }
    this.pending.set(jobId, { jobId, callKey, call });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.suspend);
    }
    return new Promise<T>((_, reject) => {
      if (context.signal.aborted) return reject(abortedError(context.signal));
      context.signal.addEventListener("abort", () => reject(abortedError(context.signal)), { once: true });
    });
  }
}
