import { type ConsolidationModel, createLanguageModel, type LanguageModel } from "@nocturne/core";

/** The model for `--model`: undefined for `offline` (the engine's rule-based default), else a provider by its id. */
export function modelFor(spec: string): ConsolidationModel | LanguageModel | undefined {
  return spec === "offline" ? undefined : createLanguageModel(spec);
}
