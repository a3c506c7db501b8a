// Public API of @nocturne/core/testing: what tests (ours and third parties') need. Add exports to the matching section.

// — storage
export { createInMemoryAdapter, InMemoryAdapter } from "../adapters/in-memory-adapter.js";
export type {
  AdapterConformanceOptions,
  ConformanceFactory,
  ConformanceFixture,
} from "./conformance/index.js";
export { runAdapterConformance } from "./conformance/index.js";

// — models
export type {
  ScriptedCall,
  ScriptedHandler,
  ScriptedLanguageModel,
  ScriptedLanguageModelOptions,
  ScriptedReply,
} from "./scripted-language-model.js";
export { createScriptedLanguageModel, scripted } from "./scripted-language-model.js";
