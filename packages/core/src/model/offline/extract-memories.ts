import type { MemorySnippet } from "../../ports/consolidation-model.js";
import type { ExtractedFact, FactKind } from "../../schemas/facts.js";
import { looksLikeCredential } from "./credentials.js";
import { boundedKey, MAX_QUOTE, splitLong } from "./fact-limits.js";
import { findValues } from "./lexicon.js";
import { cleanMarkup, type MemoryItem, memoryItems } from "./memory-markdown.js";
import { statementKind } from "./statement-kind.js";
import { type SubjectKey, subjectKey } from "./subject-key.js";
import { clip, tokenize } from "./text-tokens.js";
import { memoryTopic } from "./topics.js";
import { hasIsoDate, isTransient } from "./transient.js";

/**
 * Notes often leave out their subject: "Lives in Berlin", "Prefers tabs". Such an item (starting with a capitalised
 * verb and no subject) is keyed as if it said "User lives in Berlin" — but only when that reading lands on a subject
 * the lexicon knows, so a guess never changes how anything else is keyed.
 */
function userSubjectOf(text: string): SubjectKey | null {
  const first = /^(\p{Lu}\p{Ll}+s)\b/u.exec(text)?.[1];
  if (first === undefined) return null;
  const plain = subjectKey(text);
  if (plain.category !== undefined) return null;
  const asUser = subjectKey(`User ${first.toLowerCase()}${text.slice(first.length)}`);
  return asUser.category !== undefined ? asUser : null;
}

/**
 * A short item under a heading that names its subject ("pnpm" under "## Package manager", "Sam" under "## Name") is
 * read as "Heading: item", when the heading names the item's own category or a category without listed values.
 */
function withHeading(item: MemoryItem): { statement: string; subject: SubjectKey } {
  const subject = userSubjectOf(item.text) ?? subjectKey(item.text);
  const tokens = tokenize(item.text);
  if (item.heading === null || tokens.length > 3) return { statement: item.text, subject };
  const labelled = `${item.heading}: ${item.text}`;
  const labelledSubject = subjectKey(labelled);
  const category = labelledSubject.category;
  const bareValue = findValues(tokens).reduce((covered, hit) => covered + hit.length, 0) === tokens.length;
  const fits =
    category !== undefined &&
    ((category === subject.category && bareValue) || (subject.category === undefined && category.values.length === 0));
  return fits ? { statement: labelled, subject: labelledSubject } : { statement: item.text, subject };
}

/**
 * Facts from existing memories: one per bullet, table row, sentence group or code block, topic from the memory's
 * path, key by the same rules as transcript facts, dated debugging notes `transient`, and as evidence the memory id
 * with the item's own line as the quote. A memory with text but no item (a lone heading) becomes one fact, so no
 * memory vanishes silently. Items that look like credentials are left out.
 */
export function extractFromMemories(memories: readonly MemorySnippet[]): ExtractedFact[] {
  const facts: ExtractedFact[] = [];
  for (const memory of memories) {
    const topic = memoryTopic(memory.path);
    const pathDated = hasIsoDate(memory.path);
    const insights = topic === "insights" || topic.startsWith("insights/");
    let items = memoryItems(memory.content);
    if (items.length === 0 && memory.content.trim() !== "") {
      const text = cleanMarkup(memory.content.replace(/^\s{0,3}#{1,6}\s+/gm, ""));
      items = [{ text, quote: memory.content.trim(), heading: null, dated: false, log: false }];
    }
    for (const item of items) {
      const { statement: full, subject } = withHeading(item);
      const quote = clip(item.quote, MAX_QUOTE).trim();
      if (quote === "") continue;
      for (const statement of splitLong(full)) {
        if (statement.trim() === "" || looksLikeCredential(statement)) continue;
        const transient = item.log || isTransient(statement, { dated: pathDated || item.dated });
        const kind: FactKind = transient ? "transient" : insights ? "insight" : statementKind(statement, subject);
        const pieceSubject = statement === full ? subject : subjectKey(statement);
        const single = pieceSubject.category !== undefined && !transient && !insights;
        facts.push({
          key: boundedKey(transient ? `transient.${pieceSubject.key}` : pieceSubject.key),
          topic,
          statement: statement.trim(),
          kind,
          ...(single ? { cardinality: "single" as const } : {}),
          evidence: [{ event_id: memory.id, quote }],
        });
      }
    }
  }
  return facts;
}
