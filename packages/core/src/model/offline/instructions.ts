import type { FactKind } from "../../schemas/facts.js";

/** What a filter looks at in a fact. */
export interface FilterableFact {
  key: string;
  topic: string;
  statement: string;
  kind: FactKind;
}

/** Which facts the dream's instructions let through. */
export interface FactFilter {
  allows(fact: FilterableFact): boolean;
  /** True when the instructions held at least one form the offline model understands. */
  readonly active: boolean;
  /** Kinds the instructions say to ignore outright ("ignore insights"). */
  readonly ignoredKinds: ReadonlySet<FactKind>;
}

type Matcher = ((fact: FilterableFact) => boolean) & { kind?: FactKind };

const IGNORE =
  /^(?:please\s+)?(?:ignore|skip|exclude|drop|omit|forget(?:\s+about)?|(?:do not|don't|never)\s+(?:remember|keep|store|include|record|extract|save))\s+(?:(?:anything|everything|all|any)\s+)?(?:(?:about|on|related to|regarding|concerning|from|in|of)\s+)?(.+)$/;
const ONLY =
  /^(?:please\s+)?(?:only\s+(?:(?:keep|extract|remember|include|store|consider|record|save)\s+)?|(?:keep|extract|remember|include|store|record|save)\s+only\s+|focus\s+only\s+on\s+)(?:(?:anything|everything|all)\s+)?(?:(?:about|on|related to|regarding)\s+)?(.+)$/;
const KIND_WORDS: ReadonlyArray<[RegExp, FactKind]> = [
  [/\b(?:preferences?|prefs?)\b/, "preference"],
  [/\b(?:procedures?|workflows?|rules?|instructions?|how-?tos?|conventions?)\b/, "procedure"],
  [/\b(?:insights?|patterns?)\b/, "insight"],
  [/\b(?:transient|one-?off|debugging|debug|temporary|noise|logs?)\b/, "transient"],
  [/^(?:facts?)$/, "fact"],
];
const SENTENCE_BREAK =
  /[\n.;!]+|,?\s+(?:and|but|then)\s+(?=(?:please\s+)?(?:ignore|skip|exclude|drop|omit|forget|only|focus|keep|don't|do not|never)\b)/;
const GENERIC_TAIL = /\s+(?:notes?|facts?|memories|stuff|things|details|information|info|topics?)$/;
const cache = new Map<string, FactFilter>();
const CACHE_SIZE = 32;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function itemMatcher(raw: string): Matcher | null {
  const item = raw
    .trim()
    .replace(/^(?:the|my|our|any|all)\s+/, "")
    .replace(/[.!]+$/, "")
    .trim();
  if (item === "") return null;
  for (const [pattern, kind] of KIND_WORDS) {
    if (pattern.test(item)) return Object.assign((fact: FilterableFact) => fact.kind === kind, { kind });
  }
  const subject = item.replace(GENERIC_TAIL, "").trim();
  if (subject === "") return null;
  const topic = subject.replace(/\s+/g, "-");
  const keyPart = subject.replace(/[\s-]+/g, "_");
  const word = new RegExp(`(?:^|[^\\p{L}\\p{N}])${escapeRegExp(subject)}(?:$|[^\\p{L}\\p{N}])`, "iu");
  return (fact) => {
    const factTopic = fact.topic.toLowerCase();
    if (factTopic === topic || factTopic.startsWith(`${topic}/`) || factTopic.split("/").includes(topic)) return true;
    if (fact.key.toLowerCase().split(".").includes(keyPart)) return true;
    return word.test(fact.statement);
  };
}

function itemsOf(list: string): Matcher[] {
  return list
    .split(/\s*(?:,|;|&|\band\b|\bor\b)\s*/)
    .map(itemMatcher)
    .filter((matcher): matcher is Matcher => matcher !== null);
}

/**
 * Reads the forms of steering instructions the offline model understands, one per sentence or line:
 * - "ignore X", "skip X", "exclude X", "don't remember/keep/store X" (also "… anything about X");
 * - "only X", "only keep X", "focus only on X" ("focus on X" steers without excluding anything).
 * X is a list (commas, "and", "or") of kinds — preferences, facts, procedures/rules/workflows, insights,
 * transient/one-off/debugging notes — or topics and words: a topic or topic prefix (`tooling`, `projects/atlas`), a
 * segment of a key (`package_manager`), or a word or phrase the statement contains. Everything else in the
 * instructions is not understood by the offline model and has no effect.
 *
 * Kind filters never remove transient notes: they never become memories anyway, and they are what recurring-problem
 * insights are made of ("drop one-off debugging noise" is already how every dream works). Topic and word filters do
 * apply to them.
 */
export function parseInstructions(instructions: string): FactFilter {
  const cached = cache.get(instructions);
  if (cached) return cached;
  const ignore: Matcher[] = [];
  const only: Matcher[] = [];
  for (const sentence of instructions.toLowerCase().split(SENTENCE_BREAK)) {
    const text = sentence.trim();
    const ignored = IGNORE.exec(text);
    if (ignored?.[1] !== undefined) {
      ignore.push(...itemsOf(ignored[1]));
      continue;
    }
    const kept = ONLY.exec(text);
    if (kept?.[1] !== undefined) only.push(...itemsOf(kept[1]));
  }
  const filter: FactFilter = {
    active: ignore.length > 0 || only.length > 0,
    ignoredKinds: new Set(ignore.flatMap((matcher) => (matcher.kind ? [matcher.kind] : []))),
    allows: (fact) => {
      const applies = (matcher: Matcher) => fact.kind !== "transient" || matcher.kind === undefined;
      const onlyHere = only.filter(applies);
      const ignoreHere = ignore.filter(applies);
      return (
        (onlyHere.length === 0 || onlyHere.some((matches) => matches(fact))) &&
        !ignoreHere.some((matches) => matches(fact))
      );
    },
  };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value ?? "");
  cache.set(instructions, filter);
  return filter;
}
