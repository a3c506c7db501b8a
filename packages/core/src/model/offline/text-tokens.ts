import { lower } from "../../util/text.js";

export { lower };
/** A word of a text with its position: `raw` as written, `norm` lowercased with a trailing possessive removed. */
export interface Token {
  raw: string;
  norm: string;
  start: number;
  end: number;
}

// A word: letters/digits, joined by inner `.`, `'`, `/`, `-` (so `node.js`, `don't`, `she/her`, `ledger-api`
// stay one word), with an optional `+`/`#` tail (`c++`, `c#`). Linear: every character is consumed once.
const WORD = /[\p{L}\p{N}](?:[\p{L}\p{N}_]|[.'’/-](?=[\p{L}\p{N}]))*[+#]{0,2}/gu;
const POSSESSIVE = /['’]s$|['’]$/;

const ASCII = /^[\x20-\x7e]*$/;

/** The words of a text, in order. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match !== null; match = WORD.exec(text)) {
    const raw = match[0];
    const folded = ASCII.test(raw) ? raw.toLowerCase() : lower(raw);
    const norm = folded.endsWith("'s") || folded.endsWith("'") ? folded.replace(POSSESSIVE, "") : folded;
    tokens.push({ raw, norm, start: match.index, end: match.index + raw.length });
  }
  return tokens;
}

const words = (list: string) => new Set(list.split(/\s+/).filter((word) => word.length > 0));

/** Words that carry no subject: articles, pronouns, auxiliaries, prepositions, fillers, relative time. */
export const STOPWORDS = words(`
  a an the and or but nor of to in on at for with by from as into onto about per via than then so if
  is are was were be been being am 's 're 've 'd 'll it its it's this that these those there here
  i me my mine myself we us our ours ourselves you your yours he him his she her hers they them their theirs
  user user's users team team's who whom whose which what when where why how
  do does did doing done don't doesn't didn't not no never always ever
  can could will would shall should must may might need needs needed have has had having get gets got
  please really just also still now currently usually generally mostly mainly typically often sometimes
  anything everything something nothing all any every each some both either neither other others one ones
  everywhere anywhere exclusively
  way btw fyi even again too very quite rather much more most less least only first longer
  today tonight yesterday tomorrow week weekend month year morning afternoon evening night ago last next recently
  let let's lets ok okay yes yeah thanks thank
`);

/**
 * Verbs and words that say how a subject is held rather than what it is: removed from keys so that "prefers tabs",
 * "uses tabs" and "tabs" name one subject.
 */
export const WEAK_WORDS = words(`
  use uses using used prefer prefers preferred preferring like likes liked love loves enjoy enjoys want wants
  written built based made powered stored kept go goes going
`);

/** Modal and polarity words that flip a rule's value but not its subject ("always X" / "never X"). */
export const POLARITY_WORDS = words("always never not no don't do does doesn't ever avoid avoids");

const SYNONYMS: Record<string, string[]> = {
  pr: ["pull", "request"],
  prs: ["pull", "request"],
  db: ["database"],
  dbs: ["database"],
  repo: ["repository"],
  repos: ["repository"],
  ts: ["typescript"],
  js: ["javascript"],
  k8s: ["kubernetes"],
  postgres: ["postgresql"],
  pg: ["postgresql"],
  nvim: ["neovim"],
  env: ["environment"],
  deps: ["dependency"],
  config: ["configuration"],
  dir: ["directory"],
  tz: ["timezone"],
};

/** Words never stemmed: tool names and short words whose tail is not an inflection. */
const UNSTEMMED = words(`
  postgres kubernetes redis aws gcp ios macos windows jenkins ts-jest pytest vitest jest chess yes gas bus
  this is was has does us as its always perhaps news series species analysis basis canvas atlas alias status
`);

const VOWEL = /[aeiouy]/;

/**
 * A light suffix stripper so that inflections meet: `tests`→`test`, `runs`→`run`, `committing`→`commit`,
 * `pushed`→`push`, `libraries`→`library`. Not a linguistic stemmer; its only job is to make keys and word sets
 * agree across first-person, third-person and gerund wordings.
 */
export function stem(word: string): string {
  if (word.length <= 3 || UNSTEMMED.has(word) || /[^a-z]/.test(word)) return word;
  let base = word;
  if (base.endsWith("ies") && base.length > 4) base = `${base.slice(0, -3)}y`;
  else if (/(?:ches|shes|xes|zes|sses)$/.test(base)) base = base.slice(0, -2);
  else if (base.endsWith("s") && !/(?:ss|us|is)$/.test(base)) base = base.slice(0, -1);
  if (base.endsWith("ing") && base.length >= 6) return undouble(base.slice(0, -3));
  if (base.endsWith("ed") && base.length >= 5 && !base.endsWith("eed")) return undouble(base.slice(0, -2));
  return base;
}

function undouble(base: string): string {
  if (!VOWEL.test(base)) return base;
  const last = base.at(-1);
  if (base.length > 3 && last === base.at(-2) && last !== undefined && !"lsz".includes(last)) {
    return base.slice(0, -1);
  }
  return base;
}

const KEY_WORDS_CACHE = new Map<string, readonly string[]>();
const KEY_WORDS_CACHE_SIZE = 50_000;

/** A token in the form keys and word sets use: synonyms expanded, stemmed, punctuation folded to `_`. */
export function keyWords(norm: string): readonly string[] {
  const cached = KEY_WORDS_CACHE.get(norm);
  if (cached !== undefined) return cached;
  const expanded = SYNONYMS[norm] ?? [norm];
  const words = expanded.map((word) =>
    stem(word)
      .replace(/[^\p{L}\p{N}]+/gu, "_")
      .replace(/^_+|_+$/g, ""),
  );
  if (KEY_WORDS_CACHE.size >= KEY_WORDS_CACHE_SIZE) KEY_WORDS_CACHE.clear();
  KEY_WORDS_CACHE.set(norm, words);
  return words;
}

/** True for words a key or comparison ignores. */
export function isFiller(norm: string): boolean {
  return STOPWORDS.has(norm) || WEAK_WORDS.has(norm) || POLARITY_WORDS.has(norm);
}

/**
 * The content words of a text as a set: fillers removed, synonyms expanded, stemmed. What near-duplicate
 * comparisons and recurring-problem grouping work on.
 */
export function contentSet(text: string): Set<string> {
  const set = new Set<string>();
  for (const token of tokenize(text)) {
    if (isFiller(token.norm)) continue;
    for (const word of keyWords(token.norm)) if (word !== "" && !isFiller(word)) set.add(word);
  }
  return set;
}

/** At most `max` UTF-16 units of `text`, never splitting a surrogate pair: still an exact prefix of the text. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return text.slice(0, cut);
}
