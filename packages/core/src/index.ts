// Public API of @nocturne/core: what users call. Each section re-exports one area; add new exports to the matching
// section. The parts runners and first-party packages compose (pipeline stages, lifecycle helpers) are in internals.ts.

// — errors
export type { NocturneErrorCode, NocturneErrorOptions } from "./errors.js";
export {
  dreamErrorTypeOf,
  ERROR_CODES,
  type ErrorCodeInfo,
  errorCodeInfo,
  HOSTED_ERROR_STATUS,
  type HostedErrorType,
  isErrorCode,
  isInputErrorCode,
  NocturneError,
  toNocturneError,
} from "./errors.js";

// — resources and schemas
export * from "./schemas/common.js";
export * from "./schemas/dream.js";
export * from "./schemas/dream-event.js";
export * from "./schemas/facts.js";
export * from "./schemas/lineage.js";
export * from "./schemas/memory.js";
export * from "./schemas/memory-path.js";
export * from "./schemas/memory-store.js";
export * from "./schemas/memory-version.js";
export * from "./schemas/report.js";
export * from "./schemas/session.js";

// — ports
export type * from "./ports/consolidation-model.js";
export type * from "./ports/language-model.js";
export type * from "./ports/session-writer.js";
export type * from "./ports/storage-adapter.js";
export type * from "./ports/storage-driver.js";
export type * from "./ports/tokenizer.js";

// — storage
export { createDriverStorage, DriverStorage, type DriverStorageOptions } from "./adapters/driver-storage.js";
export { createInMemoryAdapter, InMemoryAdapter } from "./adapters/in-memory-adapter.js";
export { createMemoryDriver } from "./adapters/memory-driver.js";
export { bufferedSessionWriter, sessionWriterFor } from "./adapters/session-writer-for.js";
export * as storageRules from "./adapters/storage-rules.js";

// — engine
export { createNocturne } from "./engine/create-nocturne.js";
export { DREAM_DEFAULTS } from "./defaults.js";
export type * from "./engine/types.js";
export { createTiktokenTokenizer } from "./tokenizer/tiktoken-tokenizer.js";

export {
  type AppliedMemory,
  type ApplyMemoriesOptions,
  applyMemories,
  type MemoryTarget,
  type PlannedChange,
  planMemoryChanges,
} from "./pipeline/apply-memories.js";
export type { Redactor } from "./pipeline/run-pipeline.js";
export { readAllMemories } from "./pipeline/snapshot-inputs.js";

// — models
export type { LlmConsolidationModelOptions } from "./model/llm/llm-consolidation-model.js";
export { createLlmConsolidationModel } from "./model/llm/llm-consolidation-model.js";
export {
  createOfflineConsolidationModel,
  OFFLINE_MODEL_ID,
  OfflineModelOptions,
} from "./model/offline/index.js";

// — importers
export { importTranscriptFile, listTranscriptFiles, TRANSCRIPT_EXTENSIONS } from "./importers/import-files.js";
export { importTranscript } from "./importers/import-transcript.js";
export type { StagedTranscript, StoredTranscript } from "./importers/store-transcript-file.js";
export { stageTranscriptFile, storeTranscriptFile } from "./importers/store-transcript-file.js";
export type { TranscriptProblem } from "./importers/transcript-error.js";
export type { ImportedTranscript, ImportTranscriptOptions, ImportWarning } from "./importers/transcript-format.js";
export {
  DEFAULT_MAX_EVENT_BYTES,
  DEFAULT_MAX_TRANSCRIPT_BYTES,
  IMPORT_METADATA_KEYS,
  SessionTimeSource,
  TranscriptFormat,
} from "./importers/transcript-format.js";

// — review report
export { renderReportHtml } from "./report/render-html.js";
export { renderReportMarkdown } from "./report/render-markdown.js";
export type { MemoryContent, RenderedSessionInfo, ReportRenderOptions } from "./report/render-options.js";
export type { ReportCounts } from "./report/report-view.js";
export { reportCounts } from "./report/report-view.js";

// — security
export { RedactionResult, redactionPlaceholder, redactSecrets } from "./security/redact-secrets.js";
export { SECRET_RULES, type SecretRule } from "./security/secret-rules.js";

// — utilities
export { sha256, utf8Bytes } from "./util/hash.js";
export { newId } from "./util/ids.js";
export type { RetryListener, RetryOptions } from "./util/retry.js";
