import type { MemorySnippet } from "../../ports/consolidation-model.js";
import type { ExtractedFact, FactKind } from "../../schemas/facts.js";
import { hasIsoDate, isTransient } from "../../util/one-off-text.js";
import type { Pacer } from "../../util/pacer.js";
import { isSingleValued } from "./attribute-lexicon.js";
import { BoundedMemo } from "./bounded-memo.js";
import { looksLikeCredential } from "./credentials.js";
import { splitClauses } from "./extract-transcript.js";
import { boundedKey, MAX_QUOTE, splitLong } from "./fact-limits.js";
import { findValues } from "./lexicon.js";
import { cleanMarkup, type MemoryItem, memoryItems } from "./memory-markdown.js";
import { type Analyzer, loadAnalyzer, type Token } from "./nlp-analysis.js";
import { type FrameFact, readFrames } from "./statement-frames.js";
import { statementKind } from "./statement-kind.js";
import { type SubjectKey, subjectKey } from "./subject-key.js";
import { clip, tokenize } from "./text-tokens.js";
import { memoryTopic } from "./topics.js";

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
 * A memory line the statement frames may read: one about the user or the team (or a named one of them), a project
 * or server, or a compound line. Others skip the analyzer, which keeps reading 10,000 memories cheap.
 */
const MAY_FRAME =
  /^(?:[-*\s]*)(?:(?:the\s+)?user|(?:the\s+|our\s+)?team|i|we|my|our|her|his|their|call|server|in the|\p{Lu}\p{Ll}+(?:'s)?\s+(?:\w+\s+)?(?:is|lives|moved|works|worked|prefers|likes|loves|hates|uses|speaks|plays|has|joined|switched|migrated|drives|studies|runs)|the\s+[\w-]+(?:\s+[\w-]+)?\s+(?:api|service|repo|app|worker|tests?|database|db|cluster)s?)\b|;/iu;

/** One atomic statement of a memory item, with the frame facts read from it (if any). */
interface Piece {
  text: string;
  frames: FrameFact[];
}

/**
 * Splits a memory statement into atomic clauses ("Tests run with Jest; integration tests need docker compose" →
 * two), and reads each with the statement frames, so a memory line gets the same key, value, cardinality and
 * polarity as the user's own words would ("User lives in Porto." → `home.location` = Porto, single).
 */
function atomicPieces(analyzer: Analyzer, statement: string): Piece[] {
  const pieces: Piece[] = [];
  const sentences = analyzer.sentences(statement);
  // Sentences of one item continue one another ("It is reset every night."): only a single sentence is split.
  if (sentences.length !== 1) return [{ text: statement, frames: [] }];
  for (const sentence of sentences) {
    const clauses = splitClauses(sentence.tokens).filter((tokens) => tokens.length > 0);
    const split = clauses.length > 1 && clauses.every(hasOwnSubject);
    for (const tokens of split ? clauses : [sentence.tokens]) {
      const first = tokens[0];
      const last = tokens[tokens.length - 1];
      if (!first || !last) continue;
      const text = statement.slice(first.start, last.end).trim();
      pieces.push({ text, frames: readFrames(statement, tokens, { memory: true }).facts });
    }
  }
  if (pieces.length <= 1) {
    const frames = pieces.flatMap((piece) => piece.frames);
    return [{ text: statement, frames }];
  }
  return pieces;
}

/**
 * Pieces and keys of recent memory items, shared by every offline model of the process: both depend on the text
 * alone, and a store read again (the next dream, a repeated line) is not read twice.
 */
const piecesOf = new BoundedMemo<Piece[]>(4_096);
const headedOf = new BoundedMemo<{ statement: string; subject: SubjectKey }>(4_096);

/** A clause that can stand alone: a few words, a verb, and not starting with one (it has its own subject). */
function hasOwnSubject(tokens: readonly Token[]): boolean {
  const words = tokens.filter((token) => token.pos !== "PUNCT");
  const first = words[0];
  if (words.length < 3 || !first || first.pos === "VERB") return false;
  return words.slice(1).some((token) => token.pos === "VERB" || token.pos === "AUX");
}

function shaped(fact: ExtractedFact, frame: FrameFact | undefined): ExtractedFact {
  if (frame === undefined || fact.kind === "transient") return fact;
  const kind = fact.kind === "insight" ? fact.kind : frame.kind;
  const key = frame.key === "" ? fact.key : boundedKey(frame.key);
  const result: ExtractedFact = { ...fact, kind, key, value: frame.value };
  if (frame.cardinality === "single" || isSingleValued(frame.key)) result.cardinality = "single";
  if (frame.polarity === "negative") result.polarity = "negative";
  return result;
}

/**
 * Facts from existing memories: one per bullet, table row, sentence group or code block (and one per clause of a
 * compound statement), topic from the memory's path, key by the same rules as transcript facts, dated debugging
 * notes `transient`, and as evidence the memory id with the item's own line (or the clause, when the line holds it)
 * as the quote. A memory with text but no item (a lone heading) becomes one fact, so no memory vanishes silently.
 * Items that look like credentials are left out. With a pacer, the event loop gets a turn between items.
 */
export async function extractFromMemories(memories: readonly MemorySnippet[], pacer?: Pacer): Promise<ExtractedFact[]> {
  const analyzer = await loadAnalyzer();
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
      await pacer?.pace();
      const { statement: full, subject } = headedOf.of(`${item.heading ?? ""}\u0000${item.text}`, () =>
        withHeading(item),
      );
      const quote = clip(item.quote, MAX_QUOTE).trim();
      if (quote === "") continue;
      for (const long of splitLong(full)) {
        const whole =
          item.log ||
          long.length > 600 ||
          !MAY_FRAME.test(long) ||
          isTransient(long, { dated: pathDated || item.dated });
        const pieces = whole ? [{ text: long, frames: [] }] : piecesOf.of(long, () => atomicPieces(analyzer, long));
        for (const piece of pieces) {
          const statement = piece.text;
          if (statement.trim() === "" || looksLikeCredential(statement)) continue;
          const transient = item.log || isTransient(statement, { dated: pathDated || item.dated });
          const pieceSubject = statement === full ? subject : subjectKey(statement);
          const kind: FactKind = transient
            ? "transient"
            : insights
              ? "insight"
              : statementKind(statement, pieceSubject);
          const cited = pieces.length > 1 && quote.includes(statement) ? statement : quote;
          const base: ExtractedFact = {
            key: boundedKey(transient ? `transient.${pieceSubject.key}` : pieceSubject.key),
            topic,
            statement: statement.trim(),
            kind,
            evidence: [{ event_id: memory.id, quote: cited }],
          };
          // A subject the lexicon knows (home city, package manager, editor …) holds one value at a time.
          if (!transient && !insights && pieceSubject.category !== undefined && isSingleValued(pieceSubject.key)) {
            base.cardinality = "single";
          }
          if (piece.frames.length <= 1) {
            facts.push(shaped(base, piece.frames[0]));
            continue;
          }
          for (const frame of piece.frames) {
            facts.push(shaped({ ...base, statement: frame.statement }, frame));
          }
        }
      }
    }
  }
  return facts;
}
