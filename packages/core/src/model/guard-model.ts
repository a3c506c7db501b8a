import type { z } from "zod";
import { DREAM_DEFAULTS } from "../defaults.js";
import { NocturneError } from "../errors.js";
import type { ConsolidationModel, ModelCallContext } from "../ports/consolidation-model.js";
import { ExtractedFact, JudgeVerdict, ProposedInsight } from "../schemas/facts.js";
import { createPacer } from "../util/pacer.js";
import { abortedError } from "../util/retry.js";

/** The default deadline of one consolidation call (a model's own output retries included): 10 minutes. */

/** How long a dream that ends waits for abandoned calls to settle, so their late usage is still counted. */
const SETTLE_GRACE_MS = 50;

/** Options for {@link guardModel}. */
export interface GuardModelOptions {
  /** Deadline of one call, in milliseconds. Default `DREAM_DEFAULTS.callTimeoutMs`. */
  callTimeoutMs?: number;
  /** Receives notices for the dream (once each): a model that is not offline reporting no token usage. */
  onNotice?: (message: string) => void;
}

/** A guarded model, and a way to wait for calls it gave up on. */
export interface GuardedModel extends ConsolidationModel {
  /**
   * Resolves when every call the wrapped model was given has settled, or after `graceMs` (default 50 ms) for
   * those that never do, so usage they report late still reaches the dream before it is recorded.
   */
  settled(graceMs?: number): Promise<void>;
}

/** Topics no model output may use: the engine writes its own bookkeeping there (`/nocturne/…`). */
export function isReservedTopic(topic: string): boolean {
  const head = topic.trim().replace(/^\/+/, "").split("/")[0] ?? "";
  return head.toLowerCase() === "nocturne";
}

/**
 * Wraps any ConsolidationModel (custom ones included) so that every call:
 * - runs under a deadline (`model_timeout`, retryable) and the dream's abort signal: a call that never settles is
 *   abandoned at once when the dream is canceled (`aborted`), so `cancel()` never hangs on a model;
 * - fails with a typed error: anything thrown that is no NocturneError (`throw "boom"`, a TypeError) becomes
 *   `model_error`;
 * - returns output that fits the zod schemas: output that is not a list fails `model_output_invalid`; single
 *   entries that do not fit (a 1 MB statement, a missing field) or that claim an engine-owned topic are left out and
 *   counted through `context.decline` (`invalid_output`, `reserved_topic`), never failing the dream.
 */
export function guardModel(model: ConsolidationModel, options: GuardModelOptions = {}): GuardedModel {
  const timeoutMs = options.callTimeoutMs ?? DREAM_DEFAULTS.callTimeoutMs;
  const inFlight = new Set<Promise<unknown>>();
  let usageNoticeGiven = false;

  async function guarded<T>(
    method: string,
    context: ModelCallContext,
    call: (context: ModelCallContext) => Promise<unknown>,
    schema: z.ZodType<T>,
    describe: (entry: unknown) => string,
    reserved: (entry: T) => boolean = () => false,
  ): Promise<T[]> {
    const outer = context.signal;
    if (outer.aborted) throw abortedError(outer);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(
        new NocturneError("model_timeout", `The model ${model.id} did not answer ${method} within ${timeoutMs} ms.`, {
          retryable: true,
        }),
      );
    }, timeoutMs);
    const onAbort = () => controller.abort(outer.reason);
    outer.addEventListener("abort", onAbort, { once: true });
    let tokens = 0;
    const reportUsage: ModelCallContext["reportUsage"] = (usage) => {
      tokens += Object.values(usage).reduce<number>((sum, value) => sum + (value ?? 0), 0);
      context.reportUsage(usage);
    };
    const pending = Promise.resolve().then(() => call({ ...context, reportUsage, signal: controller.signal }));
    const tracked = pending.then(
      () => undefined,
      () => undefined,
    );
    inFlight.add(tracked);
    void tracked.then(() => inFlight.delete(tracked));
    let output: unknown;
    try {
      output = await Promise.race([pending, rejectOnAbort(controller.signal)]);
    } catch (thrown) {
      if (timedOut) throw controller.signal.reason;
      if (outer.aborted) throw abortedError(outer);
      throw asModelError(model.id, method, thrown);
    } finally {
      clearTimeout(timer);
      outer.removeEventListener("abort", onAbort);
    }
    if (!model.offline && tokens === 0 && !usageNoticeGiven) {
      usageNoticeGiven = true;
      options.onNotice?.(
        `The model ${model.id} reported no token usage for a call; this dream's usage and cost undercount what the provider may bill.`,
      );
    }
    if (!Array.isArray(output)) {
      throw new NocturneError(
        "model_output_invalid",
        `The model ${model.id} returned ${output === null ? "null" : typeof output} from ${method}, not a list; nothing from it was used.`,
        { retryable: false, details: { method } },
      );
    }
    const kept: T[] = [];
    const pacer = createPacer(outer);
    for (const entry of output) {
      await pacer.pace();
      const parsed = schema.safeParse(entry);
      if (!parsed.success) context.decline?.({ reason: "invalid_output", text: describe(entry) });
      else if (reserved(parsed.data)) context.decline?.({ reason: "reserved_topic", text: describe(entry) });
      else kept.push(parsed.data);
    }
    return kept;
  }

  const statementOf = (entry: unknown): string => {
    const statement = (entry as { statement?: unknown } | null)?.statement;
    const text = typeof statement === "string" ? statement : (JSON.stringify(entry) ?? String(entry));
    return text.slice(0, 200);
  };

  return {
    id: model.id,
    offline: model.offline,
    extract: (source, context) =>
      guarded(
        "extract",
        context,
        (c) => model.extract(source, c),
        ExtractedFact,
        statementOf,
        (fact) => isReservedTopic(fact.topic),
      ),
    judge: (pairs, context) =>
      guarded(
        "judge",
        context,
        (c) => model.judge(pairs, c),
        JudgeVerdict,
        (entry) => JSON.stringify(entry) ?? "",
      ),
    synthesize: (facts, context) =>
      guarded(
        "synthesize",
        context,
        (c) => model.synthesize(facts, c),
        ProposedInsight,
        statementOf,
        (insight) => isReservedTopic(insight.topic),
      ),
    async settled(graceMs = SETTLE_GRACE_MS) {
      if (inFlight.size === 0) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.all([...inFlight]),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}

/** Never resolves; rejects with the signal's reason when it aborts. */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

/** A model's failure as a NocturneError: kept as it is when it is one, else `model_error`. */
function asModelError(modelId: string, method: string, thrown: unknown): NocturneError {
  if (NocturneError.isInstance(thrown)) return thrown;
  const text = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
  return new NocturneError("model_error", `The model ${modelId} failed in ${method}: ${text.slice(0, 500)}`, {
    cause: thrown,
    retryable: false,
  });
}
