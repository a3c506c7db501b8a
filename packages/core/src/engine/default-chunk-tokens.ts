import type { ConsolidationModel } from "../ports/consolidation-model.js";
import type { LanguageModel } from "../ports/language-model.js";

/**
 * The chunk budget a dream uses when none is given, wherever it runs (in process or on workers): 12,000 tokens (fewer,
 * larger calls: less prompt overhead and wall time), or 6,000 for OpenAI-compatible servers, which usually run local
 * models with small context windows.
 */
export function defaultChunkTokens(model: ConsolidationModel | LanguageModel | undefined): number {
  return model !== undefined && "provider" in model && model.provider === "openai-compatible" ? 6000 : 12_000;
}
