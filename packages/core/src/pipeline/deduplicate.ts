import type { CandidateFact, JudgePair, JudgeVerdict } from "../schemas/facts.js";
import { normalizeAnchor } from "../util/anchors.js";
import { Heap } from "../util/heap.js";
import { internSets, jaccardOfInterned } from "../util/interned-sets.js";
import { createPacer, type Pacer, type Steps } from "../util/pacer.js";
import { jaccard, normalizeKey } from "../util/text.js";
import { UnionFind } from "../util/union-find.js";
import { authorityOrder, byAuthority, declaredCardinality, restsOnSession } from "./fact-order.js";
import {
  compatibleSubjects,
  distinctIdentifiers,
  type FactView,
  normalizeValue,
  SAME_VALUE_SIMILARITY,
  sameAnchors,
  sameNames,
  sameValue,
  viewOf,
} from "./same-subject.js";
import { forEachSimilarPair } from "./similar-pairs.js";

/** Statements at least this similar (Jaccard of content words) are the same fact without asking the model. */
export const SAME_SUBJECT_SIMILARITY = SAME_VALUE_SIMILARITY;
/** Statements in `[AMBIGUOUS_SIMILARITY, SAME_SUBJECT_SIMILARITY)` may be one subject: the model is asked. */
export const AMBIGUOUS_SIMILARITY = 0.3;
/**
 * Similar wording around different names is weak evidence of one subject: such a pair ranks below the pairs whose
 * names agree, and a "same" for it must be given twice before one single value replaces another.
 */
const TWIN_DISCOUNT = 0.25;
/** Keys whose character trigrams are at least this similar may name one subject in other words. */
export const SIMILAR_KEY = 0.5;
/** Key words that name a namespace, not a subject. */
export const GENERIC_KEY_WORDS = new Set([
  "user",
  "users",
  "project",
  "projects",
  "team",
  "the",
  "current",
  "my",
  "our",
]);

/** How deduplication asks a model about ambiguous pairs. */
export interface DeduplicateOptions {
  /** Decides a batch of pairs (one model call). */
  judge: (pairs: JudgePair[]) => Promise<JudgeVerdict[]>;
  /** Pairs per judge call. Default 25. */
  batchSize?: number;
  /** Cap on pairs asked in total, as a multiple of the number of groups. Default 2. */
  maxPairsPerGroup?: number;
  /** Pairs already settled as different (e.g. both read back from one consolidated store): never asked, never merged. */
  settled?: (a: CandidateFact, b: CandidateFact) => boolean;
  /** Gives the event loop turns during the work and stops it when the dream is canceled. Default: turns, no signal. */
  pacer?: Pacer;
}

/** A merge the model proposed that the rules refused, for the report. */
export interface RefusedMerge {
  left: string;
  right: string;
  reason: string;
}

/** Facts grouped by subject, how many model calls that took, and the merges refused. */
export interface DeduplicateResult {
  clusters: CandidateFact[][];
  judgeCalls: number;
  judgedPairs: number;
  refused: RefusedMerge[];
}

interface Group {
  members: number[];
  /** The most authoritative fact: what a merge is checked against. */
  head: number;
}

/**
 * Character trigrams of a key's attribute words: namespace words and the names the statement itself anchors (the
 * entity, checked separately — also when the key splits it, as `borealis_308` does `Borealis-308`; not the value) are
 * left out, so `projects.atlas-17.deploy_region` meets `atlas17.deployment-region` but not `projects.atlas-17.database`.
 */
function keyGrams(key: string, anchors: readonly string[]): Set<string> {
  const named = (word: string) => {
    const bare = normalizeAnchor(word);
    return anchors.some((anchor) => anchor === bare || (bare.length > 2 && anchor.includes(bare)));
  };
  const words = key
    .toLowerCase()
    .split(/[^\p{L}\p{N}-]+/u)
    .filter((word) => word !== "" && !GENERIC_KEY_WORDS.has(word))
    .filter((word) => !named(word) && !/\p{N}/u.test(word))
    .flatMap((word) => word.split("-"))
    .filter((word) => word !== "");
  const grams = new Set<string>();
  if (words.length === 0) return grams;
  const text = ` ${words.join(" ")} `;
  for (let i = 0; i + 3 <= text.length; i++) grams.add(text.slice(i, i + 3));
  return grams;
}

/**
 * Groups candidate facts that are about the same subject, so that resolution can pick the current value.
 *
 * 1. Facts with the same normalized key form a group when their subjects are compatible: same roles, same named
 *    entities (`alpha-1` and `alpha-2` stay apart, so do "A mentors B" and "B mentors A"). Each fact is checked
 *    against the group's most authoritative fact, never only a neighbour.
 * 2. Near-identical statements (same words, same anchors in the same order) join across keys.
 * 3. Candidate pairs for the model come from several signals — similar statements (MinHash over words), similar keys
 *    (character trigrams, so `deploy_region` meets `deployment-region`) — and never pair facts whose named entities
 *    differ. Pairs are asked in batches, bounded linearly in the number of groups.
 * 4. A "same" verdict merges two groups only when both are still as the model saw them (no A~B, B~C ⇒ A~C chains;
 *    a group that changed is asked again once, against its new head), when their cardinality agrees and their
 *    heads' subjects are compatible; otherwise the merge is refused and reported.
 */
export async function deduplicate(facts: CandidateFact[], options: DeduplicateOptions): Promise<DeduplicateResult> {
  const pacer = options.pacer ?? createPacer();
  const views: FactView[] = [];
  for (const fact of facts) {
    await pacer.pace();
    views.push(viewOf(fact));
  }
  const settled = options.settled ?? (() => false);
  const groups: Group[] = [];
  const groupOf = new Int32Array(facts.length);
  const byKey = new Map<string, number[]>();
  for (const index of await pacer.run(authorityOrder(facts))) {
    await pacer.pace();
    const key = normalizeKey(facts[index]?.key ?? "");
    const candidates = byKey.get(key) ?? [];
    const view = views[index] as FactView;
    const home = candidates.find((group) => compatibleSubjects(views[groups[group]?.head ?? 0] as FactView, view));
    if (home === undefined) {
      groupOf[index] = groups.length;
      candidates.push(groups.length);
      byKey.set(key, candidates);
      groups.push({ members: [index], head: index });
    } else {
      groupOf[index] = home;
      groups[home]?.members.push(index);
    }
  }

  const clusters = new GroupClusters(groups, facts);
  const headOf = (group: number) => views[clusters.head(group)] as FactView;
  const ambiguous = Array.from({ length: PROPOSAL_SHARDS }, () => new Map<number, ProposedPair>());
  const propose = (a: number, b: number, score: number) => {
    const pairKey = a < b ? a * groups.length + b : b * groups.length + a;
    const shard = ambiguous[pairKey % PROPOSAL_SHARDS] as Map<number, ProposedPair>;
    const seen = shard.get(pairKey);
    if (!seen || score > seen.score) shard.set(pairKey, { a: Math.min(a, b), b: Math.max(a, b), score });
  };
  const related = (i: number, j: number): boolean => {
    const a = views[i] as FactView;
    const b = views[j] as FactView;
    return !settled(a.fact, b.fact) && compatibleSubjects(a, b) && !distinctIdentifiers(a, b);
  };
  const words = await pacer.run(internSets(views.map((view) => view.words)));
  await forEachSimilarPair(
    views.map((view) => view.words),
    pacer,
    (i, j) => {
      const groupA = groupOf[i] ?? 0;
      const groupB = groupOf[j] ?? 0;
      if (clusters.root(groupA) === clusters.root(groupB)) return;
      const a = views[i] as FactView;
      const b = views[j] as FactView;
      const similarity = jaccardOfInterned(words[i] as Int32Array, words[j] as Int32Array);
      if (similarity < AMBIGUOUS_SIMILARITY || !related(i, j)) return;
      if (similarity >= SAME_SUBJECT_SIMILARITY && sameAnchors(a, b) && a.fact.cardinality === b.fact.cardinality) {
        clusters.merge(groupA, groupB);
      } else {
        const said = jaccard(a.namelessWords, b.namelessWords);
        propose(groupA, groupB, sameNames(a, b) ? said : said * TWIN_DISCOUNT);
      }
    },
  );

  const headKeys: Set<string>[] = [];
  for (const group of groups) {
    await pacer.pace();
    headKeys.push(keyGrams(facts[group.head]?.key ?? "", views[group.head]?.roleAnchors ?? []));
  }
  const byEntity = await pacer.run(groupsByEntity(groups, views));
  for (const members of byEntity.values()) {
    await pacer.pace();
    const visit = (groupA: number, groupB: number) => {
      if (clusters.root(groupA) === clusters.root(groupB)) return;
      const score = jaccard(headKeys[groupA] ?? new Set(), headKeys[groupB] ?? new Set());
      const headA = groups[groupA]?.head ?? 0;
      const headB = groups[groupB]?.head ?? 0;
      if (score >= SIMILAR_KEY && related(headA, headB)) {
        propose(
          groupA,
          groupB,
          sameNames(views[headA] as FactView, views[headB] as FactView) ? score : score * TWIN_DISCOUNT,
        );
      }
    };
    if (members.length <= LARGE_ENTITY) {
      for (let x = 0; x < members.length; x++) {
        for (let y = x + 1; y < members.length; y++) visit(members[x] ?? 0, members[y] ?? 0);
      }
    } else {
      await forEachSimilarPair(
        members.map((group) => headKeys[group] ?? new Set<string>()),
        pacer,
        (x, y) => visit(members[x] ?? 0, members[y] ?? 0),
      );
    }
  }

  const placed = new Set<number>();
  for (const shard of ambiguous) {
    await pacer.pace();
    for (const pair of shard.values()) {
      if (pair.score >= AMBIGUOUS_SIMILARITY) placed.add(pair.a).add(pair.b);
    }
  }
  await proposeSameEntity(facts, groups, views, headKeys, byEntity, placed, clusters, related, propose, pacer);

  const maxPairs = groups.length * (options.maxPairsPerGroup ?? 2);
  const batchSize = options.batchSize ?? 25;
  const refused: RefusedMerge[] = [];
  let judgeCalls = 0;
  let judgedPairs = 0;
  let round: ProposedPair[] = [];
  for (const shard of ambiguous) {
    await pacer.pace();
    for (const pair of shard.values()) round.push(pair);
    shard.clear();
  }
  for (let pass = 0; pass < 2 && round.length > 0; pass++) {
    const asked = new Set<number>();
    const roots = new Map<string, ProposedPair>();
    const pairs: JudgePair[] = [];
    const best = await pacer.run(Heap.build(round, byScore));
    for (let pair = best.pop(); pair !== undefined && judgedPairs + pairs.length < maxPairs; pair = best.pop()) {
      await pacer.pace();
      const rootA = clusters.root(pair.a);
      const rootB = clusters.root(pair.b);
      const pairKey = rootA < rootB ? rootA * groups.length + rootB : rootB * groups.length + rootA;
      if (rootA === rootB || asked.has(pairKey)) continue;
      asked.add(pairKey);
      const id = `p${judgedPairs + pairs.length}`;
      roots.set(id, { a: rootA, b: rootB, score: pair.score });
      pairs.push({ id, left: clusters.side(rootA), right: clusters.side(rootB) });
    }
    const batches: JudgePair[][] = [];
    for (let start = 0; start < pairs.length; start += batchSize) batches.push(pairs.slice(start, start + batchSize));
    judgeCalls += batches.length;
    judgedPairs += pairs.length;
    const verdicts = (await Promise.all(batches.map((batch) => options.judge(batch)))).flat();
    const accepted = await secondOpinions(
      pairs,
      verdicts,
      roots,
      clusters,
      headOf,
      options.judge,
      { batchSize, budget: maxPairs - judgedPairs },
      pacer,
    );
    judgeCalls += accepted.calls;
    judgedPairs += accepted.asked;
    const changed = new Set<number>();
    const deferred: ProposedPair[] = [];
    for (const pair of accepted.pairs) {
      if (changed.has(pair.a) || changed.has(pair.b)) {
        deferred.push(pair);
        continue;
      }
      const headA = headOf(pair.a);
      const headB = headOf(pair.b);
      const reason = refusal(clusters.cardinality(pair.a), clusters.cardinality(pair.b), headA, headB);
      if (reason !== null) {
        refused.push({ left: headA.fact.statement, right: headB.fact.statement, reason });
        continue;
      }
      changed.add(pair.a).add(pair.b).add(clusters.merge(pair.a, pair.b));
    }
    round = deferred;
  }

  return { clusters: clusters.all(), judgeCalls, judgedPairs, refused };
}

/** Proposed pairs are kept in this many maps, so that no single map grows (and rehashes) too large at once. */
const PROPOSAL_SHARDS = 256;

/** Two groups the model may be asked about, with the signal that paired them. */
interface ProposedPair {
  a: number;
  b: number;
  score: number;
}

/** Strongest signal first, then by group: the order pairs are asked in. */
function byScore(x: ProposedPair, y: ProposedPair): number {
  return y.score - x.score || x.a - y.a || x.b - y.b;
}

/** Keys remembered per value, for telling which attribute a value belongs to. */
const VALUE_KEYS = 32;
/** Same-entity partners proposed per unplaced group, best first. */
const SAME_ENTITY_PAIRS = 3;
/** An entity named by more groups than this is too common to pair all its attributes. */
const LARGE_ENTITY = 64;

/**
 * Groups by each name their head carries outside its value (one group can sit under several: "Alice mentors Bob"
 * under `alice` and `bob`), so that a sentence-initial word written with a capital ("Invoke `make` → Atlas-4 …")
 * cannot hide a fact from the entity it is about; heads that name none sit under "".
 */
function* groupsByEntity(groups: readonly Group[], views: readonly FactView[]): Steps<Map<string, number[]>> {
  const byEntity = new Map<string, number[]>();
  for (const [index, group] of groups.entries()) {
    const names = (views[group.head] as FactView).roleAnchors;
    for (const entity of names.length === 0 ? [""] : new Set(names)) {
      const list = byEntity.get(entity);
      if (list) list.push(index);
      else byEntity.set(entity, [index]);
    }
    yield;
  }
  return byEntity;
}

/**
 * Reworded keys and statements can share too little to meet through words or keys alone ("Lumen-49 ships on continuous
 * deployment" / "Lumen-49 is on weekly releases"). A group that is news — every fact in it from a session of this dream
 * — or that only the engine derived (a split clause, a carried memory line: no key of the model's), and that no strong
 * signal placed (no similar key or wording beside it) may be a reworded update or its old value: it is paired with the
 * single-valued groups that name the same entity. Where its value (or the partner's) is held elsewhere in the dream
 * under a key like the other side's — `rake spec` under `*.test_command` elsewhere, beside an Atlas-4 group keyed
 * `test_cmd` — that is strong evidence: only such partners are asked, and a "different" is asked again (see {@link
 * secondOpinions}). A group the engine derived has no value of its own; the values held elsewhere that its statement
 * names stand in for one ({@link valuesNamedIn}). When its value is held elsewhere under a key like its own and no
 * partner's, it names an attribute the entity had no value for: nothing is asked. Otherwise (a value seen nowhere else)
 * the few whose attribute words are closest are asked, ranked below every pair a strong signal proposed, and a "same"
 * must be given twice before it replaces a value (see {@link secondOpinions}), so a model that says "same" too easily
 * cannot merge an entity's attributes into one.
 */
async function proposeSameEntity(
  facts: readonly CandidateFact[],
  groups: readonly Group[],
  views: readonly FactView[],
  headKeys: readonly Set<string>[],
  byEntity: ReadonlyMap<string, number[]>,
  placed: ReadonlySet<number>,
  clusters: GroupClusters,
  related: (i: number, j: number) => boolean,
  propose: (a: number, b: number, score: number) => void,
  pacer: Pacer,
): Promise<void> {
  const news = (group: number) =>
    (groups[group]?.members ?? []).every((index) => restsOnSession((views[index] as FactView).fact));
  const derivedOnly = (group: number) =>
    (groups[group]?.members ?? []).every((index) => (views[index] as FactView).fact.derived !== undefined);
  const keysOfValue = new Map<string, Map<string, Set<string>>>();
  const valuesOf: Set<string>[] = [];
  const keyOf: string[] = [];
  for (const group of groups) {
    await pacer.pace();
    const values = new Set<string>();
    for (const index of group.members) {
      const value = (views[index] as FactView).fact.value;
      if (value !== null) values.add(normalizeValue(value));
    }
    valuesOf.push(values);
    keyOf.push(normalizeKey(facts[group.head]?.key ?? ""));
  }
  for (const [index, key] of keyOf.entries()) {
    await pacer.pace();
    for (const value of valuesOf[index] ?? []) {
      const keys = keysOfValue.get(value) ?? new Map<string, Set<string>>();
      if (keys.size < VALUE_KEYS) keys.set(key, headKeys[index] ?? new Set());
      keysOfValue.set(value, keys);
    }
  }
  for (const [index, group] of groups.entries()) {
    await pacer.pace();
    if (valuesOf[index]?.size !== 0 || !derivedOnly(index)) continue;
    const head = views[group.head] as FactView;
    for (const value of valuesNamedIn(head.fact.statement, keysOfValue)) valuesOf[index]?.add(value);
  }
  /** How well `to`'s key names the attribute that `from`'s values are held under elsewhere. */
  const heldUnder = (from: number, to: number): number => {
    const own = keyOf[from];
    let best = 0;
    for (const value of valuesOf[from] ?? []) {
      for (const [key, grams] of keysOfValue.get(value) ?? []) {
        if (key !== own) best = Math.max(best, jaccard(grams, headKeys[to] ?? new Set()));
      }
    }
    return best;
  };
  const affinity = (a: number, b: number): number => Math.max(heldUnder(a, b), heldUnder(b, a));
  const attributeWords = (view: FactView) =>
    new Set([...view.words].filter((word) => !view.anchors.some((anchor) => anchor.includes(word))));
  for (const [entity, all] of byEntity) {
    await pacer.pace();
    const members = all.filter((group) => {
      const head = (views[groups[group]?.head ?? 0] as FactView).fact;
      return head.cardinality === "single" || head.derived !== undefined;
    });
    if (entity === "" || members.length < 2 || members.length > LARGE_ENTITY) continue;
    for (const a of members) {
      if (placed.has(a) || !(news(a) || derivedOnly(a))) continue;
      const headA = views[groups[a]?.head ?? 0] as FactView;
      const wordsA = attributeWords(headA);
      const scored = members
        .filter((b) => b !== a && clusters.root(a) !== clusters.root(b))
        .map((b) => {
          const headB = views[groups[b]?.head ?? 0] as FactView;
          const score = Math.max(
            jaccard(headKeys[a] ?? new Set(), headKeys[b] ?? new Set()),
            jaccard(wordsA, attributeWords(headB)),
          );
          return { b, score, affine: affinity(a, b) >= SIMILAR_KEY };
        })
        .filter((entry) => related(groups[a]?.head ?? 0, groups[entry.b]?.head ?? 0));
      const affine = scored.filter((entry) => entry.affine);
      if (affine.length === 0 && heldUnder(a, a) >= SIMILAR_KEY) continue;
      const chosen = (affine.length > 0 ? affine : scored)
        .sort((x, y) => y.score - x.score || x.b - y.b)
        .slice(0, SAME_ENTITY_PAIRS);
      for (const { b, score, affine: held } of chosen) propose(a, b, held ? SIMILAR_KEY : score / 10);
    }
  }
}

/** Longest run of words a value named inside a statement is looked up by. */
const VALUE_WORDS = 4;

/**
 * Values held elsewhere in the dream that a statement without a value of its own names: runs of up to
 * {@link VALUE_WORDS} words, normalized like values ("ships on continuous deployment" names `continuous deployment`
 * where another fact holds it).
 */
function valuesNamedIn(statement: string, known: ReadonlyMap<string, unknown>): string[] {
  const words = statement.split(/\s+/).map(normalizeValue);
  const found = new Set<string>();
  for (let start = 0; start < words.length; start++) {
    let run = "";
    for (let end = start; end < Math.min(words.length, start + VALUE_WORDS); end++) {
      run += words[end] ?? "";
      if (run !== "" && known.has(run)) found.add(run);
    }
  }
  return [...found];
}

/**
 * The "same" verdicts to act on, in the order the pairs were asked. One answer is not always enough; where the
 * signals that proposed a pair disagree with the model, the pair is asked once more with its sides swapped:
 *
 * - a "same" for a pair only a weak signal proposed (the same entity, little else), that would make one single value
 *   replace another, destroys a true fact if it is wrong: it stands only if the second answer is "same" too;
 * - a "different" for a pair strong signals proposed (a similar key or wording about the same entity, or values of
 *   one kind held under like keys) leaves a stale value beside its update if it is wrong: a second answer of "same"
 *   merges the pair.
 *
 * Merging two wordings of one value, or members of a set, needs no second answer. Second answers count against
 * the pair budget, doubted "same" verdicts first; a doubted verdict the budget leaves unasked counts as "different".
 */
async function secondOpinions(
  pairs: readonly JudgePair[],
  verdicts: readonly JudgeVerdict[],
  roots: ReadonlyMap<string, { a: number; b: number; score: number }>,
  clusters: GroupClusters,
  headOf: (group: number) => FactView,
  judge: DeduplicateOptions["judge"],
  limits: { batchSize: number; budget: number },
  pacer: Pacer,
): Promise<{ pairs: Array<{ a: number; b: number; score: number }>; calls: number; asked: number }> {
  const same = new Set(verdicts.filter((verdict) => verdict.same).map((verdict) => verdict.id));
  const replacing = (pair: { a: number; b: number }) =>
    clusters.cardinality(pair.a) !== "multi" &&
    clusters.cardinality(pair.b) !== "multi" &&
    !sameValue(headOf(pair.a), headOf(pair.b));
  const doubted = (pair: JudgePair): boolean => {
    const found = roots.get(pair.id);
    if (found === undefined || !replacing(found)) return false;
    return same.has(pair.id) ? found.score < AMBIGUOUS_SIMILARITY : found.score >= SIMILAR_KEY;
  };
  const doubtedPairs: JudgePair[] = [];
  for (const pair of pairs) {
    await pacer.pace();
    if (doubted(pair)) doubtedPairs.push(pair);
  }
  const recheck = [...doubtedPairs]
    .sort((x, y) => Number(same.has(y.id)) - Number(same.has(x.id)))
    .slice(0, Math.max(0, limits.budget))
    .map((pair) => ({ id: pair.id, left: pair.right, right: pair.left }));
  const rechecked = new Set(doubtedPairs.map((pair) => pair.id));
  const batches: JudgePair[][] = [];
  for (let start = 0; start < recheck.length; start += limits.batchSize) {
    batches.push(recheck.slice(start, start + limits.batchSize));
  }
  const again = new Set(
    (await Promise.all(batches.map((batch) => judge(batch))))
      .flat()
      .filter((verdict) => verdict.same)
      .map((verdict) => verdict.id),
  );
  const accepted = pairs
    .filter((pair) => (rechecked.has(pair.id) ? again.has(pair.id) : same.has(pair.id)))
    .flatMap((pair) => {
      const found = roots.get(pair.id);
      return found ? [found] : [];
    });
  return { pairs: accepted, calls: batches.length, asked: recheck.length };
}

function refusal(
  cardinalityA: "single" | "multi" | null,
  cardinalityB: "single" | "multi" | null,
  headA: FactView,
  headB: FactView,
): string | null {
  if (cardinalityA !== null && cardinalityB !== null && cardinalityA !== cardinalityB) {
    return `refused a merge the model proposed: one side holds a single value, the other a set (${cardinalityA} vs ${cardinalityB})`;
  }
  if (!compatibleSubjects(headA, headB)) {
    return "refused a merge the model proposed: the two statements name different entities or swap their roles";
  }
  return null;
}

/** Key groups joined into clusters: each cluster's members and most authoritative fact, kept as clusters merge. */
class GroupClusters {
  private readonly sets: UnionFind;
  private readonly members = new Map<number, number[]>();
  private readonly heads = new Map<number, number>();

  constructor(
    groups: readonly Group[],
    private readonly facts: readonly CandidateFact[],
  ) {
    this.sets = new UnionFind(groups.length);
    for (const [index, group] of groups.entries()) {
      this.members.set(index, [...group.members]);
      this.heads.set(index, group.head);
    }
  }

  root(group: number): number {
    return this.sets.find(group);
  }

  /** Index of the cluster's most authoritative fact. */
  head(group: number): number {
    return this.heads.get(this.root(group)) ?? 0;
  }

  /** What the cluster's extracted facts say; null when all of them are facts the engine derived. */
  cardinality(group: number): "single" | "multi" | null {
    return declaredCardinality(
      (this.members.get(this.root(group)) ?? []).map((index) => this.facts[index] as CandidateFact),
    );
  }

  /** Joins two clusters; returns the new root. */
  merge(a: number, b: number): number {
    const rootA = this.root(a);
    const rootB = this.root(b);
    if (rootA === rootB) return rootA;
    const members = [...(this.members.get(rootA) ?? []), ...(this.members.get(rootB) ?? [])];
    const heads = [this.heads.get(rootA) ?? 0, this.heads.get(rootB) ?? 0];
    heads.sort((x, y) => byAuthority(this.facts[x] as CandidateFact, this.facts[y] as CandidateFact));
    this.sets.union(rootA, rootB);
    const root = this.root(rootA);
    for (const old of [rootA, rootB]) {
      this.members.delete(old);
      this.heads.delete(old);
    }
    this.members.set(root, members);
    this.heads.set(root, heads[0] ?? 0);
    return root;
  }

  /** One side of a judge pair: the cluster's key and up to three statements, most authoritative first. */
  side(group: number): JudgePair["left"] {
    const members = (this.members.get(this.root(group)) ?? [])
      .map((index) => this.facts[index] as CandidateFact)
      .sort(byAuthority);
    const statements: string[] = [];
    for (const fact of members) {
      if (statements.length < 3 && !statements.includes(fact.statement)) statements.push(fact.statement);
    }
    return { key: members[0]?.key ?? "", statements };
  }

  /** Every cluster's facts, in input order within a cluster. */
  all(): CandidateFact[][] {
    return [...this.members.values()].map((members) =>
      [...members].sort((a, b) => a - b).map((index) => this.facts[index] as CandidateFact),
    );
  }
}
