import { z } from "zod";
import { Timestamp } from "./common.js";

/** What a fact is: a lasting preference, a fact, a procedure, a cross-session insight, or transient noise. */
export const FactKind = z.enum(["preference", "fact", "procedure", "insight", "transient"]);
export type FactKind = z.infer<typeof FactKind>;

/**
 * Who a fact rests on. `user` and `memory` outrank `agent`, which outranks `tool`: text that only came back from a
 * tool never overrides what the user said.
 */
export const Trust = z.enum(["user", "memory", "agent", "tool"]);
export type Trust = z.infer<typeof Trust>;

/** Where a fact came from: an event of a session, or an existing memory. `quote` is the span it rests on. */
export const Evidence = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("event"),
    sessionId: z.string().min(1),
    eventId: z.string().min(1),
    quote: z.string().optional(),
  }),
  z.object({
    type: z.literal("memory"),
    memoryId: z.string().min(1),
    path: z.string().min(1),
    quote: z.string().optional(),
  }),
]);
export type Evidence = z.infer<typeof Evidence>;

/** Who spoke a transcript line. */
export const LineRole = z.enum(["user", "agent", "tool", "system"]);
export type LineRole = z.infer<typeof LineRole>;

/** One line of a transcript as the pipeline reads it: text from one event (or part of an oversized one). */
export const TranscriptLine = z.object({
  sessionId: z.string(),
  eventId: z.string(),
  role: LineRole,
  text: z.string(),
  at: Timestamp,
  /** For an event split across chunks: which part this is (0-based). */
  part: z.number().int().nonnegative().optional(),
  /**
   * For a tool result whose content repeats an earlier one of the session: the event id of that earlier result,
   * which holds the content; `text` is then a one-line back-reference (see `bound-tool-output.ts`).
   */
  sameAs: z.string().optional(),
});
export type TranscriptLine = z.infer<typeof TranscriptLine>;

/**
 * A slice of one transcript that fits the token budget, or several small transcripts packed whole into one; the unit
 * of extraction. Each line names its own session.
 */
export const Chunk = z.object({
  /** `<session id>#<index>`, or `<first session id>#0+<more sessions>` when packed: stable per dream. */
  key: z.string(),
  /** The session of the chunk's first line. */
  sessionId: z.string(),
  index: z.number().int().nonnegative(),
  lines: z.array(TranscriptLine),
  tokens: z.number().int().nonnegative(),
});
export type Chunk = z.infer<typeof Chunk>;

/**
 * How many values an attribute holds at once. `single`: one current value that a newer one replaces (home city,
 * current employer, test runner). `multi`: a set whose members accumulate (hobbies, languages, pets, team members);
 * a new member never replaces the others, only an explicit retraction removes one. Unknown is `multi`: Nocturne
 * never silently replaces a value it was not told is exclusive.
 */
export const Cardinality = z.enum(["single", "multi"]);
export type Cardinality = z.infer<typeof Cardinality>;

/** Whether a statement asserts its value (`positive`) or retracts it (`negative`: "no longer plays chess"). */
export const Polarity = z.enum(["positive", "negative"]);
export type Polarity = z.infer<typeof Polarity>;

/** Evidence as a model cites it: an event id from the chunk and the span of its text the fact rests on. */
export const CitedEvidence = z.object({ event_id: z.string().min(1), quote: z.string().min(1).max(500) });
export type CitedEvidence = z.infer<typeof CitedEvidence>;

/** A fact as a model extracts it from a chunk, before the pipeline checks its evidence. */
export const ExtractedFact = z.object({
  /** A short normalized subject, e.g. `editor.indentation` or `home.city`: the same subject gets the same key. */
  key: z.string().min(1).max(200),
  /** Which memory file it belongs in, e.g. `preferences` or `projects/atlas`. */
  topic: z.string().min(1).max(200),
  statement: z.string().min(1).max(2000),
  kind: FactKind,
  /** One value or a set member; omitted means `multi` (never replace silently). */
  cardinality: Cardinality.optional(),
  /** The value the statement gives its subject, as short as the text allows: `Lisbon`, `Postgres 16`, `chess`. */
  value: z.string().min(1).max(200).optional(),
  /** `negative` for a retraction ("no longer uses Jest"); omitted means `positive`. */
  polarity: Polarity.optional(),
  evidence: z.array(CitedEvidence).min(1),
});
export type ExtractedFact = z.infer<typeof ExtractedFact>;

/** A candidate fact with checked evidence, the time it was observed and the trust it carries. */
export const CandidateFact = z.object({
  id: z.string(),
  key: z.string(),
  topic: z.string(),
  statement: z.string(),
  kind: FactKind,
  cardinality: Cardinality,
  polarity: Polarity,
  /** The statement's value when the extractor named it. */
  value: z.string().nullable(),
  /** When the fact was first observed: its source event's time, or for a memory line the time its lineage records. */
  observedAt: Timestamp,
  trust: Trust,
  evidence: z.array(Evidence).min(1),
  /**
   * Set on a fact the engine made rather than the model: a `clause` split off a compound statement, or a `carried`
   * input memory line no extracted fact rests on. Its key, topic and cardinality are guesses: it takes those of the
   * subject it joins.
   */
  derived: z.enum(["clause", "carried"]).optional(),
});
export type CandidateFact = z.infer<typeof CandidateFact>;

/** A fact replaced by a later observation of the same subject: kept in the report, never in memory. */
export const SupersededFact = z.object({
  factId: z.string(),
  statement: z.string(),
  observedAt: Timestamp,
  evidence: z.array(Evidence),
});
export type SupersededFact = z.infer<typeof SupersededFact>;

/** One subject after deduplication and recency resolution: the value that wins, and what it merged or replaced. */
export const ConsolidatedFact = z.object({
  key: z.string(),
  topic: z.string(),
  statement: z.string(),
  kind: FactKind,
  cardinality: Cardinality,
  polarity: Polarity,
  value: z.string().nullable(),
  observedAt: Timestamp,
  trust: Trust,
  evidence: z.array(Evidence).min(1),
  /** Ids of every candidate fact folded into this one (the winner included). */
  sourceFactIds: z.array(z.string()),
  /** Other wordings of the same value that were merged into this one. */
  merged: z.array(SupersededFact),
  /** Older values this one replaced. */
  superseded: z.array(SupersededFact),
});
export type ConsolidatedFact = z.infer<typeof ConsolidatedFact>;

/** A pair of fact groups the deterministic pass could not decide; the model says whether they are one subject. */
export const JudgePair = z.object({
  id: z.string(),
  left: z.object({ key: z.string(), statements: z.array(z.string()) }),
  right: z.object({ key: z.string(), statements: z.array(z.string()) }),
});
export type JudgePair = z.infer<typeof JudgePair>;

/** The model's verdict on one {@link JudgePair}. */
export const JudgeVerdict = z.object({ id: z.string(), same: z.boolean() });
export type JudgeVerdict = z.infer<typeof JudgeVerdict>;

/** A cross-session insight as a model proposes it; the pipeline keeps it only if it cites two or more sessions. */
export const ProposedInsight = z.object({
  key: z.string().min(1).max(200),
  topic: z.string().min(1).max(200),
  statement: z.string().min(1).max(2000),
  evidence: z.array(z.object({ session_id: z.string(), event_id: z.string() })).min(2),
});
export type ProposedInsight = z.infer<typeof ProposedInsight>;
