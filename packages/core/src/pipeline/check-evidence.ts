import type { MemorySnippet } from "../ports/consolidation-model.js";
import type { CandidateFact, Chunk, Evidence, ExtractedFact, LineRole, Trust } from "../schemas/facts.js";
import type { DroppedFact } from "../schemas/report.js";
import { sha256 } from "../util/hash.js";
import { normalizeKey, normalizeText } from "../util/text.js";
import { timeOf } from "../util/time.js";

/** What one citable source (an event, or a memory) says, as the evidence check needs it. */
interface Citable {
  evidence: (quote: string) => Evidence;
  trust: Trust;
  at: string;
  /** Normalized text of every part of the source in this batch. */
  texts: string[];
}

/** The sources a batch of extracted facts may cite, by the id the model uses for them. */
export type EvidenceIndex = Map<string, Citable>;

const ROLE_TRUST: Record<LineRole, Trust> = { user: "user", agent: "agent", system: "agent", tool: "tool" };
const TRUST_RANK: Record<Trust, number> = { user: 3, memory: 3, agent: 2, tool: 1 };

/** How much a fact's trust weighs when values compete: user and memory above agent, agent above tool. */
export function trustRank(trust: Trust): number {
  return TRUST_RANK[trust];
}

/** The events of a chunk, citable by event id. */
export function indexChunk(chunk: Chunk): EvidenceIndex {
  const index: EvidenceIndex = new Map();
  for (const line of chunk.lines) {
    const existing = index.get(line.eventId);
    if (existing) {
      existing.texts.push(normalizeText(line.text));
      continue;
    }
    index.set(line.eventId, {
      evidence: (quote) => ({ type: "event", sessionId: line.sessionId, eventId: line.eventId, quote }),
      trust: ROLE_TRUST[line.role],
      at: line.at,
      texts: [normalizeText(line.text)],
    });
  }
  return index;
}

/** A batch of memories, citable by memory id. */
export function indexMemories(memories: MemorySnippet[]): EvidenceIndex {
  return new Map(
    memories.map((memory) => [
      memory.id,
      {
        evidence: (quote: string) => ({ type: "memory" as const, memoryId: memory.id, path: memory.path, quote }),
        trust: "memory" as const,
        at: memory.updatedAt,
        texts: [normalizeText(memory.content)],
      },
    ]),
  );
}

/**
 * The one source of the batch whose text holds `quote`, when exactly one does (the quote is still checked to be in
 * it). Null when none or several.
 */
function soleSourceOf(index: EvidenceIndex, quote: string): Citable | null {
  let found: Citable | null = null;
  for (const source of index.values()) {
    if (!source.texts.some((text) => text.includes(quote))) continue;
    if (found !== null) return null;
    found = source;
  }
  return found;
}

/**
 * Turns a model's extracted fact into a candidate, keeping only evidence that exists: the cited id must be in the
 * batch the model was shown, and the quoted span must occur in that source's text. A fact left with no evidence is
 * rejected. With `repairs` (memory batches only: every source there is the store's own text, of one trust), a
 * citation whose id is wrong but whose quote occurs in exactly one memory of the batch cites that memory. In a
 * transcript a wrong citation stays fatal: it is how a fabricated or injected fact gives itself away.
 * The fact is observed at its latest cited source and carries the highest trust among them.
 */
export function checkEvidence(
  fact: ExtractedFact,
  index: EvidenceIndex,
  sourceKey: string,
  ordinal: number,
  repairs = false,
): { candidate: CandidateFact } | { rejected: DroppedFact } {
  const evidence: Evidence[] = [];
  let observedAt = "";
  let trust: Trust = "tool";
  for (const cited of fact.evidence) {
    const quote = normalizeText(cited.quote);
    if (quote === "") continue;
    const named = index.get(cited.event_id);
    const quoted = named?.texts.some((text) => text.includes(quote)) === true;
    const source = quoted ? named : repairs ? soleSourceOf(index, quote) : undefined;
    if (!source) continue;
    evidence.push(source.evidence(cited.quote));
    if (observedAt === "" || timeOf(source.at) > timeOf(observedAt)) observedAt = source.at;
    if (TRUST_RANK[source.trust] > TRUST_RANK[trust]) trust = source.trust;
  }
  const key = normalizeKey(fact.key) || normalizeKey(fact.statement);
  if (evidence.length === 0) {
    return {
      rejected: {
        statement: fact.statement,
        key,
        kind: fact.kind,
        reason: "no valid evidence: the cited events do not exist or do not contain the quoted text",
        evidence: [],
      },
    };
  }
  const id = `fact_${sha256(`${sourceKey}\u0000${ordinal}\u0000${key}\u0000${fact.statement}`).slice(0, 20)}`;
  return {
    candidate: {
      id,
      key,
      topic: fact.topic,
      statement: fact.statement.trim(),
      kind: fact.kind,
      cardinality: fact.cardinality ?? "multi",
      polarity: fact.polarity ?? "positive",
      value: fact.value?.trim() || null,
      observedAt,
      trust,
      evidence,
    },
  };
}
