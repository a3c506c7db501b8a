import type { CandidateFact, JudgePair, JudgeVerdict } from "../schemas/facts.js";
import { MAX_MEMORY_CONTENT_BYTES } from "../schemas/memory.js";
import type { ReportedSession } from "../schemas/report.js";
import { utf8Bytes } from "../util/hash.js";
import type { RenderedMemory } from "./render-memories.js";
import type { InputSnapshot } from "./snapshot-inputs.js";

/**
 * Incremental dreams. Every dream writes, beside the consolidated memories, a ledger memory listing the sessions
 * (by content hash) its output has folded in, carrying forward the ledger of its input store. A later dream whose
 * input store already folded in a session with the same content skips re-extracting it — unless forced — and says
 * so in a notice and in the report (`ReportedSession.skipped`). The ledger is a plain memory so it travels with the
 * store through every adapter, export and adoption.
 */

/** Where the ledger lives in a store; a long ledger continues in `-2`, `-3` … files. */
export const LEDGER_PATH = "/nocturne/consolidated-sessions.md";

const LEDGER_PATTERN = /^\/nocturne\/consolidated-sessions(?:-\d+)?\.md$/;
const ENTRY_PATTERN = /^- (\S+) sha256=([0-9a-f]{64})(?: dream=(\S+))?$/;
const HEADER = `# Consolidated sessions

Nocturne lists here the sessions already folded into this memory store, by content hash, so a later dream can skip
them. Removing a line makes the next dream read that session again.

`;

/** One session a store has folded in. */
export interface LedgerEntry {
  sessionId: string;
  contentSha256: string;
  /** The dream that read it. */
  dreamId: string | null;
}

/** What a dream takes over from its input store's ledger. */
export interface IncrementalPlan {
  /** Sessions of this dream whose content the input store already folded in: not extracted again. */
  skip: ReadonlySet<string>;
  /** Entries of the input store's ledger, carried into the output's. */
  carried: LedgerEntry[];
}

/** True for the path of a ledger memory (never read as facts). */
export function isLedgerPath(path: string): boolean {
  return LEDGER_PATTERN.test(path);
}

/** The entries of a ledger memory; lines that are not entries are ignored. */
export function parseLedger(content: string): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  for (const line of content.split("\n")) {
    const match = ENTRY_PATTERN.exec(line.trim());
    if (match)
      entries.push({ sessionId: decode(match[1] ?? ""), contentSha256: match[2] ?? "", dreamId: match[3] ?? null });
  }
  return entries;
}

/**
 * Takes the ledger out of a dream's snapshot: its memories are removed from the input memories (they are
 * bookkeeping, not facts), and sessions whose content hash the ledger lists are marked to skip unless `force`.
 */
export function applyIncremental(snapshot: InputSnapshot, options: { force?: boolean } = {}): InputSnapshot {
  const ledger = snapshot.memories.filter((memory) => isLedgerPath(memory.path));
  const carried = ledger.flatMap((memory) => parseLedger(memory.content));
  const known = new Set(carried.map((entry) => entry.contentSha256));
  const skip = new Set<string>();
  if (options.force !== true) {
    for (const session of snapshot.sessions) {
      const hash = snapshot.sessionHashes.get(session.id);
      if (hash !== undefined && known.has(hash)) skip.add(session.id);
    }
  }
  return {
    ...snapshot,
    memories: snapshot.memories.filter((memory) => !isLedgerPath(memory.path)),
    incremental: { skip, carried },
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
 * Wraps deduplication's judge for a dream over a store an earlier dream wrote (it has a ledger): a pair whose two
 * key groups hold only facts read from that store's memories was already settled as different subjects by the
 * dream that wrote them (it would have merged them otherwise), so it is answered "different" without a model call.
 * Pairs involving a fact from a transcript are asked as usual. Without a ledger the judge is returned unchanged.
 */
export function skipSettledPairs(
  snapshot: InputSnapshot,
  facts: readonly CandidateFact[],
  judge: (pairs: JudgePair[]) => Promise<JudgeVerdict[]>,
): (pairs: JudgePair[]) => Promise<JudgeVerdict[]> {
  if ((snapshot.incremental?.carried.length ?? 0) === 0) return judge;
  const fromTranscripts = new Set(
    facts.filter((fact) => fact.evidence.some((item) => item.type === "event")).map((fact) => fact.key),
  );
  const settled = (pair: JudgePair) => !fromTranscripts.has(pair.left.key) && !fromTranscripts.has(pair.right.key);
  return async (pairs) => {
    const ask = pairs.filter((pair) => !settled(pair));
    const verdicts = ask.length > 0 ? await judge(ask) : [];
    return [...verdicts, ...pairs.filter(settled).map((pair) => ({ id: pair.id, same: false }))];
  };
}

/**
 * The ledger memories of a dream's output: the input store's entries carried forward plus every session this dream
 * extracted, one line per content hash, split into files that fit a memory.
 */
export function renderLedger(
  snapshot: InputSnapshot,
  sessions: readonly ReportedSession[],
  dreamId: string,
): RenderedMemory[] {
  const byHash = new Map<string, LedgerEntry>();
  for (const entry of snapshot.incremental?.carried ?? []) byHash.set(entry.contentSha256, entry);
  for (const session of sessions) {
    if (session.skipped || session.contentSha256 === "") continue;
    byHash.set(session.contentSha256, { sessionId: session.sessionId, contentSha256: session.contentSha256, dreamId });
  }
  if (byHash.size === 0) return [];
  const files: RenderedMemory[] = [];
  let content = HEADER;
  for (const entry of byHash.values()) {
    const line = `- ${encodeURIComponent(entry.sessionId)} sha256=${entry.contentSha256}${entry.dreamId ? ` dream=${entry.dreamId}` : ""}\n`;
    if (content !== HEADER && utf8Bytes(content + line) > MAX_MEMORY_CONTENT_BYTES) {
      files.push({ path: ledgerPath(files.length), content, facts: [] });
      content = HEADER;
    }
    content += line;
  }
  files.push({ path: ledgerPath(files.length), content, facts: [] });
  return files;
}

function decode(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

function ledgerPath(index: number): string {
  return index === 0 ? LEDGER_PATH : LEDGER_PATH.replace(/\.md$/, `-${index + 1}.md`);
}
