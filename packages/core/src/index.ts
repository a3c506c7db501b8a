// Public API of @nocturne/core. Each section re-exports one area; add new exports to the matching section.

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
export type * from "./ports/tokenizer.js";

// — storage
export { createInMemoryAdapter, InMemoryAdapter } from "./adapters/in-memory-adapter.js";
export { bufferedSessionWriter, sessionWriterFor } from "./adapters/session-writer-for.js";
export * as storageRules from "./adapters/storage-rules.js";

// — engine
export { createNocturne } from "./engine/create-nocturne.js";
export { defaultChunkTokens } from "./engine/default-chunk-tokens.js";
export { dreamErrorOf } from "./engine/dream-error.js";
export { DEFAULT_DREAM_TIMEOUT_MS, dreamDeadline, dreamTimeoutError, dreamTimeoutMs } from "./engine/dream-timeout.js";
export { dreamNotArchivable, dreamNotCancelable, dreamNotFound } from "./engine/dream-lifecycle-errors.js";
export { pendingDream } from "./engine/pending-dream.js";
export { OFFLINE_DEFAULT_NOTICE } from "./engine/resolve-model.js";
export type * from "./engine/types.js";
export { createTiktokenTokenizer } from "./tokenizer/tiktoken-tokenizer.js";

// — pipeline stages (pure functions over plain data; runners compose them)
export type { ReportInputs } from "./pipeline/build-report.js";
export { buildReport, initialReportInputs } from "./pipeline/build-report.js";
export { checkEvidence, indexChunk, indexMemories, trustRank } from "./pipeline/check-evidence.js";
export { checkInsights, INSIGHTS_TOPIC } from "./pipeline/check-insights.js";
export { chunkTranscript, LINE_OVERHEAD_TOKENS } from "./pipeline/chunk-transcript.js";
export type { DeduplicateOptions, DeduplicateResult, RefusedMerge } from "./pipeline/deduplicate.js";
export { AMBIGUOUS_SIMILARITY, deduplicate, SAME_SUBJECT_SIMILARITY } from "./pipeline/deduplicate.js";
export { applyIncremental, attachLedger, parseLedger, skippedNotice } from "./pipeline/incremental.js";
export { isLedgerPath, LEDGER_PATH } from "./pipeline/ledger-path.js";
export type { LineageRead } from "./pipeline/lineage.js";
export { lineageLine, lineageOf, readLineage } from "./pipeline/lineage.js";
export type { RenderedMemory } from "./pipeline/render-memories.js";
export { renderMemories, topicPath } from "./pipeline/render-memories.js";
export { renderTranscript } from "./pipeline/render-transcript.js";
export type { Resolution } from "./pipeline/resolve-by-recency.js";
export { clausesOf } from "./pipeline/clauses.js";
export { resolveByRecency } from "./pipeline/resolve-by-recency.js";
export { isPastMention, mentionsAsPast } from "./pipeline/past-mention.js";
export { compatibleSubjects, rolesSwapped, sameValue, viewOf } from "./pipeline/same-subject.js";
export { anchorsOf } from "./util/anchors.js";
export type { PipelineContext, PipelineSettings, Redactor } from "./pipeline/run-pipeline.js";
export { batchMemories, batchSynthesisFacts, runPipeline } from "./pipeline/run-pipeline.js";
export type { IncrementalPlan, InputSnapshot, ValidDreamRequest } from "./pipeline/snapshot-inputs.js";
export {
  ensureInputsAvailable,
  readAllMemories,
  snapshotInputs,
  validateDreamRequest,
} from "./pipeline/snapshot-inputs.js";

// — models
export type { LlmConsolidationModelOptions } from "./model/llm/llm-consolidation-model.js";
export { createLlmConsolidationModel } from "./model/llm/llm-consolidation-model.js";
export {
  createOfflineConsolidationModel,
  OFFLINE_MODEL_ID,
  OfflineModelOptions,
} from "./model/offline/offline-model.js";
export { OUTPUT_NAMES as CONSOLIDATION_OUTPUT_NAMES } from "./model/llm/output-schemas.js";
export { BASE_SYSTEM_PROMPT, buildSystemPrompt } from "./model/llm/system-prompt.js";
export type { AdaptiveLimiter, AdaptiveLimiterOptions } from "./model/adaptive-limiter.js";
export { createAdaptiveLimiter } from "./model/adaptive-limiter.js";
export type { CreateLanguageModelOptions, ModelSpec } from "./providers/create-language-model.js";
export { createLanguageModel, LOCAL_SERVER_URLS, parseModelSpec } from "./providers/create-language-model.js";
export type { OpenAICompatibleModelOptions } from "./providers/openai-compatible-model.js";
export { createOpenAICompatibleModel } from "./providers/openai-compatible-model.js";
export type { AnthropicModel, AnthropicModelOptions } from "./providers/anthropic-model.js";
export { createAnthropicModel, DEFAULT_ANTHROPIC_MODEL } from "./providers/anthropic-model.js";
export type { TokenPrices } from "./providers/anthropic-pricing.js";
export { ANTHROPIC_PRICES, anthropicPrices, estimateCost } from "./providers/anthropic-pricing.js";
export {
  DEFAULT_CALL_TIMEOUT_MS,
  type GuardedModel,
  type GuardModelOptions,
  guardModel,
  isReservedTopic,
} from "./model/guard-model.js";
export { errorFromHttpFailure, retryAfterMs } from "./providers/provider-errors.js";

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
export { escapeHtml, escapeMarkdown } from "./report/escape.js";
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
export { abortedError, DEFAULT_RETRY, sleep, withRetry } from "./util/retry.js";
