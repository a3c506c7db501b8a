import type { ConsolidationModel, LanguageModel } from "@nocturne/core";
import { sleep } from "@nocturne/core/internals";
import type { CallMeter } from "./call-meter.js";

/** How slow a simulated model is. */
export interface LatencyProfile {
  /** Fixed time per call (time to first token plus network), in milliseconds. */
  latencyMs: number;
  /** Output speed; each call also waits `output_tokens / tokensPerSecond`. Default: infinitely fast output. */
  tokensPerSecond?: number;
  /** Counts calls in flight (for checking the engine's concurrency). */
  meter?: CallMeter;
}

function delayOf(profile: LatencyProfile, outputTokens: number): number {
  const streaming = profile.tokensPerSecond ? (outputTokens / profile.tokensPerSecond) * 1000 : 0;
  return profile.latencyMs + streaming;
}

/**
 * Wraps a LanguageModel so every call takes as long as a remote model would: the answer is computed, then held for
 * `latencyMs + output_tokens / tokensPerSecond`. Aborting the request's signal ends the wait with `aborted`.
 */
export function withLatency(model: LanguageModel, profile: LatencyProfile): LanguageModel {
  return {
    provider: model.provider,
    modelId: model.modelId,
    async generate(request) {
      const done = profile.meter?.enter();
      try {
        const result = await model.generate(request);
        await sleep(delayOf(profile, result.usage.output_tokens), request.signal);
        return result;
      } finally {
        done?.();
      }
    },
  };
}

/** The same for a ConsolidationModel: each of `extract`, `judge` and `synthesize` waits like one model call. */
export function withConsolidationLatency(model: ConsolidationModel, profile: LatencyProfile): ConsolidationModel {
  const timed =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>, signalOf: (...args: A) => AbortSignal) =>
    async (...args: A): Promise<R> => {
      const done = profile.meter?.enter();
      try {
        const result = await call(...args);
        const outputTokens = Math.ceil(JSON.stringify(result).length / 4);
        await sleep(delayOf(profile, outputTokens), signalOf(...args));
        return result;
      } finally {
        done?.();
      }
    };
  return {
    id: model.id,
    offline: model.offline,
    extract: timed(model.extract.bind(model), (_source, context) => context.signal),
    judge: timed(model.judge.bind(model), (_pairs, context) => context.signal),
    synthesize: timed(model.synthesize.bind(model), (_facts, context) => context.signal),
  };
}
