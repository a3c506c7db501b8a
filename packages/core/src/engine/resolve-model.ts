import { createLlmConsolidationModel } from "../model/llm/llm-consolidation-model.js";
import { createOfflineConsolidationModel } from "../model/offline/index.js";
import type { ConsolidationModel } from "../ports/consolidation-model.js";
import type { LanguageModel } from "../ports/language-model.js";

/** The notice every dream on the default model carries, so nobody mistakes rules for a language model. */
export const OFFLINE_DEFAULT_NOTICE =
  "No model configured: using the offline rule-based model (no network, no API key). It only picks up explicit statements; configure a language model for full consolidation.";

function isLanguageModel(model: ConsolidationModel | LanguageModel): model is LanguageModel {
  return "generate" in model && typeof model.generate === "function";
}

/** The ConsolidationModel an engine uses: the given one, a LanguageModel wrapped with Nocturne's prompts, or offline. */
export function resolveModel(model: ConsolidationModel | LanguageModel | undefined): {
  model: ConsolidationModel;
  notice: string | null;
} {
  if (model === undefined) return { model: createOfflineConsolidationModel(), notice: OFFLINE_DEFAULT_NOTICE };
  return { model: isLanguageModel(model) ? createLlmConsolidationModel(model) : model, notice: null };
}
