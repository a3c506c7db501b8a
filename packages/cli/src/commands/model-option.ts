import type { ConsolidationModel, LanguageModel } from "@nocturne/core";
import { createLanguageModel } from "../model-spec.js";

/** The model for `--model`: undefined for `offline` (the engine's rule-based default), else a provider by its id. */
export function modelFor(spec: string): ConsolidationModel | LanguageModel | undefined {
  return spec === "offline" ? undefined : createLanguageModel(spec);
}
