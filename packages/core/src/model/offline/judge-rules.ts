import type { JudgePair, JudgeVerdict } from "../../schemas/facts.js";
import type { Pacer } from "../../util/pacer.js";
import { categoryByKey } from "./lexicon.js";
import { subjectKey } from "./subject-key.js";
import { contentSet } from "./text-tokens.js";

/** Statements compared per side of a pair: the pipeline sends a few per group. */
const STATEMENTS_PER_SIDE = 3;
/** One side's words must be at least this share of the other's to count as a rewording of it. */
export const CONTAINMENT_SHARE = 0.5;
/** Jaccard similarity at which two wordings with changes on both sides still count as one subject. */
export const SAME_WORDING_JACCARD = 0.9;

interface Side {
  keys: Set<string>;
  categories: Set<string>;
  words: Set<string>[];
  transient: boolean;
}

function sideOf(group: JudgePair["left"]): Side {
  const statements = group.statements.slice(0, STATEMENTS_PER_SIDE);
  const subjects = statements.map(subjectKey);
  const keys = new Set([group.key, ...subjects.map((subject) => subject.key)]);
  const categories = new Set(subjects.flatMap((subject) => (subject.category ? [subject.category.key] : [])));
  if (categoryByKey(group.key)) categories.add(group.key);
  return { keys, categories, words: statements.map(contentSet), transient: group.key.startsWith("transient.") };
}

/**
 * Whether two wordings are about one subject: the same content words, or one's words all inside the other's (a
 * shorter or longer wording), or nearly the same words. A word swapped for another on both sides ("run tests before
 * pushing" / "run lint before pushing") is a different value or a different subject, and the rules cannot tell
 * which: they say no, and both facts stay.
 */
export function sameWording(left: Set<string>, right: Set<string>): boolean {
  if (left.size === 0 || right.size === 0) return false;
  const [small, large] = left.size <= right.size ? [left, right] : [right, left];
  let shared = 0;
  for (const word of small) if (large.has(word)) shared++;
  if (shared === small.size && small.size === large.size) return true;
  if (shared === small.size && small.size >= 2 && small.size / large.size >= CONTAINMENT_SHARE) return true;
  return shared / (small.size + large.size - shared) >= SAME_WORDING_JACCARD;
}

/**
 * Decides one pair: same subject when a key is shared, or both sides fall in the same known category (then "prefers
 * tabs" and "prefers spaces" are one subject with two values, and the pipeline keeps the latest); never when only one
 * side falls in a known category or they fall in different ones (a category fact clusters with the latest choice of
 * that category, so letting another statement join would let that choice supersede it), nor when only one side is
 * transient; otherwise by {@link sameWording}.
 */
export function judgePair(pair: JudgePair): boolean {
  const left = sideOf(pair.left);
  const right = sideOf(pair.right);
  if (left.transient !== right.transient) return false;
  for (const key of left.keys) if (right.keys.has(key)) return true;
  if (left.categories.size > 0 || right.categories.size > 0) {
    for (const category of left.categories) if (right.categories.has(category)) return true;
    return false;
  }
  return left.words.some((words) => right.words.some((other) => sameWording(words, other)));
}

/** Verdicts for a batch of pairs, in order; with a pacer, the event loop gets a turn between pairs. */
export async function judgePairs(pairs: readonly JudgePair[], pacer?: Pacer): Promise<JudgeVerdict[]> {
  const verdicts: JudgeVerdict[] = [];
  for (const pair of pairs) {
    await pacer?.pace();
    verdicts.push({ id: pair.id, same: judgePair(pair) });
  }
  return verdicts;
}
