import { type GenerateRequest, sha256 } from "@nocturne/core";
import { CONSOLIDATION_OUTPUT_NAMES } from "@nocturne/core/internals";
import {
  createScriptedLanguageModel,
  type ScriptedLanguageModel,
  type ScriptedReply,
  scripted,
} from "@nocturne/testing";
import { promptItems } from "../../security/fixtures/compromised-model.js";

/** The faults a model call can suffer. */
export const MODEL_FAULTS = [
  "rate_limited",
  "overloaded",
  "server_error",
  "timeout",
  "truncated",
  "schema_violation",
] as const;
export type ModelFault = (typeof MODEL_FAULTS)[number];

/** An honest answer to an extraction, judgement or synthesis prompt: one fact per user preference or memory line. */
export function honestReply(request: GenerateRequest): ScriptedReply {
  const prompt = request.messages[0]?.content ?? "";
  switch (request.output?.name) {
    case CONSOLIDATION_OUTPUT_NAMES.extract: {
      const facts = promptItems(prompt).flatMap((item) => {
        const match = /(?:I prefer|Uses) (.+?) for ([a-z]+)/.exec(item.text);
        if (!match || !(item.role === "user" || item.role === "memory")) return [];
        return [
          {
            key: `preference.${match[2]}`,
            topic: "preferences",
            statement: `Prefers ${match[1]} for ${match[2]}`,
            kind: "preference" as const,
            evidence: [{ event_id: item.id, quote: match[0] }],
          },
        ];
      });
      return scripted.json({ facts });
    }
    case CONSOLIDATION_OUTPUT_NAMES.judge: {
      const ids = [...prompt.matchAll(/<pair id="([^"]*)">/g)].map((m) => m[1] ?? "");
      return scripted.json({ verdicts: ids.map((id) => ({ id, same: false })) });
    }
    default:
      return scripted.json({ insights: [] });
  }
}

/** The reply or error a fault produces, shaped like a provider's. */
export function faultReply(fault: ModelFault, request: GenerateRequest): ScriptedReply {
  switch (fault) {
    case "rate_limited":
      throw scripted.rateLimited(5);
    case "overloaded":
      throw scripted.overloaded();
    case "server_error":
      throw scripted.unavailable(500);
    case "timeout":
      throw scripted.timeout();
    case "truncated":
      return scripted.truncatedJson(honestReply(request).json);
    case "schema_violation":
      return scripted.json({ facts: [{ key: 42, evidence: "none" }], verdicts: "yes", insights: [{}] });
  }
}

/** Counts of what a faulty model did. */
export interface FaultTally {
  calls: number;
  faults: Record<ModelFault, number>;
}

/**
 * A scripted model that fails a fraction of its calls. Whether a call fails depends only on the seed, the task
 * prompt and how many times that prompt was tried — not on the order concurrent calls arrive in — so a run is
 * reproducible.
 */
export function createFaultyModel(options: {
  seed: number;
  rate: number;
  faults?: readonly ModelFault[];
}): ScriptedLanguageModel & { tally: FaultTally } {
  const attempts = new Map<string, number>();
  const kinds = options.faults ?? MODEL_FAULTS;
  const tally: FaultTally = {
    calls: 0,
    faults: Object.fromEntries(MODEL_FAULTS.map((f) => [f, 0])) as Record<ModelFault, number>,
  };
  const model = createScriptedLanguageModel({
    modelId: "faulty",
    script: (request) => {
      tally.calls++;
      const key = `${request.output?.name}\u0000${request.messages[0]?.content ?? ""}`;
      const attempt = attempts.get(key) ?? 0;
      attempts.set(key, attempt + 1);
      const draw = Number.parseInt(sha256(`${options.seed}\u0000${attempt}\u0000${key}`).slice(0, 8), 16) / 0x100000000;
      if (draw >= options.rate) return honestReply(request);
      const fault = kinds[
        Math.floor((draw / Math.max(options.rate, Number.EPSILON)) * kinds.length) % kinds.length
      ] as ModelFault;
      tally.faults[fault]++;
      return faultReply(fault, request);
    },
  });
  return Object.assign(model, { tally });
}
