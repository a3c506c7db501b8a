// @nocturne/core/internals: the parts the engine is built from — pipeline stages, lifecycle helpers, the model
// guard and retry — for runners and first-party packages that compose them (the BullMQ runner, providers, the bench).
// Not covered by semver: any release may change it. Applications use the root entry, `@nocturne/core`.

// — lifecycle
export { defaultChunkTokens } from "./defaults.js";
export { dreamErrorOf } from "./engine/dream-error.js";
export { dreamNotArchivable, dreamNotCancelable, dreamNotFound } from "./engine/dream-lifecycle-errors.js";
export { dreamDeadline, dreamTimeoutError, dreamTimeoutMs } from "./engine/dream-timeout.js";
export { pendingDream } from "./engine/pending-dream.js";
export { OFFLINE_DEFAULT_NOTICE, resolveModel } from "./engine/resolve-model.js";
export type { AdaptiveLimiter, AdaptiveLimiterOptions } from "./model/adaptive-limiter.js";
export { createAdaptiveLimiter } from "./model/adaptive-limiter.js";
export {
  type GuardedModel,
  type GuardModelOptions,
  guardModel,
  isReservedTopic,
} from "./model/guard-model.js";
// — model plumbing
export { OUTPUT_NAMES as CONSOLIDATION_OUTPUT_NAMES } from "./model/llm/output-schemas.js";
export { BASE_SYSTEM_PROMPT, buildSystemPrompt } from "./model/llm/system-prompt.js";
// — pipeline stages (pure functions over plain data; runners compose them)
export type { ReportInputs } from "./pipeline/build-report.js";
export { buildReport, initialReportInputs } from "./pipeline/build-report.js";
export { checkEvidence, indexChunk, indexMemories, trustRank } from "./pipeline/check-evidence.js";
export { checkInsights, INSIGHTS_TOPIC } from "./pipeline/check-insights.js";
export { chunkTranscript, LINE_OVERHEAD_TOKENS } from "./pipeline/chunk-transcript.js";
export { clausesOf } from "./pipeline/clauses.js";
export type { DeduplicateOptions, DeduplicateResult, RefusedMerge } from "./pipeline/deduplicate.js";
export { AMBIGUOUS_SIMILARITY, deduplicate, SAME_SUBJECT_SIMILARITY } from "./pipeline/deduplicate.js";
export { applyIncremental, attachLedger, parseLedger, skippedNotice } from "./pipeline/incremental.js";
export { isLedgerPath, LEDGER_PATH } from "./pipeline/ledger-path.js";
export type { LineageRead } from "./pipeline/lineage.js";
export { lineageLine, lineageOf, readLineage } from "./pipeline/lineage.js";
export { isPastMention, mentionsAsPast } from "./pipeline/past-mention.js";
export type { RenderedMemory } from "./pipeline/render-memories.js";
export { renderMemories, topicPath } from "./pipeline/render-memories.js";
export { renderTranscript } from "./pipeline/render-transcript.js";
export type { Resolution } from "./pipeline/resolve-by-recency.js";
export { resolveByRecency } from "./pipeline/resolve-by-recency.js";
export type { PipelineContext, PipelineSettings, Redactor } from "./pipeline/run-pipeline.js";
export { batchMemories, batchSynthesisFacts, runPipeline } from "./pipeline/run-pipeline.js";
export { compatibleSubjects, rolesSwapped, sameValue, viewOf } from "./pipeline/same-subject.js";
export type { IncrementalPlan, InputSnapshot, ValidDreamRequest } from "./pipeline/snapshot-inputs.js";
export {
  ensureInputsAvailable,
  snapshotInputs,
  validateDreamRequest,
} from "./pipeline/snapshot-inputs.js";
// — for provider packages: HTTP failures as typed errors
export type { HttpFailure } from "./providers/provider-errors.js";
export { errorFromHttpFailure, invalidOutputError, retryAfterMs } from "./providers/provider-errors.js";
// — helpers
export { escapeHtml, escapeMarkdown } from "./report/escape.js";
export { anchorsOf } from "./util/anchors.js";
export { abortedError, sleep, withRetry } from "./util/retry.js";
