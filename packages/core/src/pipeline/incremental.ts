import type { CandidateFact } from "../schemas/facts.js";
import type { LedgerEntry } from "../schemas/lineage.js";
import type { ReportedSession } from "../schemas/report.js";
import { isLedgerPath } from "./ledger-path.js";
import type { RenderedMemory } from "./render-memories.js";
import type { InputSnapshot } from "./snapshot-inputs.js";

/**
 * Incremental dreams. Every memory a dream writes carries, in its lineage, the sessions (by content hash) whose facts
 * it holds; the first memory also carries every other session the store has folded in. A later dream whose input
 * store already folded in a session with the same content skips re-extracting it — unless forced — and says so in a
 * notice and in the report (`ReportedSession.skipped`). The ledger lives beside the memories, never in their text,
 * so agents reading the store never load it. Losing it (a memory deleted by hand) only means reading a session
 * again, which is safe: its facts keep their observation times.
 */

const ENTRY_PATTERN = /^- (\S+) sha256=([0-9a-f]{64})(?: dream=(\S+))?$/;

/** The entries of a legacy ledger memory; lines that are not entries are ignored. */
export function parseLedger(content: string): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  for (const line of content.split("\n")) {
    const match = ENTRY_PATTERN.exec(line.trim());
    if (match) {
      entries.push({ session_id: decode(match[1] ?? ""), content_sha256: match[2] ?? "", dream_id: match[3] ?? null });
    }
  }
  return entries;
}

/**
 * Reads the input store's ledger — from its memories' lineage, and from a legacy ledger file — and marks the dream's
 * sessions whose content hash it lists to skip unless `force`. Legacy ledger memories are taken out of the input
 * memories (they are bookkeeping, not facts).
 */
export function applyIncremental(snapshot: InputSnapshot, options: { force?: boolean } = {}): InputSnapshot {
  const legacy = snapshot.memories.filter((memory) => isLedgerPath(memory.path));
  const carried = new Map<string, LedgerEntry>();
  for (const entry of legacy.flatMap((memory) => parseLedger(memory.content))) carried.set(entry.content_sha256, entry);
  for (const memory of snapshot.memories) {
    for (const entry of memory.lineage?.sessions ?? []) carried.set(entry.content_sha256, entry);
  }
  const skip = new Set<string>();
  if (options.force !== true) {
    for (const session of snapshot.sessions) {
      const hash = snapshot.sessionHashes.get(session.id);
      if (hash !== undefined && carried.has(hash)) skip.add(session.id);
    }
  }
  return {
    ...snapshot,
    memories: snapshot.memories.filter((memory) => !isLedgerPath(memory.path)),
    incremental: { skip, carried: [...carried.values()] },
  };
}

/** The notice a dream gives when it skips sessions, or null when it skips none. */
export function skippedNotice(snapshot: InputSnapshot): string | null {
  const skip = snapshot.incremental?.skip;
  if (!skip || skip.size === 0) return null;
  const ids = snapshot.sessions.filter((session) => skip.has(session.id)).map((session) => session.id);
  return `Skipped ${ids.length} of ${snapshot.sessions.length} sessions already consolidated into input store ${snapshot.store.id} (same content hash), their facts are read from its memories: ${ids.join(", ")}. Create the dream with { force: true } to extract them again.`;
}

/**
 * Whether two facts were already settled as different by the dream that wrote them: both were read back from the
 * input store's lineage (that dream saw them together and kept them apart), so the model is not asked again.
 */
export function settledTogether(a: CandidateFact, b: CandidateFact, fromLineage: ReadonlySet<string>): boolean {
  return fromLineage.has(a.id) && fromLineage.has(b.id);
}

/**
 * Puts the ledger into the lineage of a dream's output memories: each memory lists the sessions its facts cite; the
 * first memory also lists every other session (carried from the input store, or read without yielding a fact).
 */
export function attachLedger(
  memories: RenderedMemory[],
  snapshot: InputSnapshot,
  sessions: readonly ReportedSession[],
  dreamId: string,
): void {
  const byHash = new Map<string, LedgerEntry>();
  for (const entry of snapshot.incremental?.carried ?? []) byHash.set(entry.content_sha256, entry);
  for (const session of sessions) {
    if (session.skipped || session.contentSha256 === "") continue;
    byHash.set(session.contentSha256, {
      session_id: session.sessionId,
      content_sha256: session.contentSha256,
      dream_id: dreamId,
    });
  }
  const bySession = new Map([...byHash.values()].map((entry) => [entry.session_id, entry]));
  const placed = new Set<string>();
  for (const memory of memories) {
    const cited = new Set(memory.lineage.facts.flatMap((fact) => fact.sources.map((source) => source.session_id)));
    for (const id of [...cited].sort()) {
      const entry = bySession.get(id);
      if (entry) {
        memory.lineage.sessions.push(entry);
        placed.add(entry.content_sha256);
      }
    }
  }
  const first = memories[0];
  if (first === undefined) return;
  for (const entry of byHash.values()) if (!placed.has(entry.content_sha256)) first.lineage.sessions.push(entry);
}

function decode(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}
