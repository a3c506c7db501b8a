import type { ConsolidatedFact, FactKind } from "../schemas/facts.js";
import type { MemoryLineage } from "../schemas/lineage.js";
import { MAX_MEMORY_CONTENT_BYTES } from "../schemas/memory.js";
import { utf8Bytes } from "../util/hash.js";
import { compareText } from "./fact-order.js";
import { isLedgerPath } from "./incremental.js";
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
  const byPath = new Map<string, ConsolidatedFact[]>();
  for (const fact of facts) {
    const path = topicPath(fact.topic);
    const list = byPath.get(path);
    if (list) list.push(fact);
    else byPath.set(path, [fact]);
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
    for (const fact of list) {
      const line = bullet(fact);
      if (current.facts.length > 0 && utf8Bytes(current.content + line) > MAX_MEMORY_CONTENT_BYTES) {
        rendered.push(current);
        part++;
        const nextPath = path.replace(/\.md$/, `-${part}.md`);
        current = start(nextPath, `${titleOf(path)} (${part})`);
      }
      current.content += line;
      current.facts.push(fact);
      current.lineage.facts.push(lineageOf(fact));
    }
    rendered.push(current);
  }
  return rendered;
}
