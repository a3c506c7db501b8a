import type { ConsolidationModel, ModelCallContext } from "@nocturne/core";
import { sleep } from "@nocturne/core/internals";

/**
 * A ConsolidationModel that takes `latencyMs` per call, like a remote model, and then answers as `model` does.
 * The wait honours the call's abort signal. `calls` counts calls started in this process.
 */
export function withLatency(model: ConsolidationModel, latencyMs: number): ConsolidationModel & { calls: number } {
  const timed = async <T>(context: ModelCallContext, answer: () => Promise<T>): Promise<T> => {
    wrapped.calls++;
    await sleep(latencyMs, context.signal);
    return answer();
  };
  const wrapped = {
    id: model.id,
    offline: model.offline,
    calls: 0,
    extract: (source, context) => timed(context, () => model.extract(source, context)),
    judge: (pairs, context) => timed(context, () => model.judge(pairs, context)),
    synthesize: (facts, context) => timed(context, () => model.synthesize(facts, context)),
  } satisfies ConsolidationModel & { calls: number };
  return wrapped;
}
