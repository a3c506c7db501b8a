import type { CandidateFact } from "../schemas/facts.js";
import { anchorsOf, anchorTokensOf, normalizeAnchor } from "../util/anchors.js";
import { contentWords, jaccard, normalizeText } from "../util/text.js";

/** Statements at least this similar (Jaccard of content words) say the same thing, when their anchors agree. */
export const SAME_VALUE_SIMILARITY = 0.8;

/** Words that turn a statement into its retraction; ignored when comparing what two statements are about. */
const NEGATION_WORDS = new Set([
  "no",
  "not",
  "longer",
  "never",
  "anymore",
  "any",
  "more",
  "stopped",
  "quit",
  "dropped",
  "don",
  "doesn",
  "didn",
  "isn",
  "aren",
  "won",
  "t",
]);

/** What the subject and value rules read of a fact, computed once per fact. */
export interface FactView {
  fact: CandidateFact;
  /** Anchors of the statement, in order. */
  anchors: string[];
  /** The value in anchor form (lowercase, no hyphens or backticks), when the extractor named one. */
  valueText: string | null;
  /** Content words without negations. */
  words: Set<string>;
  /** Every word in anchor form: an anchor of another statement written here in lowercase is still named here. */
  tokens: Set<string>;
  /**
   * The anchors that can carry roles: outside the fact's own value, and not acronyms (`CI`, `AWS` name kinds of
   * things, not participants).
   */
  roleAnchors: string[];
  /**
   * Content words outside the names the statement carries (its role anchors): what it says about them. Two
   * statements about one entity share its name whatever they say; these words tell "runs its CI on GitLab CI" from
   * "is on monthly releases".
   */
  namelessWords: Set<string>;
}

/** Reads the anchors and words of a fact. */
export function viewOf(fact: CandidateFact): FactView {
  const view: FactView = {
    fact,
    anchors: anchorsOf(fact.statement),
    valueText: fact.value === null ? null : normalizeAnchor(fact.value.replace(/`/g, "")),
    words: new Set(contentWords(fact.statement).filter((word) => !NEGATION_WORDS.has(word))),
    tokens: anchorTokensOf(fact.statement),
    roleAnchors: [],
    namelessWords: new Set(),
  };
  const acronyms = new Set(
    [...fact.statement.matchAll(/\b\p{Lu}{2,5}s?\b/gu)].map((match) => normalizeAnchor(match[0].replace(/s$/, ""))),
  );
  view.roleAnchors = view.anchors.filter((anchor) => !inValue(anchor, view.valueText) && !acronyms.has(anchor));
  view.namelessWords = new Set(
    [...view.words].filter((word) => !view.roleAnchors.some((anchor) => anchor === word || anchor.includes(word))),
  );
  return view;
}

/** The comparable form of a value: `EU-West 3` and `eu-west-3` are one value. */
export function normalizeValue(value: string): string {
  return value
    .normalize("NFKC")
    .toLowerCase()
    .replace(/^(?:the|a|an)\s+/, "")
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

/**
 * True when both statements name two or more of the same anchors in a different order (callers pass the anchors
 * outside each fact's value, acronyms left out: "CI for Harbor-193 is on CircleCI" and "Harbor-193 runs its CI on
 * CircleCI" swap nothing), as in "A mentors B" / "B mentors A".
 */
export function rolesSwapped(a: readonly string[], b: readonly string[]): boolean {
  if (a.length < 2 || b.length < 2) return false;
  const inB = new Set(b);
  const shared = a.filter((anchor) => inB.has(anchor));
  if (shared.length < 2) return false;
  const sharedSet = new Set(shared);
  const orderInB = b.filter((anchor) => sharedSet.has(anchor));
  return shared.some((anchor, index) => orderInB[index] !== anchor);
}

/** Whether an anchor is (part of) the value: `16` in `Postgres 16`, `bazel test //...` in `` `bazel test //...` ``. */
function inValue(anchor: string, value: string | null): boolean {
  return value !== null && value !== "" && (value.includes(anchor) || anchor.includes(value));
}

function isSubset(small: readonly string[], large: ReadonlySet<string>): boolean {
  return small.every((item) => large.has(item));
}

/**
 * Whether two facts can be about the same subject, judging by what they name. Roles must agree. When both name their
 * value, the anchors outside the values (the subject's own names and identifiers) must agree — one side may be more
 * specific. When only one names its value, the other must name every anchor of the first outside that value ("Sable-1
 * runs its CI on Buildkite" is not about the subject of "Quartz-9 runs its CI on Buildkite"). Otherwise the statements
 * may differ in one anchor each (the value: Berlin → Lisbon, Postgres 15 → 16), but not both in two or more (`alpha-1 … 10.0.0.1` and `alpha-2 … 10.0.0.2` are two servers).
 */
export function compatibleSubjects(a: FactView, b: FactView): boolean {
  if (rolesSwapped(a.roleAnchors, b.roleAnchors)) return false;
  if (a.valueText !== null && b.valueText !== null) {
    const subjectA = a.anchors.filter((anchor) => !inValue(anchor, a.valueText));
    const subjectB = b.anchors.filter((anchor) => !inValue(anchor, b.valueText));
    return isSubset(subjectA, new Set(subjectB)) || isSubset(subjectB, new Set(subjectA));
  }
  if (a.valueText !== null || b.valueText !== null) {
    const [named, other] = a.valueText !== null ? [a, b] : [b, a];
    if (!named.anchors.every((anchor) => inValue(anchor, named.valueText) || other.tokens.has(anchor))) return false;
  }
  return onlyIn(a, b).length < 2 || onlyIn(b, a).length < 2;
}

/**
 * Whether two facts name the same things outside their values (one side may name more): then similar wording is
 * strong evidence of one subject. Statements built alike around different names ("Falcon-6 stores its data in Postgres 16" / "Cirrus-1
 * stores its data in Postgres 16", no values given) are twins of a template, not one fact.
 */
export function sameNames(a: FactView, b: FactView): boolean {
  return isSubset(a.roleAnchors, new Set(b.roleAnchors)) || isSubset(b.roleAnchors, new Set(a.roleAnchors));
}

/** Role anchors made of letters and digits (`atlas17`, `alpha1`, `euwest3`): identifiers of particular things. */
function identifiersOf(view: FactView): string[] {
  return view.roleAnchors.filter((anchor) => /\p{L}/u.test(anchor) && /\p{N}/u.test(anchor));
}

/**
 * Whether both facts name identifiers outside their values and neither names any of the other's: "Quartz-795 ships
 * on weekly releases" and "Xenon-307 ships on weekly releases" are about two things, however alike they read.
 */
export function distinctIdentifiers(a: FactView, b: FactView): boolean {
  const left = identifiersOf(a);
  const right = identifiersOf(b);
  return (
    left.length > 0 && right.length > 0 && !left.some((id) => b.tokens.has(id)) && !right.some((id) => a.tokens.has(id))
  );
}

/** Anchors of `a` that `b` does not name at all (not even in lowercase). */
function onlyIn(a: FactView, b: FactView): string[] {
  return a.anchors.filter((anchor) => !b.tokens.has(anchor));
}

/** True when both statements name the same anchors (in any case) in the same order. */
export function sameAnchors(a: FactView, b: FactView): boolean {
  return onlyIn(a, b).length === 0 && onlyIn(b, a).length === 0 && !rolesSwapped(a.roleAnchors, b.roleAnchors);
}

function bareText(statement: string): string {
  return normalizeText(statement).replace(/[.!?\s]+$/, "");
}

function evidenceKey(item: CandidateFact["evidence"][number]): string {
  return item.type === "event"
    ? `event:${item.sessionId}:${item.eventId}:${item.quote ?? ""}`
    : `memory:${item.memoryId}:${item.quote ?? ""}`;
}

/** Evidence precise enough to identify one statement: an event, or a quoted line of a memory. */
function isSpan(item: CandidateFact["evidence"][number]): boolean {
  return item.type === "event" || item.quote !== undefined;
}

/**
 * Whether two facts about one subject hold the same value (whatever their polarity): the same named value, or —
 * when a value is missing — the same words with the same anchors in the same order, or the very same quoted span.
 */
export function sameValue(a: FactView, b: FactView): boolean {
  if (rolesSwapped(a.roleAnchors, b.roleAnchors)) return false;
  if (a.fact.value !== null && b.fact.value !== null) {
    return normalizeValue(a.fact.value) === normalizeValue(b.fact.value);
  }
  if (bareText(a.fact.statement) === bareText(b.fact.statement)) return true;
  if (sameAnchors(a, b) && jaccard(a.words, b.words) >= SAME_VALUE_SIMILARITY) return true;
  const spans = new Set(b.fact.evidence.filter(isSpan).map(evidenceKey));
  return a.fact.evidence.some((item) => isSpan(item) && spans.has(evidenceKey(item)));
}
