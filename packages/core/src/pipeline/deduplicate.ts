import type { CandidateFact, JudgePair, JudgeVerdict } from "../schemas/facts.js";
import { minHashBands } from "../util/min-hash.js";
import { contentWords, jaccard } from "../util/text.js";
import { UnionFind } from "../util/union-find.js";

/** Statements at least this similar (Jaccard of content words) are the same subject without asking the model. */
export const SAME_SUBJECT_SIMILARITY = 0.8;
/** Statements in `[AMBIGUOUS_SIMILARITY, SAME_SUBJECT_SIMILARITY)` are asked of the model, in batches. */
export const AMBIGUOUS_SIMILARITY = 0.3;
/** Above this many members, a shared band is too common to compare all pairs; each member meets only its neighbours. */
const LARGE_BUCKET = 64;
const NEIGHBOURS_IN_LARGE_BUCKET = 16;

/** How deduplication asks a model about ambiguous pairs. */
export interface DeduplicateOptions {
  /** Decides a batch of pairs (one model call). */
  judge: (pairs: JudgePair[]) => Promise<JudgeVerdict[]>;
  /** Pairs per judge call. Default 25. */
  batchSize?: number;
  /** Cap on pairs asked in total, as a multiple of the number of key groups. Default 2. */
  maxPairsPerGroup?: number;
}

/** Facts grouped by subject, and how many model calls that took. */
export interface DeduplicateResult {
  clusters: CandidateFact[][];
  judgeCalls: number;
  judgedPairs: number;
}

/**
 * Groups candidate facts that are about the same subject. Deterministic blocking first — equal normalized keys,
 * then near-duplicate statements met through MinHash bands — and the model only for the ambiguous remainder, in
 * batches, with the number of pairs bounded linearly in the number of groups: never O(n²) model calls.
 */
export async function deduplicate(facts: CandidateFact[], options: DeduplicateOptions): Promise<DeduplicateResult> {
  const groupOfKey = new Map<string, number>();
  const groupKeys: string[] = [];
  const groupOfFact = facts.map((fact) => {
    let group = groupOfKey.get(fact.key);
    if (group === undefined) {
      group = groupKeys.length;
      groupOfKey.set(fact.key, group);
      groupKeys.push(fact.key);
    }
    return group;
  });
  const sets = new UnionFind(groupKeys.length);
  const words = facts.map((fact) => new Set(contentWords(fact.statement)));

  const buckets = new Map<string, number[]>();
  for (const [index, set] of words.entries()) {
    for (const band of minHashBands(set)) {
      const bucket = buckets.get(band);
      if (bucket) bucket.push(index);
      else buckets.set(band, [index]);
    }
  }

  const ambiguous = new Map<string, { a: number; b: number; similarity: number }>();
  const consider = (i: number, j: number) => {
    const groupA = groupOfFact[i] ?? 0;
    const groupB = groupOfFact[j] ?? 0;
    if (sets.find(groupA) === sets.find(groupB)) return;
    const similarity = jaccard(words[i] ?? new Set(), words[j] ?? new Set());
    if (similarity >= SAME_SUBJECT_SIMILARITY) {
      sets.union(groupA, groupB);
      return;
    }
    if (similarity < AMBIGUOUS_SIMILARITY) return;
    const pairKey = groupA < groupB ? `${groupA}:${groupB}` : `${groupB}:${groupA}`;
    const seen = ambiguous.get(pairKey);
    if (!seen || similarity > seen.similarity) ambiguous.set(pairKey, { a: groupA, b: groupB, similarity });
  };
  for (const members of buckets.values()) {
    if (members.length < 2) continue;
    const reach = members.length > LARGE_BUCKET ? NEIGHBOURS_IN_LARGE_BUCKET : members.length;
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < Math.min(members.length, x + 1 + reach); y++) {
        consider(members[x] ?? 0, members[y] ?? 0);
      }
    }
  }

  const statementsOf = groupStatements(facts, groupOfFact, groupKeys.length);
  const maxPairs = groupKeys.length * (options.maxPairsPerGroup ?? 2);
  const pending = [...ambiguous.values()]
    .filter((pair) => sets.find(pair.a) !== sets.find(pair.b))
    .sort((x, y) => y.similarity - x.similarity || x.a - y.a || x.b - y.b)
    .slice(0, maxPairs)
    .map(
      (pair, index): JudgePair => ({
        id: `p${index}`,
        left: { key: groupKeys[pair.a] ?? "", statements: statementsOf[pair.a] ?? [] },
        right: { key: groupKeys[pair.b] ?? "", statements: statementsOf[pair.b] ?? [] },
      }),
    );
  const groupsOfPair = new Map(
    pending.map((pair) => [pair.id, [groupOfKey.get(pair.left.key), groupOfKey.get(pair.right.key)]]),
  );
  const batchSize = options.batchSize ?? 25;
  const batches: JudgePair[][] = [];
  for (let start = 0; start < pending.length; start += batchSize) batches.push(pending.slice(start, start + batchSize));
  const verdicts = (await Promise.all(batches.map((batch) => options.judge(batch)))).flat();
  for (const verdict of verdicts) {
    const [a, b] = groupsOfPair.get(verdict.id) ?? [];
    if (verdict.same && a !== undefined && b !== undefined) sets.union(a, b);
  }

  const clusters = new Map<number, CandidateFact[]>();
  for (const [index, fact] of facts.entries()) {
    const root = sets.find(groupOfFact[index] ?? 0);
    const cluster = clusters.get(root);
    if (cluster) cluster.push(fact);
    else clusters.set(root, [fact]);
  }
  return { clusters: [...clusters.values()], judgeCalls: batches.length, judgedPairs: pending.length };
}

function groupStatements(facts: CandidateFact[], groupOfFact: number[], groups: number): string[][] {
  const statements: string[][] = Array.from({ length: groups }, () => []);
  for (const [index, fact] of facts.entries()) {
    const list = statements[groupOfFact[index] ?? 0];
    if (list && list.length < 3 && !list.includes(fact.statement)) list.push(fact.statement);
  }
  return statements;
}
