// @nocturne/core/internals: the parts the engine is built from, for runners and first-party packages that compose
// them (the BullMQ runner, the provider packages, the bench). Not covered by semver: any release may change it. Applications use the root
// entry, `@nocturne/core`.

// — lifecycle: the dreams API over a runner port, and the helpers runners share
export { defaultChunkTokens, toolResultTokensOf } from "./defaults.js";
export { dreamErrorOf } from "./engine/dream-error.js";
export { dreamConflict, dreamNotCancelable, dreamNotFound } from "./engine/dream-lifecycle-errors.js";
export type { DreamPlan, DreamRunner } from "./engine/dream-runner.js";
export { dreamDeadline, dreamTimeoutError } from "./engine/dream-timeout.js";
export { createDreamsApi } from "./engine/dreams-api.js";
export { OFFLINE_DEFAULT_NOTICE, resolveModel } from "./engine/resolve-model.js";
// — model plumbing
export { createAdaptiveLimiter } from "./model/adaptive-limiter.js";
export { guardModel } from "./model/guard-model.js";
export { OUTPUT_NAMES as CONSOLIDATION_OUTPUT_NAMES } from "./model/llm/output-schemas.js";
export { BASE_SYSTEM_PROMPT } from "./model/llm/system-prompt.js";
// — pipeline stages (functions over plain data; runners compose them)
export type { ReportInputs } from "./pipeline/build-report.js";
export { buildReport, initialReportInputs } from "./pipeline/build-report.js";
export { checkEvidence, indexChunk } from "./pipeline/check-evidence.js";
export { chunkTranscript, LINE_OVERHEAD_TOKENS } from "./pipeline/chunk-transcript.js";
export { clausesOf } from "./pipeline/clauses.js";
export { deduplicate } from "./pipeline/deduplicate.js";
export { applyIncremental, parseLedger } from "./pipeline/incremental.js";
export { isLedgerPath } from "./pipeline/ledger-path.js";
export { mentionsAsPast } from "./pipeline/past-mention.js";
export { topicPath } from "./pipeline/render-memories.js";
export { renderTranscript } from "./pipeline/render-transcript.js";
export { resolveByRecency } from "./pipeline/resolve-by-recency.js";
export { batchMemories, batchSynthesisFacts, runPipeline } from "./pipeline/run-pipeline.js";
export type { InputSnapshot, ValidDreamRequest } from "./pipeline/snapshot-inputs.js";
export { snapshotInputs } from "./pipeline/snapshot-inputs.js";

// — for provider packages: HTTP failures as typed errors
export type { HttpFailure } from "./providers/provider-errors.js";
export { errorFromHttpFailure, invalidOutputError, retryAfterMs } from "./providers/provider-errors.js";

// — helpers
export { escapeHtml, escapeMarkdown } from "./report/escape.js";
export { abortedError, sleep, withRetry } from "./util/retry.js";
