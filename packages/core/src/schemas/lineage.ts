import { z } from "zod";
import { Timestamp } from "./common.js";
import { Cardinality, FactKind, Polarity, Trust } from "./facts.js";

/** The most transcript events one lineage fact lists as its sources. */
export const MAX_LINEAGE_SOURCES = 16;

/** A transcript event a fact rests on. */
export const LineageSource = z.object({ session_id: z.string().min(1), event_id: z.string().min(1) });
export type LineageSource = z.infer<typeof LineageSource>;

/**
 * One line of a memory as the dream that wrote it understood it: the subject key, kind, cardinality, value and
 * polarity, and when and where it was first observed. A later dream reads a line back with this lineage instead of
 * re-extracting it, so an old fact keeps its old observation time however often it is rewritten.
 */
export const LineageFact = z.object({
  /** The line's text exactly as written in the memory, without the list marker. */
  line: z.string().min(1),
  key: z.string().min(1),
  /** The topic the fact was filed under (which memory file it renders into). */
  topic: z.string().min(1),
  kind: FactKind,
  cardinality: Cardinality,
  polarity: Polarity,
  value: z.string().nullable(),
  trust: Trust,
  observed_at: Timestamp,
  sources: z.array(LineageSource).max(MAX_LINEAGE_SOURCES),
});
export type LineageFact = z.infer<typeof LineageFact>;

/** A session a store has folded in, by content hash: a later dream over the store skips it unless forced. */
export const LedgerEntry = z.object({
  session_id: z.string().min(1),
  content_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  dream_id: z.string().nullable(),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

/**
 * Bookkeeping a dream keeps beside a memory it writes, never inside its text: the lineage of each line and the
 * sessions folded in. Agents that read the memory never see it; every adapter stores and returns it unchanged.
 * A line edited by hand no longer matches its lineage and is read afresh.
 */
export const MemoryLineage = z.object({
  dream_id: z.string().nullable(),
  facts: z.array(LineageFact),
  sessions: z.array(LedgerEntry),
});
export type MemoryLineage = z.infer<typeof MemoryLineage>;
