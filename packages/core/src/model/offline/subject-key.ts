import { sha256 } from "../../util/hash.js";
import { type Category, categoryByKey, findNouns, findValues, isLexiconValue, nounCategory } from "./lexicon.js";
import { isFiller, keyWords, lower, STOPWORDS, type Token, tokenize } from "./text-tokens.js";

/** The subject a statement is about: its key, and the known category when there is one. */
export interface SubjectKey {
  key: string;
  category: Category | undefined;
  /** Who the statement is about when it says so: the user, the team, or neither (a thing, a rule). */
  about: "user" | "team" | "other";
}

/** Labels that introduce a note rather than name a subject (`Note: …`, `Heads up: …`). */
export const NOTE_LABEL =
  /^\s*(?:note|notes|important|reminder|tip|rule|fyi|nb|n\.b\.|update|heads up|heads-up|todo|decision|remember|psa)\s*[:\-–—]\s+/i;

const NAME_VERBS =
  "(?:is|was|has|had|prefers|likes|loves|hates|dislikes|lives|moved|relocated|works|worked|uses|used|wants|goes|'s|'d)";
const NAME_ADVERBS = "(?:always|never|usually|now|also|just|recently|really|still|currently)";
const USER_SUBJECT = new RegExp(
  `^(?:[Tt]he [Uu]ser|[Uu]ser|[Ii](?=['\\s])|[A-Z][\\p{Ll}'-]{1,30}(?=\\s+${NAME_VERBS}\\b)|[A-Z][\\p{Ll}'-]{0,29}(?<!s)(?=\\s+${NAME_ADVERBS}\\b))`,
  "u",
);
const COPULA_AFTER = /^(?:\s+(?:is|was|has|had)\b|'s\b)/;
const TEAM_SUBJECT = /^(?:the team|our team|team|we(?=['\s]))/i;

const POSSESSIVE_PRONOUN =
  /^(?:(?:the\s+)?user's|my|our|(?:the\s+)?team's|his|her|their)\s+([^,;:.!?()]{1,60}?)\s+(?:is|are|was|were)\s+\S/i;
const POSSESSIVE_NAME = /^[A-Z][\p{Ll}-]{1,30}'s\s+([^,;:.!?()]{1,60}?)\s+(?:is|are|was|were)\s+\S/u;
const TEAM_POSSESSIVE = /^(?:our|(?:the\s+)?team's)\s/i;
const LABEL_VALUE = /^([^:\n`]{1,40}?)\s*:\s+\S/;
const X_MODIFIERS = new Set(
  "favorite favourite preferred main primary default usual current go-to daily personal regular standard".split(" "),
);

const COMM_LANGUAGE =
  /\b(?:reply|replies|respond|responds|answer|answers|write|writes|talk|talks|speak|speaks|communicate|communicates)\b(?:\s+(?:to|me|us|back|only|always|all|your|the|answers|replies|responses))*\s+in\s+(?:english|german|french|spanish|portuguese|italian|dutch|polish|swedish|norwegian|danish|finnish|japanese|chinese|mandarin|korean|russian|ukrainian|turkish|arabic|hebrew|hindi|greek|czech|romanian|hungarian|vietnamese|thai|indonesian)\b/;
const VERBOSITY =
  /\b(?:answers|responses|replies|explanations|messages|summaries)\b(?:\s+\S+){0,3}?\s+(?:short|shorter|brief|concise|terse|succinct|detailed|thorough|long|longer|verbose|to the point)\b|\b(?:short|shorter|brief|concise|terse|succinct|detailed|verbose|lengthy)\s+(?:answers|responses|replies|explanations)\b|^(?:please\s+)?(?:always\s+)?be\s+(?:more\s+)?(?:brief|concise|terse|succinct)\b/;
const LOCATION =
  /\b(?:lives?|living|moved|moves|relocated|relocating|based|located|resides?|residing)\s+(?:in|to)\s+\S/;
const ROLE_NOUNS =
  "(?:engineer|developer|dev|designer|manager|scientist|researcher|student|lead|architect|analyst|consultant|founder|co-founder|cto|ceo|cfo|vp|director|administrator|admin|sre|programmer|intern|contractor|freelancer|product owner|teacher|writer|maintainer|pm)";
const ROLE = new RegExp(
  `^(?:'m|\\s+(?:is|am|was)|\\s+works?\\s+as|\\s+worked\\s+as)\\s+(?:an?\\s+)?(?:[\\p{L}-]+\\s+){0,4}?${ROLE_NOUNS}s?\\b`,
  "u",
);
const EMPLOYER = /\bworks?\s+(?:at|for)\s+(?!a\s+(?:bit|while)\b|the\s+moment\b|now\b)\S/;
const NAME_CALL = /\b(?:wants? to be called|goes by|go by|call me)\s+[a-z]/;
const TZ_VALUE =
  /\b(?:(?:africa|america|asia|atlantic|australia|europe|pacific|indian|antarctica)\/[a-z_]+|(?:utc|gmt)\s?[+-]\s?\d{1,2}(?::?\d{2})?)\b/;
const IN_OR_ON = /\b(?:is|am|'m)\s+(?:in|on)\b/;
const USES_FOR =
  /\b(?:use|uses|used|using|rel(?:y|ies|ied) on)\s+(?:[^\s,;]+\s+){1,4}?for\s+((?:the\s+|our\s+|its\s+|all\s+)?[\p{L}\p{N} -]{3,60}?)\s*(?:[,;.!]|$|\s+(?:now|too|as well)\b)/u;

const USAGE_CUES = new Set(
  `use uses using used prefer prefers preferred like likes liked love loves switch switched switching migrate migrated
   migrating move moved moving adopt adopted choose chose chosen pick picked hate hates dislike dislikes avoid avoids
   over than instead rather stick sticks default defaults on in with via to from standardize standardized standardise
   standardised settle settled try tried replace replaced`.split(/\s+/),
);

const LINK_VERBS = new Set(
  `is are was were be runs run lives live has have goes points point sits belongs belong defaults default means mean
   needs need requires require takes take stays stay happens happen gets get equals should must can will live lives
   expects expect contains contain costs cost holds hold`.split(/\s+/),
);

const IMPERATIVE_LEADS = new Set(
  `always never don't do use run avoid prefer keep write add ask check make put ensure commit push deploy test call
   install set follow read review update create remove delete build start stop open close respond reply answer explain
   include mention format name store save send wait try prefix limit document give show tell skip cap pin tag log
   squash rebase merge lint type annotate default stick let's lets be`.split(/\s+/),
);

const KEY_TOKEN_CHARS = 30;
/** Words after which a preference names what it is preferred over: not part of the subject. */
const COMPARATIVES = new Set(["over", "than", "instead", "rather", "versus", "vs"]);

/**
 * The normalized subject key of a statement, by the same rules for every source (a user's utterance turned into a
 * statement, a line of an existing memory), so statements about one subject collide:
 * 1. a known category (lexicon value chosen with a usage cue, a category noun, a structural form such as
 *    "lives in", "is a … engineer", "reply in German", "keep answers short");
 * 2. a possessive or label form ("my X is Y", "Her X is Y", "X: Y") keyed by X;
 * 3. "uses X for Y" keyed by Y;
 * 4. otherwise the content words, split into subject and predicate at the first linking verb, with the values of
 *    the predicate (numbers, versions, paths, names, tool names) masked so "runs on port 5432" and "runs on port
 *    5433" meet.
 */
export function subjectKey(statement: string): SubjectKey {
  const text = statement.normalize("NFKC").replace(/[’‘]/g, "'").replace(NOTE_LABEL, "").trim();
  const low = lower(text);
  const tokens = tokenize(text);
  const userSubject = USER_SUBJECT.exec(text);
  const about = userSubject ? "user" : TEAM_SUBJECT.test(text) || TEAM_POSSESSIVE.test(text) ? "team" : "other";
  const known = (key: string): SubjectKey => ({ key, category: categoryByKey(key), about });

  if (COMM_LANGUAGE.test(low)) return known("communication.language");
  if (VERBOSITY.test(low)) return known("communication.verbosity");

  const possessive = POSSESSIVE_PRONOUN.exec(text) ?? POSSESSIVE_NAME.exec(text);
  if (possessive?.[1] !== undefined) {
    const holder = possessiveHolder(possessive[1]);
    const category = nounCategory(holder);
    if (category) return { key: category.key, category, about: about === "other" ? "user" : about };
    const key = joinWords(holder);
    if (key !== "") return { key, category: undefined, about: about === "other" ? "user" : about };
  }

  const valueCategory = categoryOfValues(text, tokens);
  if (valueCategory) return { key: valueCategory.key, category: valueCategory, about };

  if (userSubject) {
    const rest = lower(text.slice(userSubject[0].length));
    if (LOCATION.test(low)) return known("home.location");
    if (ROLE.test(rest)) return known("profile.role");
    if (EMPLOYER.test(rest)) return known("profile.employer");
    if (NAME_CALL.test(rest)) return known("profile.name");
    if (IN_OR_ON.test(rest) && (TZ_VALUE.test(rest) || hasTimezoneAbbreviation(tokens))) {
      return known("profile.timezone");
    }
  }
  if (NAME_CALL.test(low) && /^(?:please\s+)?call me\b/.test(low)) return known("profile.name");

  const label = LABEL_VALUE.exec(text);
  if (label?.[1] !== undefined) {
    const holder = possessiveHolder(label[1]);
    const labelHasVerb = tokenize(label[1]).some((token) => LINK_VERBS.has(token.norm));
    const named = holder.some((token) => /^\p{L}+$/u.test(token.norm));
    if (!labelHasVerb && named && holder.length > 0 && holder.length <= 4) {
      const category = nounCategory(holder);
      if (category) return { key: category.key, category, about };
      const key = joinWords(holder);
      if (key !== "") return { key, category: undefined, about };
    }
  }

  const usesFor = USES_FOR.exec(low);
  if (usesFor?.[1] !== undefined) {
    const purpose = joinWords(tokenize(usesFor[1]));
    if (purpose !== "") return { key: `tooling.${purpose}`, category: undefined, about };
  }

  const plainUser =
    userSubject !== null &&
    (/^(?:the user|user|i)$/i.test(userSubject[0]) || !COPULA_AFTER.test(text.slice(userSubject[0].length)));
  return { key: fallbackKey(text, tokens, plainUser ? (userSubject?.[0] ?? null) : null), category: undefined, about };
}

/** The X of "my X is Y" without its possessive tail and modifiers ("favorite editor" → "editor"). */
function possessiveHolder(phrase: string): Token[] {
  return tokenize(phrase).filter((token) => !X_MODIFIERS.has(token.norm) && !STOPWORDS.has(token.norm));
}

function hasTimezoneAbbreviation(tokens: readonly Token[]): boolean {
  return findValues(tokens).some((hit) => hit.category.key === "profile.timezone");
}

/**
 * The category whose value the statement chooses: the value must not be a modifier of a following noun ("TypeScript
 * strict mode" is about strict mode) and must come with a usage cue just before it, the category's noun somewhere,
 * or nothing else of substance ("pnpm", "Uses pnpm.").
 */
function categoryOfValues(text: string, tokens: readonly Token[]): Category | undefined {
  const values = findValues(tokens);
  if (values.length === 0) return undefined;
  const nouns = findNouns(tokens);
  for (const hit of values) {
    const category = hit.category;
    const nounPresent = nouns.some((noun) => noun.category === category);
    if (category.valuesNeedNoun && !nounPresent) continue;
    if (isModifier(text, tokens, hit.index + hit.length)) continue;
    if (category.key === "profile.pronouns" || nounPresent) return category;
    const cue = tokens.slice(Math.max(0, hit.index - 3), hit.index).some((token) => USAGE_CUES.has(token.norm));
    if (cue) return category;
    const others = tokens.filter((_, index) => index < hit.index || index >= hit.index + hit.length);
    if (others.every((token) => isFiller(token.norm))) return category;
  }
  return undefined;
}

function isModifier(text: string, tokens: readonly Token[], nextIndex: number): boolean {
  const next = tokens[nextIndex];
  const previous = tokens[nextIndex - 1];
  if (next === undefined || previous === undefined) return false;
  if (text.slice(previous.end, next.start).trim() !== "") return false;
  if (/['’]s$/.test(previous.raw)) return true;
  return /^\p{L}/u.test(next.norm) && !isFiller(next.norm) && !isLexiconValue(next.norm);
}

/** Content words of tokens, stemmed, joined with `_`. */
function joinWords(tokens: readonly Token[], limit = 6): string {
  return unique(tokens.filter((token) => !isFiller(token.norm)).flatMap((token) => keyWords(token.norm)))
    .filter((word) => word !== "" && !isFiller(word))
    .slice(0, limit)
    .map((word) => word.slice(0, KEY_TOKEN_CHARS))
    .join("_");
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/** A value inside a predicate: a number, version, path, file, URL, quoted or code span, name or tool. */
function isValueLike(text: string, token: Token, first: boolean): boolean {
  if (/\d/.test(token.raw)) return true;
  if (/[./]\p{L}/u.test(token.raw) || token.raw.includes("@")) return true;
  if (!first && /^\p{Lu}/u.test(token.raw)) return true;
  if (isLexiconValue(token.norm)) return true;
  const before = text[token.start - 1];
  return before === "`" || before === '"' || before === "'";
}

function fallbackKey(text: string, tokens: readonly Token[], userSubject: string | null): string {
  let start = 0;
  if (userSubject !== null) {
    while (start < tokens.length && (tokens[start]?.end ?? 0) <= userSubject.length) start++;
  } else {
    const team = TEAM_SUBJECT.exec(text);
    if (team) while (start < tokens.length && (tokens[start]?.end ?? 0) <= team[0].length) start++;
  }
  const firstContent = tokens.slice(start).find((token) => !["please", "pls", "plz"].includes(token.norm));
  const imperative =
    userSubject !== null || start > 0 || (firstContent !== undefined && IMPERATIVE_LEADS.has(firstContent.norm));
  let subject: Token[] = [];
  let predicate: Token[];
  if (imperative) {
    predicate = tokens.slice(start).filter((token) => !/^\d/.test(token.raw));
  } else {
    const split = tokens.findIndex((token, index) => index > 0 && LINK_VERBS.has(token.norm));
    if (split > 0) {
      subject = tokens.slice(0, split);
      predicate = tokens.slice(split + 1).filter((token) => !isValueLike(text, token, false));
    } else {
      predicate = tokens.filter((token, index) => !/^\d/.test(token.raw) || index === 0);
    }
  }
  const comparison = predicate.findIndex((token) => COMPARATIVES.has(token.norm));
  if (comparison > 0 && joinWords(predicate.slice(0, comparison)) !== "") predicate = predicate.slice(0, comparison);
  const head = joinWords(subject, 4);
  const tail = joinWords(predicate, head === "" ? 6 : 3);
  const key = head !== "" && tail !== "" ? `${head}.${tail}` : head || tail;
  return key !== "" ? key : `note.${sha256(lower(text)).slice(0, 12)}`;
}
