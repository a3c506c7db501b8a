// Public API of @nocturne/testing: what tests (ours and third parties') need. Add exports to the matching section.
// It never imports a test runner: the conformance suite is handed the runner's functions, so this package loads in
// plain Node, and vitest is only an optional peer dependency. The in-memory adapter and its map driver live in
// `@nocturne/core` (its quick start runs on them); they are re-exported here so a test file needs one import.

// — storage
export { createInMemoryAdapter, createMemoryDriver, InMemoryAdapter } from "@nocturne/core";
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
