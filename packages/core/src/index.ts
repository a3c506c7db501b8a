// Public API of @nocturne/core. Each section re-exports one area; add new exports to the matching section.

// — storage
export { createInMemoryAdapter, InMemoryAdapter } from "./adapters/in-memory-adapter.js";
export * as storageRules from "./adapters/storage-rules.js";
// — engine
export type * from "./engine/types.js";
export type { NocturneErrorCode, NocturneErrorOptions } from "./errors.js";
// — errors
export { ERROR_CODES, NocturneError, toNocturneError } from "./errors.js";
// — models
export type { LlmConsolidationModelOptions } from "./model/llm/llm-consolidation-model.js";
export { createLlmConsolidationModel } from "./model/llm/llm-consolidation-model.js";
export { OUTPUT_NAMES as CONSOLIDATION_OUTPUT_NAMES } from "./model/llm/output-schemas.js";
export { BASE_SYSTEM_PROMPT, buildSystemPrompt } from "./model/llm/system-prompt.js";
export type * from "./ports/consolidation-model.js";
export type * from "./ports/language-model.js";
// — ports
export type * from "./ports/storage-adapter.js";
export type * from "./ports/tokenizer.js";
// — resources and schemas
export * from "./schemas/common.js";
export * from "./schemas/dream.js";
export * from "./schemas/dream-event.js";
export * from "./schemas/facts.js";
export * from "./schemas/memory.js";
export * from "./schemas/memory-path.js";
export * from "./schemas/memory-store.js";
export * from "./schemas/report.js";
export * from "./schemas/session.js";
export { sha256, utf8Bytes } from "./util/hash.js";
export { newId } from "./util/ids.js";
export type { RetryListener, RetryOptions } from "./util/retry.js";
// — utilities
export { abortedError, sleep, withRetry } from "./util/retry.js";

// — importers

// — review report

// — security
