// Public API of @nocturne/core/testing: what tests (ours and third parties') need. Add exports to the matching section.
// It never imports a test runner: the conformance suite is handed the runner's functions, so this entry loads in
// plain Node. The in-memory adapter is exported by `@nocturne/core` itself.

// — storage
export type {
  AdapterConformanceOptions,
  ConformanceFactory,
  ConformanceFixture,
  ConformanceMatchers,
  ConformanceRunner,
  TestFunction,
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
