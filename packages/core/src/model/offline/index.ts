// The offline model's one entry: everything outside model/offline/ imports from here, never a file inside the folder
// (.dependency-cruiser.cjs, rule offline-model-has-one-entry). What the folder holds and how its steps fit together:
// README.md beside this file.

// — the model: a ConsolidationModel (ports/consolidation-model.ts), as the LLM model is
export { createOfflineConsolidationModel, OFFLINE_MODEL_ID, OfflineModelOptions } from "./offline-model.js";

// — wink's English model, loaded in paced steps (the model's own tests compare it with wink's loader)
export { parseCoreModelJson } from "./paced-model-json.js";
export { loadWinkModel, loadWinkNlp } from "./wink-model.js";
