import type { ConsolidatedFact, FactKind } from "../schemas/facts.js";
import type { MemoryLineage } from "../schemas/lineage.js";
import { MAX_MEMORY_CONTENT_BYTES } from "../schemas/memory.js";
import { utf8Bytes } from "../util/hash.js";
import { finish, type Steps } from "../util/pacer.js";
import { compareText } from "./fact-order.js";
import { isLedgerPath } from "./ledger-path.js";
import { lineageOf } from "./lineage.js";

/** A memory file the dream will write, with the facts it holds and the lineage kept beside it. */
export interface RenderedMemory {
  path: string;
  content: string;
  facts: ConsolidatedFact[];
  lineage: MemoryLineage;
}

const KIND_ORDER: Record<FactKind, number> = { preference: 0, fact: 1, procedure: 2, insight: 3, transient: 4 };

/**
 * A memory path for a topic: `projects/Atlas API` → `/projects/atlas-api.md`. A topic can never name the engine's
 * own bookkeeping paths.
 */
export function topicPath(topic: string): string {
  const segments = topic
    .normalize("NFC")
    .replace(/\.md$/i, "")
    .split("/")
    .map((segment) =>
      segment
        .toLowerCase()
        .replace(/[^\p{L}\p{N}_-]+/gu, "-")
        .replace(/^-+|-+$/g, ""),
    )
    .filter((segment) => segment !== "" && segment !== "." && segment !== "..");
  const path = `/${segments.length > 0 ? segments.join("/") : "general"}.md`;
  return isLedgerPath(path) ? "/general.md" : path;
}

function titleOf(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1).replace(/\.md$/, "");
  const words = name.replace(/[-_]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function bullet(fact: ConsolidatedFact): string {
  return `- ${fact.statement.replace(/\s+/g, " ").trim()}\n`;
}

/**
 * Groups consolidated facts into readable markdown memory files, one per topic, facts ordered by kind, key and text so
 * the same facts always render the same bytes. A topic too large for one memory continues in `-2`, `-3` … files.
 */
export function renderMemories(facts: ConsolidatedFact[], dreamId: string | null = null): RenderedMemory[] {
  return finish(renderMemoriesSteps(facts, dreamId));
}

/** {@link renderMemories} as steps (one per fact), for a pacer to run. */
export function* renderMemoriesSteps(
  facts: ConsolidatedFact[],
  dreamId: string | null = null,
): Steps<RenderedMemory[]> {
  const byPath = new Map<string, ConsolidatedFact[]>();
  for (const fact of facts) {
    const path = topicPath(fact.topic);
    const list = byPath.get(path);
    if (list) list.push(fact);
    else byPath.set(path, [fact]);
    yield;
  }
  const rendered: RenderedMemory[] = [];
  for (const [path, list] of [...byPath.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    list.sort(
      (a, b) =>
        KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compareText(a.key, b.key) || compareText(a.statement, b.statement),
    );
    let part = 1;
    const start = (memoryPath: string, title: string): RenderedMemory => ({
      path: memoryPath,
      content: `# ${title}\n\n`,
      facts: [],
      lineage: { dream_id: dreamId, facts: [], sessions: [] },
    });
    let current = start(path, titleOf(path));
    let bytes = utf8Bytes(current.content);
    for (const fact of list) {
      const line = bullet(fact);
      const lineBytes = utf8Bytes(line);
      if (current.facts.length > 0 && bytes + lineBytes > MAX_MEMORY_CONTENT_BYTES) {
        rendered.push(current);
        part++;
        const nextPath = path.replace(/\.md$/, `-${part}.md`);
        current = start(nextPath, `${titleOf(path)} (${part})`);
        bytes = utf8Bytes(current.content);
      }
      current.content += line;
      bytes += lineBytes;
      current.facts.push(fact);
      current.lineage.facts.push(lineageOf(fact));
      yield;
    }
    rendered.push(current);
  }
  return rendered;
}
