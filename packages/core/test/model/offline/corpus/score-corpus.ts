import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ConsolidationModel, ExtractedFact } from "@nocturne/core";
import { z } from "zod";

const CORPUS_DIR = dirname(fileURLToPath(import.meta.url));

/** One fact an utterance of the corpus should give. */
export const ExpectedFact = z.strictObject({
  attribute: z.string().min(1),
  value: z.string().min(1).optional(),
  words: z.string().min(1),
  cardinality: z.enum(["single", "multi"]),
  polarity: z.enum(["positive", "negative"]),
});
export type ExpectedFact = z.infer<typeof ExpectedFact>;

/** One labelled utterance of the corpus. */
export const CorpusItem = z.strictObject({
  id: z.string().min(1),
  category: z.string().min(1),
  text: z.string().min(1),
  facts: z.array(ExpectedFact),
});
export type CorpusItem = z.infer<typeof CorpusItem>;

/**
 * The parts of the corpus: `tuning` (rules may be tuned on it), `dev` (written later, for the precision pass; rules
 * may be tuned on it too) and `held-aside` (frozen before tuning; never read item by item).
 */
export type CorpusPart = "tuning" | "dev" | "held-aside";

/** The parts whose items and errors may be read while rules are tuned. */
export const TUNABLE_PARTS: readonly CorpusPart[] = ["tuning", "dev"];

/** The labelled utterances of one part of the corpus, in file order. */
export function loadCorpus(part: CorpusPart): CorpusItem[] {
  const text = readFileSync(join(CORPUS_DIR, `${part}.jsonl`), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => CorpusItem.parse(JSON.parse(line)));
}

/** Categories whose recall the acceptance criterion counts: plain first-person facts, preferences and updates. */
export const FIRST_PERSON_CATEGORIES: ReadonlySet<string> = new Set([
  "first-person-fact",
  "preference",
  "update",
  "retraction",
  "multi-value",
  "compound",
]);

/** Categories that must never give a fact. */
export const SILENT_CATEGORIES: ReadonlySet<string> = new Set([
  "question",
  "hypothetical",
  "quoted-speech",
  "pleasantry",
  "non-english",
  "sarcasm",
  "small-talk",
  "third-party",
  "code",
  "request",
]);

const ARTICLE = /^(?:the|a|an|my|our)\s+/;

function norm(value: string): string {
  return value
    .toLowerCase()
    .replace(/[.!?,;:]+$/, "")
    .trim()
    .replace(ARTICLE, "");
}

/**
 * A word without its plural or third-person `-s` ("units" → "unit", "plays" → "play", "libraries" → "library"), so
 * that a key or statement is not rejected for an inflection: both sides are stemmed alike.
 */
export function uninflected(word: string): string {
  if (word.length <= 3 || word.endsWith("ss")) return word;
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (/(?:ches|shes|sses|xes|zes)$/.test(word)) return word.slice(0, -2);
  return word.endsWith("s") ? word.slice(0, -1) : word;
}

function words(text: string): Set<string> {
  const found = text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}.'’/-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu) ?? [];
  return new Set(found.map(uninflected));
}

/** A key with each word of each segment uninflected: `user.units` and `user.unit` name one attribute. */
function keyForm(key: string): string {
  return key
    .split(".")
    .map((segment) => segment.split("_").map(uninflected).join("_"))
    .join(".");
}

/** Whether a produced key names the labelled attribute: equal, or ending in `.<attribute>`, inflections aside. */
export function namesAttribute(key: string, attribute: string): boolean {
  const have = keyForm(key);
  const want = keyForm(attribute);
  return have === want || have.endsWith(`.${want}`);
}

/** Whether a produced fact is the expected one: same attribute, value, polarity, cardinality, and its words. */
export function matches(fact: ExtractedFact, expected: ExpectedFact): boolean {
  if (expected.attribute === "rule") {
    if (fact.kind !== "procedure" && fact.kind !== "preference") return false;
  } else if (!namesAttribute(fact.key, expected.attribute)) return false;
  if (expected.value !== undefined && (fact.value === undefined || norm(fact.value) !== norm(expected.value))) {
    return false;
  }
  if ((fact.polarity ?? "positive") !== expected.polarity) return false;
  if ((fact.cardinality === "single") !== (expected.cardinality === "single")) return false;
  const have = words(fact.statement);
  return [...words(expected.words)].every((word) => have.has(word));
}

/** What the model gave for one utterance, and how it scored. */
export interface ItemResult {
  item: CorpusItem;
  facts: ExtractedFact[];
  matched: number;
  declined: Array<{ reason: string; text: string }>;
}

/** Counts of one slice of the corpus. */
export interface Tally {
  items: number;
  expected: number;
  produced: number;
  correct: number;
}

/** Precision (1 when nothing was produced) and recall (1 when nothing was expected) of a tally. */
export function rates(tally: Tally): { precision: number; recall: number } {
  return {
    precision: tally.produced === 0 ? 1 : tally.correct / tally.produced,
    recall: tally.expected === 0 ? 1 : tally.correct / tally.expected,
  };
}

/** Runs the model's transcript extraction over each utterance, as one user turn, and matches facts one to one. */
export async function runCorpus(model: ConsolidationModel, items: readonly CorpusItem[]): Promise<ItemResult[]> {
  const results: ItemResult[] = [];
  for (const item of items) {
    const declined: Array<{ reason: string; text: string }> = [];
    const facts = await model.extract(
      {
        type: "transcript",
        chunk: {
          key: `${item.id}#0`,
          sessionId: item.id,
          index: 0,
          tokens: 0,
          lines: [
            {
              sessionId: item.id,
              eventId: `${item.id}_e0`,
              role: "user",
              text: item.text,
              at: "2026-03-01T09:00:00.000Z",
            },
          ],
        },
      },
      {
        signal: new AbortController().signal,
        instructions: "",
        reportUsage: () => {},
        decline: (entry) => declined.push(entry),
      },
    );
    const open = [...item.facts];
    let matched = 0;
    for (const fact of facts) {
      const index = open.findIndex((expected) => matches(fact, expected));
      if (index === -1) continue;
      open.splice(index, 1);
      matched++;
    }
    results.push({ item, facts, matched, declined });
  }
  return results;
}

/** The batch an item of the dev part was written in: its id up to the first dash (`dev`, `dev2` … `dev6`). */
export function batchOf(item: CorpusItem): string {
  return item.id.slice(0, item.id.indexOf("-"));
}

/** Sums results overall (`*`) and per category. */
export function tally(results: readonly ItemResult[]): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  const add = (name: string, result: ItemResult) => {
    const entry = tallies.get(name) ?? { items: 0, expected: 0, produced: 0, correct: 0 };
    entry.items++;
    entry.expected += result.item.facts.length;
    entry.produced += result.facts.length;
    entry.correct += result.matched;
    tallies.set(name, entry);
  };
  for (const result of results) {
    add("*", result);
    add(result.item.category, result);
    if (FIRST_PERSON_CATEGORIES.has(result.item.category)) add("first-person", result);
  }
  return tallies;
}
