import type { Usage } from "../schemas/common.js";
import type { Chunk, ExtractedFact, FactKind, JudgePair, JudgeVerdict, ProposedInsight } from "../schemas/facts.js";

/** Passed to every consolidation call. */
export interface ModelCallContext {
  signal: AbortSignal;
  /** The dream's steering instructions (may be empty). */
  instructions: string;
  /** Report the tokens a call used; the engine sums them into the dream's usage. */
  reportUsage(usage: Partial<Usage>): void;
  /**
   * Report a sentence that looked like a statement but was not extracted, with a short stable reason
   * (`question`, `hypothetical`, `pleasantry`, …). The report counts them by reason, so users see what was declined.
   */
  decline?(entry: { reason: string; text: string }): void;
}

/** An existing memory as the extractor reads it. */
export interface MemorySnippet {
  id: string;
  path: string;
  content: string;
  updatedAt: string;
}

/**
 * What to extract facts from: a transcript chunk (evidence cites its event ids) or a batch of existing memories
 * (evidence cites memory ids as `event_id`).
 */
export type ExtractionSource = { type: "transcript"; chunk: Chunk } | { type: "memories"; memories: MemorySnippet[] };

/** A consolidated fact as the synthesizer sees it. */
export interface SynthesisFact {
  key: string;
  topic: string;
  statement: string;
  kind: FactKind;
  evidence: Array<{ session_id: string; event_id: string }>;
}

/** The three judgements the pipeline asks of a model. Implemented over any LanguageModel, and offline by rules. */
export interface ConsolidationModel {
  /** Recorded as the dream's `model.id`. */
  readonly id: string;
  /** True when no network is involved. */
  readonly offline: boolean;
  /** Candidate facts in a transcript chunk or a batch of memories, each citing its evidence. */
  extract(source: ExtractionSource, context: ModelCallContext): Promise<ExtractedFact[]>;
  /** For each ambiguous pair, whether both sides are about one subject. */
  judge(pairs: JudgePair[], context: ModelCallContext): Promise<JudgeVerdict[]>;
  /** Insights that only show across sessions; each must cite events of at least two sessions. */
  synthesize(facts: SynthesisFact[], context: ModelCallContext): Promise<ProposedInsight[]>;
}
