import type { MemorySnippet } from "../ports/consolidation-model.js";
import type { CandidateFact, ConsolidatedFact, Evidence } from "../schemas/facts.js";
import { type LineageFact, type LineageSource, MAX_LINEAGE_SOURCES } from "../schemas/lineage.js";
import type { Memory } from "../schemas/memory.js";
import { sha256 } from "../util/hash.js";
import { finish, type Steps } from "../util/pacer.js";
import { normalizeKey, normalizeText } from "../util/text.js";

/**
 * Lineage: what a dream knew about each line it wrote — key, kind, cardinality, value, polarity, trust, when it was
 * first observed and which events it rests on — kept beside the memory (never in its text). A later dream reads a
 * line that still matches its lineage back as that fact, without asking a model, so facts keep their observation
 * time across any number of dreams and dreaming an older session after a newer one never lets the older value win.
 * Lines with no matching lineage (written or edited by hand) are extracted as usual, dated by the memory's
 * `updated_at`.
 */

/** What a dream reads from its input memories before extraction. */
export interface LineageRead {
  /** Facts of lines that match their lineage: ready candidates, no model call needed. */
  facts: CandidateFact[];
  /** Memories with at least one line that has no lineage: these go to the model. */
  toExtract: MemorySnippet[];
  /** Whether an extracted quote lies inside a line already read from lineage (it must not be read twice). */
  covered(memoryId: string, quote: string): boolean;
}

const LIST_MARKER = /^\s*(?:[-*+]|\d{1,3}[.)])\s+/;
const HEADING = /^\s{0,3}#{1,6}\s/;

/** A memory line as lineage records it: list marker removed, whitespace collapsed. */
export function lineageLine(text: string): string {
  return text.replace(LIST_MARKER, "").replace(/\s+/g, " ").trim();
}

function sourcesOf(evidence: readonly Evidence[]): LineageSource[] {
  const seen = new Set<string>();
  const sources: LineageSource[] = [];
  for (const item of evidence) {
    if (item.type !== "event") continue;
    const id = `${item.sessionId}\u0000${item.eventId}`;
    if (seen.has(id)) continue;
    seen.add(id);
    sources.push({ session_id: item.sessionId, event_id: item.eventId });
  }
  return sources.slice(-MAX_LINEAGE_SOURCES);
}

/** The lineage of a fact as it is written into a memory. */
export function lineageOf(fact: ConsolidatedFact): LineageFact {
  return {
    line: lineageLine(fact.statement),
    key: fact.key,
    topic: fact.topic,
    kind: fact.kind,
    cardinality: fact.cardinality,
    polarity: fact.polarity,
    value: fact.value,
    trust: fact.trust,
    observed_at: fact.observedAt,
    sources: sourcesOf(fact.evidence),
  };
}

function factFromLineage(memory: Memory, line: LineageFact, ordinal: number): CandidateFact {
  return {
    id: `fact_${sha256(`lineage\u0000${memory.id}\u0000${ordinal}\u0000${line.line}`).slice(0, 20)}`,
    key: normalizeKey(line.key),
    topic: line.topic,
    statement: line.line,
    kind: line.kind,
    cardinality: line.cardinality,
    polarity: line.polarity,
    value: line.value,
    observedAt: line.observed_at,
    trust: line.trust,
    evidence: [
      { type: "memory", memoryId: memory.id, path: memory.path, quote: line.line },
      ...line.sources.map((source) => ({
        type: "event" as const,
        sessionId: source.session_id,
        eventId: source.event_id,
      })),
    ],
  };
}

/**
 * Splits input memories into facts read back from lineage and memories that still need a model. `clean` gives each
 * memory's content as the model may see it (secrets redacted).
 */
export function readLineage(memories: readonly Memory[], clean: (memory: Memory) => string): LineageRead {
  return finish(readLineageSteps(memories, clean));
}

/** {@link readLineage} as steps (one per memory), for a pacer to run. */
export function* readLineageSteps(memories: readonly Memory[], clean: (memory: Memory) => string): Steps<LineageRead> {
  const facts: CandidateFact[] = [];
  const toExtract: MemorySnippet[] = [];
  const coveredLines = new Map<string, string[]>();
  for (const memory of memories) {
    const byLine = new Map<string, LineageFact[]>();
    for (const line of memory.lineage?.facts ?? []) {
      const list = byLine.get(line.line);
      if (list) list.push(line);
      else byLine.set(line.line, [line]);
    }
    let uncovered = false;
    const covered: string[] = [];
    let ordinal = 0;
    for (const raw of memory.content.split("\n")) {
      if (raw.trim() === "" || HEADING.test(raw)) continue;
      const text = lineageLine(raw);
      const lines = byLine.get(text);
      if (lines === undefined || lines.length === 0) {
        uncovered = true;
        continue;
      }
      const line = lines.shift() as LineageFact;
      facts.push(factFromLineage(memory, line, ordinal++));
      covered.push(normalizeText(text));
    }
    if (covered.length > 0) coveredLines.set(memory.id, covered);
    if (uncovered) {
      toExtract.push({ id: memory.id, path: memory.path, content: clean(memory), updatedAt: memory.updated_at });
    }
    yield;
  }
  return {
    facts,
    toExtract,
    covered(memoryId, quote) {
      const normalized = normalizeText(quote);
      return normalized !== "" && (coveredLines.get(memoryId) ?? []).some((line) => line.includes(normalized));
    },
  };
}
