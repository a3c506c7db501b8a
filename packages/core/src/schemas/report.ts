import { z } from "zod";
import { Timestamp, Usage } from "./common.js";
import { DreamError, DreamStatus } from "./dream.js";
import { Cardinality, Evidence, FactKind, Polarity, SupersededFact, Trust } from "./facts.js";

/** A fact as written into an output memory, with everything it came from. */
export const ReportedFact = z.object({
  key: z.string(),
  statement: z.string(),
  kind: FactKind,
  /** One value or a set member (absent in reports written before it existed). */
  cardinality: Cardinality.optional(),
  /** The value the fact names, when the extractor named one. */
  value: z.string().nullable().optional(),
  /** `negative` for a retraction kept so an older assertion cannot return. */
  polarity: Polarity.optional(),
  trust: Trust,
  observedAt: Timestamp,
  evidence: z.array(Evidence),
  merged: z.array(SupersededFact),
  superseded: z.array(SupersededFact),
});
export type ReportedFact = z.infer<typeof ReportedFact>;

/** An output memory and where each of its lines came from. */
export const ReportedOutput = z.object({
  memoryId: z.string().nullable(),
  path: z.string(),
  contentSha256: z.string(),
  facts: z.array(ReportedFact),
  insights: z.array(z.string()),
});
export type ReportedOutput = z.infer<typeof ReportedOutput>;

/** What became of an input memory, as a whole. */
export const InputFate = z.enum(["kept", "merged", "superseded", "dropped"]);
export type InputFate = z.infer<typeof InputFate>;

/** What became of one fact read from an input memory. */
export const ReportedInputFact = z.object({
  statement: z.string(),
  fate: InputFate,
  /** Output memory path it now lives in (kept or merged). */
  into: z.string().nullable(),
  /** The statement that replaced it (superseded) or absorbed it (merged). */
  replacedBy: z.object({ statement: z.string(), observedAt: Timestamp, evidence: z.array(Evidence) }).nullable(),
  /** Why it was dropped. */
  reason: z.string().nullable(),
});
export type ReportedInputFact = z.infer<typeof ReportedInputFact>;

/** An input memory and what became of it. */
export const ReportedInput = z.object({
  memoryId: z.string(),
  path: z.string(),
  contentSha256: z.string(),
  fate: InputFate,
  facts: z.array(ReportedInputFact),
});
export type ReportedInput = z.infer<typeof ReportedInput>;

/** A candidate fact that did not make it into memory, and why. */
export const DroppedFact = z.object({
  /** The candidate fact's id, when the fact got as far as having one. */
  factId: z.string().optional(),
  statement: z.string(),
  key: z.string(),
  kind: FactKind,
  reason: z.string(),
  evidence: z.array(Evidence),
});
export type DroppedFact = z.infer<typeof DroppedFact>;

/** Sentences a model declined to extract, by reason, with a few (redacted) examples. */
export const DeclinedSentences = z.object({
  reason: z.string(),
  count: z.number().int().nonnegative(),
  examples: z.array(z.string()).max(3),
});
export type DeclinedSentences = z.infer<typeof DeclinedSentences>;

/** A cross-session insight that was written, with the sessions it rests on. */
export const ReportedInsight = z.object({
  key: z.string(),
  statement: z.string(),
  path: z.string(),
  sessionIds: z.array(z.string()),
  evidence: z.array(Evidence),
});
export type ReportedInsight = z.infer<typeof ReportedInsight>;

/** A session the dream read. */
export const ReportedSession = z.object({
  sessionId: z.string(),
  title: z.string().nullable(),
  contentSha256: z.string(),
  events: z.number().int(),
  chunks: z.number().int(),
  facts: z.number().int(),
  /** True when an earlier dream had already folded this exact content in and extraction was skipped. */
  skipped: z.boolean(),
});
export type ReportedSession = z.infer<typeof ReportedSession>;

/**
 * The consolidation report: for every output memory where it came from, for every input memory what became of
 * it. This is what a person reviews before adopting a dream's output.
 */
export const ConsolidationReport = z.object({
  dreamId: z.string(),
  status: DreamStatus,
  inputStoreId: z.string(),
  outputStoreId: z.string().nullable(),
  model: z.string(),
  instructions: z.string(),
  createdAt: Timestamp,
  endedAt: Timestamp.nullable(),
  sessions: z.array(ReportedSession),
  outputs: z.array(ReportedOutput),
  inputs: z.array(ReportedInput),
  dropped: z.array(DroppedFact),
  /** What the model declined to extract, by reason (absent in reports written before it existed). */
  declined: z.array(DeclinedSentences).default([]),
  insights: z.array(ReportedInsight),
  notices: z.array(z.string()),
  stats: z.object({
    chunks: z.number().int(),
    candidateFacts: z.number().int(),
    clusters: z.number().int(),
    judgeCalls: z.number().int(),
    redactions: z.number().int(),
    /** Lines of input memories the model read no fact from, carried over unchanged (absent in older reports). */
    carriedLines: z.number().int().optional(),
    /**
     * Tool results extraction read as a back-reference to an earlier result of their session with the same content
     * (absent in older reports).
     */
    toolResultsDeduplicated: z.number().int().optional(),
    /** Tool results over the dream's `toolResultTokens` budget, read as their head and tail (absent in older reports). */
    toolResultsCut: z.number().int().optional(),
    /** Tool-output tokens extraction did not read because of either (absent in older reports). */
    toolTokensElided: z.number().int().optional(),
  }),
  usage: Usage,
  error: DreamError.nullable(),
});
export type ConsolidationReport = z.infer<typeof ConsolidationReport>;
