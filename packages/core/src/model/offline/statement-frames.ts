import {
  CHILDREN,
  CONDITIONS,
  DIETS,
  DO_HOBBIES,
  HELD_CONDITIONS,
  isSingleValued,
  looksDescriptive,
  NATIONALITIES,
  PERSON_NOUNS,
  PETS,
  ROLE_HEADS,
  SPOKEN_LANGUAGES,
  valueCategory,
} from "./attribute-lexicon.js";
import { type NotLasting, notLasting } from "./lasting-state.js";
import { nounCategory } from "./lexicon.js";
import type { Token } from "./nlp-analysis.js";
import { finishStatement, thirdPerson } from "./person.js";
import { tokenize } from "./text-tokens.js";

/** A fact read from one clause by a statement frame: a subject's attribute and the value the clause gives it. */
export interface FrameFact {
  key: string;
  kind: "fact" | "preference";
  statement: string;
  /** The value exactly as written (a whole-token span of the source). */
  value: string;
  cardinality?: "single";
  polarity?: "negative";
}

/**
 * What the frames made of a clause: its facts, and who the clause is about when it gives none. `reason`: why a
 * clause about the user or the team gives none although a frame might read it (a past state, a state of the moment).
 */
export interface FrameResult {
  facts: FrameFact[];
  subject: "user" | "team" | "entity" | "third_party" | "none";
  reason?: Exclude<NotLasting, null>;
}

const LEAD = new Set(
  "oh ok okay so also and but btw fwiw fyi tbh ngl imo imho lol well anyway anyways hmm umm um uh right yeah yes honestly personally frankly actually ps plus then alright hey hi sorry".split(
    " ",
  ),
);
const TIME_LEAD = new Set("today yesterday tonight recently lately earlier".split(" "));
const PERIODS = new Set(
  "week weekend month year night morning afternoon evening spring summer autumn fall winter".split(" "),
);
const SKIP_ADVERBS = new Set(
  "also really much mostly mainly just now recently still finally actually currently usually totally absolutely personally generally definitely even only basically officially happily primarily originally fully completely strictly".split(
    " ",
  ),
);
const TIME_STOP = new Set(
  "now today yesterday tonight tomorrow last next this these those recently again too anymore already lately ago soon then here there since until while when as".split(
    " ",
  ),
);
const DEICTIC = new Set("this that it these those them something anything everything stuff things one".split(" "));
/** Chat fillers that close a clause ("my name's Tiago btw"): never part of a value. */
const DISCOURSE = new Set("btw fyi lol tbh imo imho fwiw haha lmao ngl tho idk rn".split(" "));
const VALUE_POS = new Set(["ADJ", "NOUN", "PROPN", "NUM", "X", "SYM"]);
const GENERIC_ENTITY = new Set(
  "api service services app repo repository project codebase package module the tests test".split(" "),
);
/** Heads of a team's things that are not people ("the ingest worker", "the orders table", "tests"). */
const THING_HEADS = new Set("worker table cluster frontend backend site docs tests".split(" "));
/** Verbs the frames read; a third-person form the tagger took for a noun ("User lives …") is read back to them. */
const FRAME_VERBS = new Set(
  `live reside grow move relocate switch migrate change upgrade transition replace work join start take get quit leave
   give stop drop ditch abandon keep rent own adore use rely run deploy host write code program pick play do speak learn have adopt add
   hire bring like love enjoy hate dislike detest prefer drive study drink eat knit swim cook paint surf climb`.split(
    /\s+/,
  ),
);
const SCOPE_NOUNS = new Set("project repo repository codebase monorepo service app package".split(" "));
const ENTITY_KINDS = new Set("server host machine node cluster bucket instance vm box database db".split(" "));
const RUNTIMES = new Set(["node", "node.js", "nodejs", "deno"]);
const PROGRAMMING = new Set(["go", "Go"]);
const VERBOSITY_NOUNS = new Set(
  "answers answer responses response replies reply explanations explanation messages summaries".split(" "),
);
const VERBOSITY_WORDS = new Set(
  "short shorter brief concise terse succinct detailed thorough long longer verbose".split(" "),
);
/** Modifiers that say when: "morning meetings", "early flights". */
const TIME_OF_DAY = new Set(
  "morning afternoon evening night late early midday lunchtime weekend weekday overnight daytime".split(" "),
);
/** How well a language is spoken: "I speak fluent Arabic". */
const PROFICIENCY = new Set("fluent native basic conversational decent good some broken passable".split(" "));
const FAN_SIZE = new Set(["big", "huge", "massive", "great", "enormous", "longtime", "long-time"]);
/** Holders of "my X is Y" that are a thought, a plan or a stretch of time, not a lasting attribute. */
const MOMENT_HOLDERS = new Set(
  `point question concern idea thought plan worry problem issue suggestion understanding assumption hope bet mistake
   fault pleasure apology apologies take feeling sense impression answer reply response guess day week morning
   evening night weekend afternoon mood excuse fear doubt goal priority focus`.split(/\s+/),
);
const NOT_NAMES = new Set(
  `sorry done back here good fine not just still ok okay happy glad sure ready busy free afraid confused lost stuck new
   going also really actually working trying using looking curious wondering in on at away out off late tired aware
   home there hungry excited`.split(/\s+/),
);

interface Clause {
  source: string;
  tokens: readonly Token[];
}

/** A range of token indices, `end` exclusive. */
interface Range {
  start: number;
  end: number;
}

function low(clause: Clause, index: number): string {
  return clause.tokens[index]?.low ?? "";
}

function slice(clause: Clause, range: Range): string {
  const first = clause.tokens[range.start];
  const last = clause.tokens[range.end - 1];
  return first && last ? clause.source.slice(first.start, last.end) : "";
}

/** Index of the first token after lead-in words ("oh", "so", "btw", "by the way", commas). */
function skipLeadIn(clause: Clause): number {
  let index = 0;
  while (index < clause.tokens.length) {
    const token = clause.tokens[index];
    if (!token) break;
    if (token.pos === "PUNCT" || LEAD.has(token.low) || TIME_LEAD.has(token.low) || token.pos === "INTJ") index++;
    else if (["last", "this", "earlier"].includes(token.low) && PERIODS.has(low(clause, index + 1))) index += 2;
    else if (token.low === "by" && low(clause, index + 1) === "the" && low(clause, index + 2) === "way") index += 3;
    else break;
  }
  return index;
}

/** Words a leading phrase may hold before the subject: "At work I …", "By trade I'm …", "In my spare time I …". */
const LEAD_PHRASE_POS = new Set(["DET", "ADJ", "NOUN", "PROPN", "NUM"]);

/**
 * Index of a first-person subject after a short leading prepositional phrase ("At work I write Elixir", "By trade
 * I'm a carpenter", "Timezone-wise I'm on IST"), or `from` when there is none.
 */
function skipLeadPhrase(clause: Clause, from: number): number {
  const first = clause.tokens[from];
  const wise = first !== undefined && low(clause, from + 1) === "-" && low(clause, from + 2) === "wise";
  if (!first || (first.pos !== "ADP" && !wise)) return from;
  let at = wise ? from + 3 : from + 1;
  while (
    at < from + 5 &&
    (LEAD_PHRASE_POS.has(clause.tokens[at]?.pos ?? "") || ["my", "our"].includes(low(clause, at)))
  )
    at++;
  if (at === from + 1 && !wise) return from;
  if (low(clause, at) === ",") at++;
  return ["i", "we"].includes(low(clause, at)) ? at : from;
}

/** Skips adverbs and negation after a subject; returns the next index and whether the verb is negated. */
function skipModifiers(clause: Clause, from: number): { index: number; negated: boolean } {
  let index = from;
  let negated = false;
  for (;;) {
    const word = low(clause, index);
    if (word === "no" && low(clause, index + 1) === "longer") {
      negated = true;
      index += 2;
    } else if (word === "not" || word === "n't" || word === "never") {
      negated = true;
      index++;
    } else if (SKIP_ADVERBS.has(word)) index++;
    else return { index, negated };
  }
}

/**
 * The noun phrase starting at `from` (determiners, "a bit of" skipped): adjectives, nouns, names, numbers and
 * versions, stopping at time words, punctuation, verbs and prepositions. `activity` also accepts an -ing verb.
 */
function nounPhrase(
  clause: Clause,
  from: number,
  options: { activity?: boolean; through?: string[] } = {},
): Range | null {
  let start = from;
  while (["a", "an", "the", "my", "our", "some", "his", "her", "both"].includes(low(clause, start))) start++;
  if (low(clause, start) === "bit" && low(clause, start + 1) === "of") start += 2;
  let end = start;
  for (;;) {
    const token = clause.tokens[end];
    if (!token) break;
    if (TIME_STOP.has(token.low) || DEICTIC.has(token.low) || DISCOURSE.has(token.low) || isWorkload(clause, end))
      break;
    const inner = end > start;
    const activity = options.activity === true && token.pos === "VERB" && token.low.endsWith("ing");
    if (!/[\p{L}\p{N}]/u.test(token.text) && !CONNECTORS.has(token.text)) break;
    if (isTimeAgo(clause, end)) break;
    if (VALUE_POS.has(token.pos) || activity || isNameLike(clause, end)) {
      end++;
      continue;
    }
    if (inner && (token.text === "-" || token.text === ".") && VALUE_POS.has(clause.tokens[end + 1]?.pos ?? "")) {
      const next = clause.tokens[end + 1];
      if (next && next.start === token.end && token.start === clause.tokens[end - 1]?.end) {
        end += 2;
        continue;
      }
    }
    const following = clause.tokens[end + 1];
    const participle =
      token.pos === "VERB" &&
      token.low.endsWith("ed") &&
      !["named", "called"].includes(token.low) &&
      ["NOUN", "PROPN"].includes(following?.pos ?? "");
    const listedAdjective =
      inner &&
      token.text === "," &&
      clause.tokens[end - 1]?.pos === "ADJ" &&
      following !== undefined &&
      (following.pos === "ADJ" || (following.pos === "VERB" && following.low.endsWith("ed")));
    if (participle || listedAdjective) {
      end++;
      continue;
    }
    const before = clause.tokens[end - 1];
    const ordinal = /^\d{1,2}(?:st|nd|rd|th)$/i.test(before?.text ?? "");
    if (inner && token.low === "of" && (isCapitalised(before) || ordinal) && isCapitalised(following)) {
      // "Ministry of Health", "Bank of America", "the 2nd of November": one name.
      end++;
      continue;
    }
    if (inner && options.through?.includes(token.low) && VALUE_POS.has(clause.tokens[end + 1]?.pos ?? "")) {
      end++;
      continue;
    }
    break;
  }
  while (end > start && clause.tokens[end - 1]?.pos === "ADJ" && !/^\d/.test(clause.tokens[end - 1]?.text ?? "")) end--;
  if (end === start) return null;
  end = wordEnd(clause, end);
  start = wordStart(clause, start);
  const head = clause.tokens[end - 1];
  if (!head || DEICTIC.has(head.low)) return null;
  return { start, end };
}

/** The end of the written word that token `index - 1` ends in: tokens glued to it ("end-to-end") belong to it. */
function wordEnd(clause: Clause, index: number): number {
  let end = index;
  while (end > 0 && end < clause.tokens.length) {
    const token = clause.tokens[end];
    const previous = clause.tokens[end - 1];
    if (!token || !previous || token.start !== previous.end || /^[.,;:!?)\]"'’]+$/.test(token.text)) break;
    end++;
  }
  return end;
}

/** The start of the written word that token `index` starts in. */
function wordStart(clause: Clause, index: number): number {
  let start = index;
  while (start > 0) {
    const token = clause.tokens[start];
    const previous = clause.tokens[start - 1];
    if (!token || !previous || token.start !== previous.end || /^[(["'‘]+$/.test(previous.text)) break;
    start--;
  }
  return start;
}

function isCapitalised(token: Token | undefined): boolean {
  return token !== undefined && /^\p{Lu}/u.test(token.text);
}

/** A capitalised word inside a clause ("Go", "Fly"), or a number-like word ("3rd"): a value whatever its tag. */
function isNameLike(clause: Clause, index: number): boolean {
  const token = clause.tokens[index];
  if (!token || index === 0 || token.low === "i") return false;
  return /^\p{Lu}[\p{L}\p{N}]*$/u.test(token.text) || /^\d/.test(token.text);
}

/** Nouns of a time a prepositional phrase can name: "on weekends", "in the morning" say when, not what. */
const TIME_NOUNS = new Set(
  `morning mornings afternoon afternoons evening evenings night nights weekend weekends week weeks day days summer
   winter spring autumn fall monday mondays tuesday tuesdays wednesday wednesdays thursday thursdays friday fridays
   saturday saturdays sunday sundays holidays time`.split(/\s+/),
);

/** Particles of a phrasal verb: "getting up early", "going out", "eating out". */
const PARTICLES = new Set("up out off down away back around".split(" "));
const TIME_UNITS = new Set(
  "second seconds minute minutes hour hours day days week weeks month months year years".split(" "),
);

/** "full-time", "part-time": how much, not part of the value before it ("I'm on Neovim full-time"). */
function isWorkload(clause: Clause, at: number): boolean {
  return ["full", "part"].includes(low(clause, at)) && low(clause, at + 1) === "-" && low(clause, at + 2) === "time";
}

/** "two years ago", "a few weeks ago": a time, not part of the value before it. */
function isTimeAgo(clause: Clause, at: number): boolean {
  const count = clause.tokens[at];
  if (count?.pos !== "NUM" && !["a", "few", "several", "couple", "many"].includes(count?.low ?? "")) return false;
  for (let unit = at + 1; unit <= at + 3; unit++) {
    if (TIME_UNITS.has(low(clause, unit))) return low(clause, unit + 1) === "ago";
  }
  return false;
}

/** Marks that join the parts of one written value ("sci-fi", "Fly.io", "she/her", "C++"); an emoji ends a value. */
const CONNECTORS = new Set(["-", ".", "/", "+", "#", "_", "'"]);
/** Prepositions whose phrase narrows a liked thing: "meetings before 10", "YAML in configs" (not "for its speed"). */
const RESTRICTING = new Set("before after with without from in on at about near outside during".split(" "));
/** Prepositions that compare a liked thing with another: never part of it. An activity takes any other. */
const COMPARING = new Set(["over", "than", "like", "as", "instead", "rather", "because"]);

/**
 * What is liked ends with what narrows it: "working late", "working from cafés", "hiking in the Alps", "meetings
 * before 10" — not at the head. A phrase saying when ("on weekends", "in the morning") is not part of it.
 */
function complementEnd(clause: Clause, phrase: Range): number {
  const first = clause.tokens[phrase.start];
  let end = phrase.end;
  const bare = phrase.end - phrase.start === 1 && first?.pos === "NOUN" && first.lemma === first.low;
  const gerund = first !== undefined && (first.pos === "VERB" || bare) && /..ing$/.test(first.low);
  if (gerund && PARTICLES.has(low(clause, end))) end++;
  const next = clause.tokens[end];
  if (gerund && next && (next.pos === "ADV" || next.pos === "ADJ") && !TIME_STOP.has(next.low) && !LEAD.has(next.low))
    end++;
  const preposition = clause.tokens[end];
  const takes = gerund ? !COMPARING.has(preposition?.low ?? "") : RESTRICTING.has(preposition?.low ?? "");
  const adposition = preposition?.pos === "ADP" || (gerund && preposition?.low === "to");
  if (gerund && preposition?.low === "to" && clause.tokens[end + 1]?.pos === "VERB") {
    // "cycling to work": the destination is a verb's noun to the tagger.
    return wordEnd(clause, end + 2);
  }
  if (adposition && takes) {
    const object = nounPhrase(clause, end + 1);
    const head = object ? clause.tokens[object.end - 1]?.low : undefined;
    if (object && head && !TIME_NOUNS.has(head)) end = object.end;
  }
  return end;
}

/** A list of noun phrases: "Spanish and Italian", "English, Hindi and Tamil". */
function nounPhraseList(
  clause: Clause,
  from: number,
  options: { activity?: boolean; complement?: boolean } = {},
): Range[] {
  const list: Range[] = [];
  let index = from;
  let joined = false;
  for (;;) {
    const found = nounPhrase(clause, index, options);
    if (!found) break;
    const phrase = options.complement ? { start: found.start, end: complementEnd(clause, found) } : found;
    list.push(phrase);
    index = phrase.end;
    if (low(clause, index) === ",") index++;
    if (low(clause, index) === "and" || low(clause, index) === "or") {
      index++;
      joined = true;
    } else if (low(clause, index - 1) !== ",") break;
  }
  // Commas with no "and"/"or" ("I love waiting for CI, best part of my day") may join anything, not a list: only
  // the first phrase is sure.
  return joined ? list : list.slice(0, 1);
}

/** Collects the facts of one clause, building each statement from whole tokens of the source. */
class Builder {
  readonly facts: FrameFact[] = [];
  constructor(
    private readonly clause: Clause,
    private readonly subjectStart: number,
    private negated: boolean,
    /** A second verb of the subject ("we dropped X and now deploy on Y"): its statements join the two. */
    private readonly conjunct?: { subjectEnd: number; verbStart: number },
  ) {}

  /**
   * Whether a liked or disliked value is surely what is liked: not something said in the conversation ("I'm a fan
   * of the idea"), a person ("I love my wife": about them), a comparative ("I love my kids more" read as "more"), a
   * possessor cut from what it owns ("I like Sarah's idea" read as "Sarah's"), or a thing with a "with" phrase whose
   * reach is unsure ("I love hiking with the dog", "I hate YAML with a passion"), or something of one's own ("I love my
   * job", "I hate our office"): a feeling about it, not a taste.
   */
  private sureOpinion(key: string, value: Range): boolean {
    const words = this.clause.tokens.slice(value.start, value.end).map((token) => token.low);
    const head = words[words.length - 1] ?? "";
    if (COMPARATIVES.has(head) || head === "'s" || head.endsWith("'s")) return false;
    if (PERSON_NOUNS.has(head) || PERSON_NOUNS.has(key.split(".").pop() ?? "")) return false;
    if (key !== "user.likes" && key !== "user.dislikes") return true;
    if (["my", "our", "his", "her", "their", "your"].includes(low(this.clause, value.start - 1))) return false;
    return !DISCOURSE_NOUNS.has(head) && !words.includes("with");
  }

  /** The clause's verb is negated: every fact it adds is a retraction unless told otherwise. */
  negate(): void {
    this.negated = true;
  }

  add(
    key: string,
    kind: FrameFact["kind"],
    value: Range,
    options: { negative?: boolean; prefixEnd?: number; through?: number; single?: boolean } = {},
  ): void {
    const { source, tokens } = this.clause;
    const first = tokens[this.subjectStart];
    value = { start: wordStart(this.clause, value.start), end: wordEnd(this.clause, value.end) };
    const valueStart = tokens[value.start];
    let last = wordEnd(this.clause, Math.max(value.end, options.through ?? 0));
    const negative = options.negative ?? this.negated;
    if (negative) {
      if (low(this.clause, last) === "anymore") last++;
      else if (low(this.clause, last) === "any" && ["more", "longer"].includes(low(this.clause, last + 1))) last += 2;
    }
    const valueEnd = tokens[last - 1];
    if (!first || !valueStart || !valueEnd) return;
    // "I play a lot of Zelda": a quantity ("a lot", "a bit", "a ton") is no value, and what it counts is unsure.
    if (QUANTITY_HEADS.has(low(this.clause, value.end - 1)) && low(this.clause, value.end) === "of") return;
    if (kind === "preference" && !this.sureOpinion(key, value)) return;
    const joined = this.conjunct !== undefined && options.prefixEnd === undefined ? this.conjunct : undefined;
    const prefixEnd = tokens[(joined?.subjectEnd ?? options.prefixEnd ?? value.start) - 1];
    const prefix = prefixEnd ? source.slice(first.start, prefixEnd.end) : "";
    const spanStart = joined ? (tokens[joined.verbStart] ?? valueStart) : valueStart;
    const spanEnd = source.slice(spanStart.start, valueEnd.end);
    const gap = options.prefixEnd !== undefined || joined ? " " : source.slice(prefixEnd?.end ?? 0, valueStart.start);
    const raw = prefix === "" ? spanEnd : `${prefix}${gap}${spanEnd}`;
    const statement = finishStatement(thirdPerson(raw.replace(/\s+/g, " ")));
    const text = slice(this.clause, value);
    if (statement === "" || text === "") return;
    const fact: FrameFact = { key, kind, statement, value: text };
    if (options.single ?? isSingleValued(key)) fact.cardinality = "single";
    if (negative) fact.polarity = "negative";
    this.facts.push(fact);
  }
}

const VAGUE_PURPOSES = new Set("everything anything something all work fun now stuff things years ages".split(" "));
/** Groups of people outside the team: what they use is theirs ("Our customers use Safari"). */
const PEOPLE = new Set(
  "customers customer users user competitors competitor clients vendors vendor investors partners students readers visitors people folks".split(
    " ",
  ),
);
/** Nouns that judge a thing rather than name what it is: "a mess", "a nightmare". */
const VERDICTS = new Set("mess disaster nightmare joke pain headache chaos circus zoo dumpster wreck".split(" "));
const COMPARATIVES = new Set("more less most least better worse best worst".split(" "));
/** Nouns that count or measure what follows their "of": "a lot of", "a bit of", "a bunch of". */
const QUANTITY_HEADS = new Set(
  "lot lots bit ton tons bunch load loads couple few handful number kind sort type".split(" "),
);

/** Nouns for something said or proposed in the conversation: liking one is an opinion of the moment. */
const DISCOURSE_NOUNS = new Set(
  "idea ideas plan plans suggestion suggestions proposal option options approach answer answers solution question point".split(
    " ",
  ),
);

type Who = "user" | "team";

/** "In the atlas repo, …" / "For the billing service …": the project a clause is scoped to, and where it ends. */
function scopeLead(clause: Clause, start: number): { name: string; next: number } | null {
  if (!["in", "for", "on", "within"].includes(low(clause, start))) return null;
  let index = start + 1;
  if (low(clause, index) === "the") index++;
  const name = clause.tokens[index];
  const noun = low(clause, index + 1);
  if (!name || !SCOPE_NOUNS.has(noun.replace(/s$/, ""))) return null;
  let next = index + 2;
  if (low(clause, next) === ",") next++;
  return { name: name.low.replace(/[^\p{L}\p{N}_-]/gu, ""), next };
}

/**
 * In a memory file the user is often named ("Priya lives in Lisbon", "Her editor is VS Code"): read a leading name
 * followed by a verb, or his/her/their, as the user.
 */
function namedSubject(
  clause: Clause,
  index: number,
): { who: Who; next: number } | { possessive: Who; next: number } | null {
  const token = clause.tokens[index];
  const next = clause.tokens[index + 1];
  if (!token || !next) return null;
  if (["her", "his", "their"].includes(token.low)) return { possessive: "user", next: index + 1 };
  const name =
    token.pos === "PROPN" &&
    /^\p{Lu}\p{Ll}+$/u.test(token.text) &&
    token.lemma === token.low &&
    !GENERIC_ENTITY.has(token.low) &&
    !THING_HEADS.has(token.low);
  if (!name) return null;
  if (next.low === "'s")
    return clause.tokens[index + 2]?.pos === "NOUN" ? { possessive: "user", next: index + 2 } : null;
  return next.pos === "VERB" || next.pos === "AUX" ? { who: "user", next: index + 1 } : null;
}

function subjectAt(
  clause: Clause,
  index: number,
): { who: Who; next: number } | { possessive: Who; next: number } | null {
  const word = low(clause, index);
  const next = low(clause, index + 1);
  if (word === "i") return { who: "user", next: index + 1 };
  if (word === "we") return { who: "team", next: index + 1 };
  // "My team uses Jira", like "our team …": the team's, not an attribute of the user called `team`.
  if ((word === "our" || word === "my") && next === "team" && clause.tokens[index + 2]?.pos !== "PART")
    return { who: "team", next: index + 2 };
  // "Our team's main branch": the team's thing.
  if ((word === "our" || word === "my") && next === "team" && low(clause, index + 2) === "'s")
    return { possessive: "team", next: index + 3 };
  if (word === "my") return { possessive: "user", next: index + 1 };
  if (word === "our" && next === "team" && clause.tokens[index + 2]?.pos !== "PART")
    return { who: "team", next: index + 2 };
  if (word === "our") return { possessive: "team", next: index + 1 };
  if (word === "user" || (word === "the" && next === "user")) {
    const at = word === "user" ? index + 1 : index + 2;
    if (low(clause, at) === "'s") return { possessive: "user", next: at + 1 };
    return { who: "user", next: at };
  }
  if ((word === "the" || word === "our") && next === "team") {
    if (low(clause, index + 2) === "'s") return { possessive: "team", next: index + 3 };
    return { who: "team", next: index + 2 };
  }
  return null;
}

/**
 * Reads the facts a clause states about the user or the team (or a named project or server), by statement frames
 * over its tagged tokens: "I live in / moved to X", "I work at X", "I'm a/an <role>", "I speak / play / have X",
 * "I like / hate / prefer X", "we use / switched to / dropped X", "my/our X is Y", "the atlas API runs on X" …
 * A clause about anyone else gives nothing (`third_party`).
 */
export function readFrames(source: string, tokens: readonly Token[], options: { memory?: boolean } = {}): FrameResult {
  const clause: Clause = { source, tokens };
  const lead = skipLeadIn(clause);
  const start = scopeLead(clause, lead) ? lead : skipLeadPhrase(clause, lead);
  const callee = low(clause, start + 1) === "the" && low(clause, start + 2) === "user" ? start + 3 : start + 2;
  const calledMe = low(clause, start + 1) === "me" || callee === start + 3;
  if (low(clause, start) === "call" && calledMe && clause.tokens[callee]?.pos === "PROPN") {
    const builder = new Builder(clause, start, false);
    builder.add("profile.name", "fact", { start: callee, end: callee + 1 });
    return { facts: builder.facts, subject: "user" };
  }
  const scope = scopeLead(clause, start);
  const at = scope ? scope.next : start;
  const subject = subjectAt(clause, at) ?? (options.memory === true ? namedSubject(clause, at) : null);
  const lasting = (who: Who, index: number): FrameResult | null => {
    const reason = options.memory === true ? null : notLasting(tokens, index);
    return reason ? { facts: [], subject: who, reason } : null;
  };
  if (scope && subject && "who" in subject) {
    const { index, negated } = skipModifiers(clause, subject.next);
    const declined = lasting(subject.who, index);
    if (declined) return declined;
    const builder = new Builder(clause, start, negated);
    readVerb(clause, builder, subject.who, index, negated);
    for (const fact of builder.facts) {
      const attribute = fact.key.split(".").pop() ?? fact.key;
      if (fact.key.startsWith("tooling.")) fact.key = `project.${scope.name}.${attribute}`;
    }
    return { facts: builder.facts, subject: subject.who };
  }
  if (!subject) return readEntity(clause, start, options);
  if ("possessive" in subject) return readPossessive(clause, start, subject.possessive, subject.next, options);
  const { index, negated } = skipModifiers(clause, subject.next);
  const declined = lasting(subject.who, index);
  if (declined) return declined;
  const builder = new Builder(clause, start, negated);
  readVerb(clause, builder, subject.who, index, negated);
  const second = conjunctVerb(clause, index + 1);
  if (second !== null && !lasting(subject.who, second.index)) {
    const conjunct = { subjectEnd: subject.next, verbStart: second.start };
    const more = new Builder(clause, start, second.negated, conjunct);
    readVerb(clause, more, subject.who, second.index, second.negated);
    builder.facts.push(...more.facts);
  }
  return { facts: builder.facts, subject: subject.who };
}

/**
 * A second verb of the same subject after "and": "we dropped Heroku and now deploy on Fly.io", "I moved to Turku
 * and started at Supercell". Its index (after adverbs), where its words start, and whether it is negated.
 */
function conjunctVerb(clause: Clause, from: number): { index: number; start: number; negated: boolean } | null {
  for (let at = from; at < clause.tokens.length; at++) {
    const token = clause.tokens[at];
    if (token?.low !== "and" || token.pos !== "CCONJ") continue;
    const { index, negated } = skipModifiers(clause, at + 1);
    const verb = clause.tokens[index];
    if (verb?.pos !== "VERB" || verb.low.endsWith("ing")) return null;
    return { index, start: at + 1, negated };
  }
  return null;
}

function readVerb(clause: Clause, out: Builder, who: Who, from: number, negatedBefore: boolean): void {
  let index = from;
  let negated = negatedBefore;
  let word = low(clause, index);
  // do(n't) / have (perfect) / can't stand
  if (clause.tokens[index]?.lemma === "do" && ["n't", "not", "nt"].includes(low(clause, index + 1))) {
    negated = true;
    const after = skipModifiers(clause, index + 2);
    index = after.index;
    word = low(clause, index);
    if (["like", "enjoy", "love"].includes(clause.tokens[index]?.lemma ?? "")) {
      listFacts(clause, out, "user.dislikes", "preference", index + 1, { negative: false });
      return;
    }
  }
  const bear = ["stand", "bear"].includes(low(clause, index + 2));
  if ((word === "ca" || word === "can") && low(clause, index + 1) === "n't" && bear) {
    listFacts(clause, out, "user.dislikes", "preference", index + 3, { negative: false });
    return;
  }
  if (["have", "'ve", "has"].includes(word) && clause.tokens[index + 1] && clause.tokens[index]?.pos === "AUX") {
    const after = skipModifiers(clause, index + 1);
    const verb = clause.tokens[after.index];
    if (verb && (verb.pos === "VERB" || verb.lemma === "be") && verb.lemma !== "have") {
      index = after.index;
      negated ||= after.negated;
    }
  }
  const token = clause.tokens[index];
  if (!token) return;
  if (negated) out.negate();
  // "I've got three kids": the perfect of "get" is "have".
  const perfect = index > from && ["have", "'ve", "has"].includes(low(clause, from));
  const lemma = perfect && token.low === "got" ? "have" : verbLemma(token);
  if (lemma === "be" || lemma === "'m") {
    const after = skipModifiers(clause, index + 1);
    readCopula(clause, out, who, after.index, negated || after.negated);
    return;
  }
  if ((lemma === "would" || word === "'d") && low(clause, index + 1) === "rather") {
    let at = index + 2;
    if (["use", "have", "go"].includes(low(clause, at))) at++;
    readPreference(clause, out, at, who);
    return;
  }
  readAction(clause, out, who, lemma, index, negated);
}

/** The dictionary form of the verb after a subject, undoing a third-person "-s" the tagger read as a noun. */
function verbLemma(token: Token): string {
  if (token.pos === "VERB" || token.pos === "AUX" || FRAME_VERBS.has(token.lemma)) return token.lemma;
  const word = token.low;
  for (const base of [word.replace(/ies$/, "y"), word.replace(/es$/, ""), word.replace(/s$/, "")]) {
    if (base !== word && FRAME_VERBS.has(base)) return base;
  }
  return token.lemma;
}

function listFacts(
  clause: Clause,
  out: Builder,
  key: string,
  kind: FrameFact["kind"],
  from: number,
  options: { negative?: boolean; activity?: boolean } = {},
): void {
  const complement = key === "user.likes" || key === "user.dislikes";
  const list = nounPhraseList(clause, from, { activity: options.activity, complement });
  if (complement && isCut(clause, list[list.length - 1]?.end ?? 0)) return;
  for (const [position, phrase] of list.entries()) {
    out.add(key, kind, phrase, { negative: options.negative, prefixEnd: position === 0 ? undefined : from });
  }
}

/** Words that may follow a liked thing without changing it: "I love jazz too", "I hate YAML, honestly". */
const AFTERWORDS = new Set(
  "also really honestly actually personally though either generally very so much lot anyway".split(" "),
);

/**
 * Whether what follows a value changes it, so the value would be cut short: "I like getting up early" read as
 * "getting", "I love Rust deeply wrong" — an adjective, a particle or an adverb that is no time or afterword.
 */
function isCut(clause: Clause, end: number): boolean {
  const next = clause.tokens[end];
  if (!next || TIME_STOP.has(next.low) || AFTERWORDS.has(next.low)) return false;
  // "I hate having to log in twice" read as "having to log": a bare verb ends the value before its particle.
  const last = clause.tokens[end - 1];
  if (last?.pos === "VERB" && !last.low.endsWith("ing") && (next.pos === "ADP" || next.pos === "PART")) return true;
  return next.pos === "ADJ" || next.pos === "ADV" || PARTICLES.has(next.low);
}

function isProper(clause: Clause, range: Range): boolean {
  return clause.tokens
    .slice(range.start, range.end)
    .some((token) => token.pos === "PROPN" || /^\p{Lu}/u.test(token.text));
}

function entityOf(clause: Clause, range: Range | null): string | null {
  if (!range) return null;
  const words = clause.tokens
    .slice(range.start, range.end)
    .map((token) => token.low)
    .filter((word) => !GENERIC_ENTITY.has(word));
  return words.length > 0 && words.length <= 3 ? words.join("_").replace(/[^\p{L}\p{N}_-]/gu, "") : null;
}

/** Key of a tool value: its category, scoped to an entity ("the atlas API") when one is named. */
function toolKey(clause: Clause, value: Range, entity: Range | null, purpose: Range | null): string | null {
  const text = slice(clause, value);
  const category = valueCategory(text);
  const holder = entity ? nounCategory(tokenize(slice(clause, entity))) : undefined;
  const firstWord = clause.tokens[value.start]?.low ?? "";
  const attribute = RUNTIMES.has(firstWord)
    ? "runtime"
    : ((category ?? holder?.key)?.split(".").pop() ??
      (entity && /\b(?:database|db)$/.test(slice(clause, entity).toLowerCase()) ? "database" : undefined));
  if (attribute === undefined) {
    if (purpose) return `tooling.${entityOf(clause, purpose)}`;
    return null;
  }
  if (holder && !entityOf(clause, entity)?.includes("_") && entity && entity.end - entity.start === 1) {
    return holder.key;
  }
  const scope = entityOf(clause, entity);
  if (scope && !nounCategory(tokenize(scope.replace(/_/g, " ")))) {
    const words = scope.split("_").filter((word) => !["database", "db", "frontend", "backend", "ci"].includes(word));
    // A thing of the team placed on a cloud is hosted there: "we moved the docs to Netlify" → `project.docs.hosting`.
    if (words.length > 0) return `project.${words.join("_")}.${attribute === "cloud" ? "hosting" : attribute}`;
  }
  return category ?? holder?.key ?? `tooling.${attribute}`;
}

function after(clause: Clause, from: number, words: string[]): number {
  return words.includes(low(clause, from)) ? from + 1 : -1;
}

/** A tool without the noun of its own kind after it: "fish shell" → fish, "the Zed editor" → Zed. */
function withoutKindNoun(clause: Clause, value: Range): Range {
  if (value.end - value.start < 2) return value;
  const kind = nounCategory(tokenize(low(clause, value.end - 1)));
  const shorter = { start: value.start, end: value.end - 1 };
  return kind && valueCategory(slice(clause, shorter)) === kind.key ? shorter : value;
}

/** "switched / migrated / moved / upgraded [X] [from A] to B", "replaced A with B". */
function readSwitch(clause: Clause, out: Builder, who: Who, verbIndex: number, negated: boolean): boolean {
  let index = verbIndex + 1;
  if (["back", "over"].includes(low(clause, index))) index++;
  let entity: Range | null = null;
  if (!["to", "from", "over"].includes(low(clause, index))) {
    entity = nounPhrase(clause, index);
    if (low(clause, index) === "my" || low(clause, index) === "our" || low(clause, index) === "the") {
      entity = nounPhrase(clause, index) ?? entity;
    }
    if (entity) index = entity.end;
  }
  let replaced: Range | null = null;
  if (low(clause, index) === "off" && !entity) {
    // "we moved off Travis onto Buildkite" names the new tool; "we've moved off CircleCI" drops the old one.
    const left = nounPhrase(clause, index + 1, { through: ["."] });
    if (!left) return false;
    const onto = after(clause, left.end, ["onto", "to"]);
    const value = onto === -1 ? left : nounPhrase(clause, onto, { through: ["."] });
    const key = value ? toolKey(clause, value, null, null) : null;
    if (!value || !key) return false;
    out.add(key, "fact", value, { negative: onto === -1 || negated });
    return true;
  }
  if (low(clause, index) === "from") {
    replaced = nounPhrase(clause, index + 1);
    if (!replaced) return false;
    index = replaced.end;
  }
  const verb = clause.tokens[verbIndex]?.lemma;
  const to = verb === "replace" ? after(clause, index, ["with", "by"]) : after(clause, index, ["to"]);
  if (verb === "replace" && entity) replaced = entity;
  if (to === -1) return false;
  const phrase = nounPhrase(clause, to, { through: ["."] });
  if (!phrase) return false;
  const value = withoutKindNoun(clause, phrase);
  const scoped = verb === "replace" ? null : entity;
  const key = toolKey(clause, value, scoped, null);
  if (key) {
    // "switched to Vitest from Jest" is stored as "switched to Vitest": the replaced value is history, which the
    // engine keeps as the superseded fact; left in, it would read as part of the subject.
    out.add(key, "fact", value, { negative: negated, through: phrase.end });
    return true;
  }
  if (who === "user" && (verb === "move" || verb === "relocate") && !entity && isProper(clause, value)) {
    out.add("home.location", "fact", value, { negative: negated });
    return true;
  }
  return false;
}

function readAction(clause: Clause, out: Builder, who: Who, lemma: string, index: number, negated: boolean): void {
  const next = low(clause, index + 1);
  const user = who === "user";
  switch (lemma) {
    case "live":
    case "reside":
      if (user && next === "in") placeFact(clause, out, "home.location", index + 2);
      return;
    case "grow":
      if (user && next === "up" && low(clause, index + 2) === "in") placeFact(clause, out, "user.hometown", index + 3);
      return;
    case "move":
    case "relocate":
    case "switch":
    case "migrate":
    case "change":
    case "upgrade":
    case "transition":
    case "replace":
      // "I never moved to Lisbon", "we didn't switch to Bun after all": a change that did not happen retracts nothing.
      if (!negated) readSwitch(clause, out, who, index, negated);
      return;
    case "work": {
      if (!user) return;
      if (next === "at" || next === "for") employerFact(clause, out, index + 2, negated);
      else if (next === "as") roleFact(clause, out, index + 2, negated);
      else if (next === "remotely" || (next === "from" && low(clause, index + 2) === "home")) {
        out.add("user.work_mode", "fact", { start: index + 1, end: next === "from" ? index + 3 : index + 2 });
      }
      const as = clause.tokens.findIndex((token, at) => at > index + 2 && token.low === "as");
      if ((next === "at" || next === "for") && as > 0) roleFact(clause, out, as + 1, negated);
      return;
    }
    case "join":
    case "start":
    case "take":
    case "get": {
      if (!user && lemma !== "get") return;
      if (lemma === "get" && next === "promoted" && low(clause, index + 2) === "to") {
        roleFact(clause, out, index + 3, negated, true);
        return;
      }
      if (["get", "take", "start"].includes(lemma) && ["a", "the", "new"].includes(next)) {
        const job = clause.tokens.findIndex((token, at) => at > index && token.low === "job");
        if (job > 0 && ["at", "with"].includes(low(clause, job + 1))) {
          employerFact(clause, out, job + 2, negated);
          return;
        }
      }
      if (lemma === "get" && next === "into" && user) {
        // "I got into birdwatching": an activity taken up.
        const activity = nounPhrase(clause, index + 2, { activity: true });
        const doing = activity !== null && /..ing$/.test(low(clause, activity.end - 1));
        if (activity && doing && !isProper(clause, activity) && !isCut(clause, activity.end))
          out.add("user.hobby", "fact", activity);
        return;
      }
      if (lemma === "get" && ["rid"].includes(next) && low(clause, index + 2) === "of") {
        dropFact(clause, out, index + 3, who);
        return;
      }
      if (lemma === "take" && next === "up") {
        listFacts(clause, out, "user.hobby", "fact", index + 2, { activity: true });
        return;
      }
      const started = clause.tokens[index + 1];
      if (lemma === "start" && (started?.pos === "VERB" || (started?.pos === "NOUN" && /..ing$/.test(started.low)))) {
        const gerund = started;
        if (gerund?.lemma === "learn") listFacts(clause, out, "user.learning", "fact", index + 2);
        else if (gerund?.low.endsWith("ing")) out.add("user.hobby", "fact", { start: index + 1, end: index + 2 });
        return;
      }
      const at = lemma === "start" && next === "at" ? index + 2 : lemma === "join" ? index + 1 : -1;
      if (at > 0) {
        const company = nounPhrase(clause, at);
        if (company && isProper(clause, company)) out.add("profile.employer", "fact", company, { negative: negated });
        return;
      }
      if (lemma === "get") petFact(clause, out, index + 1, negated);
      return;
    }
    case "quit":
    case "leave": {
      const object = nounPhrase(clause, index + 1, { activity: true });
      if (!object || !user) return;
      const first = clause.tokens[object.start];
      // "I quit smoking", "I quit the choir": an activity. "I quit my job", "I left the meeting early", "I left my
      // keys at home" name a thing of one's own or a place left, no hobby.
      const determiner = low(clause, index + 1);
      const bare =
        object.start === index + 1 || (lemma === "quit" && determiner === "the" && object.start === index + 2);
      if (bare && (first?.pos === "VERB" || first?.pos === "NOUN"))
        out.add("user.hobby", "fact", object, { negative: true });
      else if (isProper(clause, object)) out.add("profile.employer", "fact", object, { negative: true });
      else if (lemma === "quit" && slice(clause, object).toLowerCase() === "job" && low(clause, object.end) === "at") {
        // "I quit my job at Zalando": the employer left.
        const company = nounPhrase(clause, object.end + 1);
        if (company && isProper(clause, company)) out.add("profile.employer", "fact", company, { negative: true });
      }
      return;
    }
    case "give":
      if (user && next === "up")
        listFacts(clause, out, "user.hobby", "fact", index + 2, { negative: true, activity: true });
      return;
    case "stop":
    case "drop":
    case "ditch":
    case "abandon": {
      const verb = clause.tokens[index + 1];
      if (lemma === "stop" && verb?.lemma === "use") dropFact(clause, out, index + 2, who);
      else if (lemma === "stop" && verb?.lemma === "play")
        listFacts(clause, out, "user.hobby", "fact", index + 2, { negative: true });
      else if (lemma === "stop" && verb?.lemma === "do") {
        if (user) listFacts(clause, out, "user.hobby", "fact", index + 2, { negative: true, activity: true });
      } else if (lemma === "stop" && verb?.pos === "VERB") {
        // "I stopped running" drops an activity; "I stopped eating meat" is a habit this frame cannot name.
        const object = clause.tokens[index + 2];
        const bare = object === undefined || object.pos === "PUNCT" || TIME_STOP.has(object.low);
        if (user && bare) out.add("user.hobby", "fact", { start: index + 1, end: index + 2 }, { negative: true });
      } else dropFact(clause, out, index + 1, who);
      return;
    }
    case "use":
    case "rely":
    case "run":
    case "deploy":
    case "host":
      readUse(clause, out, who, lemma, index, negated);
      return;
    case "write":
    case "code":
    case "program": {
      let at = lemma === "write" ? index + 1 : index + 2;
      const object = nounPhrase(clause, at);
      if (lemma === "write" && object && low(clause, object.end) === "in") at = object.end + 1;
      languageFact(clause, out, at, negated);
      return;
    }
    case "pick":
      if (next === "up") {
        const value = nounPhrase(clause, index + 2, { activity: true });
        if (!value) return;
        const text = slice(clause, value);
        const language = valueCategory(text) === "tooling.language" || PROGRAMMING.has(text);
        // A hobby is an activity ("bouldering"); a name picked up ("Go", "Figma") is a language or a tool.
        const key = language ? "tooling.language" : user && !isProper(clause, value) ? "user.hobby" : null;
        if (key) out.add(key, "fact", value, { negative: negated });
      }
      return;
    case "play":
      if (user) listFacts(clause, out, "user.hobby", "fact", index + 1, { negative: negated });
      return;
    case "do":
      if (user) {
        const list = nounPhraseList(clause, index + 1, { activity: true });
        const known = list.every((value) => DO_HOBBIES.has(slice(clause, value).toLowerCase()));
        for (const [position, value] of list.entries()) {
          if (!known) break;
          out.add("user.hobby", "fact", value, {
            negative: negated,
            prefixEnd: position === 0 ? undefined : index + 1,
          });
        }
      }
      return;
    case "go": {
      const diet = skipModifiers(clause, index + 1).index;
      if (user && diet > index + 1 && DIETS.has(low(clause, diet))) {
        // "I went fully vegetarian": the adverb says how far, the diet is the value.
        out.add("user.diet", "fact", { start: diet, end: diet + 1 }, { negative: negated });
        return;
      }
      // "we've gone from npm to pnpm": a switch.
      if (next === "from" && !negated) {
        readSwitch(clause, out, who, index, negated);
        return;
      }
      if (user && DIETS.has(next)) {
        out.add("user.diet", "fact", { start: index + 1, end: index + 2 }, { negative: negated });
        return;
      }
      // "I go by Teo": the name the user is called by.
      const name = clause.tokens[index + 2];
      const end = clause.tokens[index + 3];
      const alone = end === undefined || end.pos === "PUNCT" || TIME_STOP.has(end.low);
      if (user && next === "by" && name?.pos === "PROPN" && isCapitalised(name) && alone) {
        out.add("profile.name", "fact", { start: index + 2, end: index + 3 });
      }
      return;
    }
    case "speak":
      if (user) {
        for (const at of languageList(clause, index + 1)) {
          out.add("user.language", "fact", { start: at, end: at + 1 }, { negative: negated, prefixEnd: index + 1 });
        }
      }
      return;
    case "learn":
      if (user) listFacts(clause, out, "user.learning", "fact", index + 1);
      return;
    case "rent":
      if (user) dwellingPlace(clause, out, index + 1);
      return;
    case "have":
    case "own":
    case "keep": {
      if (user && lemma !== "keep" && dwellingPlace(clause, out, index + 1)) return;
      // A household's pets are the user's ("we have a tortoise"); conditions and children are the speaker's own.
      const phrases = nounPhraseList(clause, index + 1);
      for (const [position, phrase] of phrases.entries()) {
        const head = clause.tokens[phrase.end - 1]?.low ?? "";
        const prefixEnd = position === 0 ? undefined : index + 1;
        const whole = phrase.end - phrase.start === 1;
        if (PETS.has(head)) out.add("user.pet", "fact", phrase, { negative: negated, prefixEnd });
        if (PETS.has(head) || !user || lemma !== "have" || negated) continue;
        else if (CHILDREN.has(head)) out.add("user.child", "fact", phrase, { prefixEnd });
        else if (HELD_CONDITIONS.has(head) && whole) out.add("user.condition", "fact", phrase, { prefixEnd });
      }
      return;
    }
    case "adopt":
      petFact(clause, out, index + 1, negated);
      return;
    case "add":
    case "hire":
    case "bring":
      if (who === "team") {
        const at = lemma === "bring" && next === "on" ? index + 2 : index + 1;
        const people = nounPhraseList(clause, at);
        const named = people.every((person) =>
          clause.tokens.slice(person.start, person.end).every((token) => token.pos === "PROPN"),
        );
        for (const [position, person] of people.entries()) {
          if (named) out.add("team.member", "fact", person, { prefixEnd: position === 0 ? undefined : at });
        }
      }
      return;
    case "like":
    case "love":
    case "adore":
    case "enjoy":
      if (user) readLike(clause, out, index + 1, negated);
      return;
    case "hate":
    case "dislike":
    case "detest":
      if (user && !negated) listFacts(clause, out, "user.dislikes", "preference", index + 1, { activity: true });
      return;
    case "prefer":
      readPreference(clause, out, index + 1, who);
      return;
    case "drive":
      if (user) {
        const car = nounPhrase(clause, index + 1);
        // "an old Saab 900": the car is the name; a word describing it is not part of it.
        while (car && car.end - car.start > 1 && !isCapitalised(clause.tokens[car.start])) car.start++;
        if (car && isProper(clause, car)) out.add("user.car", "fact", car, { negative: negated });
      }
      return;
    case "study":
      if (user) {
        const subject = nounPhrase(clause, index + 1);
        const school = low(clause, subject?.end ?? 0) === "at" ? nounPhrase(clause, (subject?.end ?? 0) + 1) : null;
        if (subject) out.add("user.study", "fact", subject, { negative: negated, through: school?.end });
      }
      return;
    case "drink":
    case "eat":
      if (user) listFacts(clause, out, "user.likes", "preference", index + 1, { negative: negated });
      return;
    case "knit":
    case "swim":
    case "cook":
    case "paint":
    case "surf":
    case "climb":
      if (user && clause.tokens.length <= index + 3) out.add("user.hobby", "fact", { start: index, end: index + 1 });
      return;
    default:
      return;
  }
}

/** "I write Elixir", "I'm working in Go": a programming language, when the phrase at `from` names one. */
function languageFact(clause: Clause, out: Builder, from: number, negated: boolean): void {
  const value = nounPhrase(clause, skipModifiers(clause, from).index);
  const text = value ? slice(clause, value) : "";
  if (value && (valueCategory(text.toLowerCase()) === "tooling.language" || PROGRAMMING.has(text))) {
    out.add("tooling.language", "fact", value, { negative: negated });
  }
}

/**
 * The languages listed after "speak": "Spanish and Italian", "English, French and Wolof", "fluent Arabic", "a bit of
 * German". Read word by word, since the tagger often calls a language an adjective. Stops at any other word.
 */
function languageList(clause: Clause, from: number): number[] {
  const found: number[] = [];
  for (let at = from; at < clause.tokens.length; at++) {
    const word = low(clause, at);
    if (SPOKEN_LANGUAGES.has(word)) found.push(at);
    else if (![",", "and", "or", "a", "little", "bit", "of", "some"].includes(word) && !PROFICIENCY.has(word)) break;
  }
  return found;
}

/** Where one lives, as a dwelling names it: "I rent a flat in Kreuzberg", "I have a house in Leuven". */
const DWELLINGS = new Set("flat apartment house place home condo studio".split(" "));

/** "a flat in Kreuzberg" after rent/have/own: the home's place. Returns whether the phrase names a dwelling. */
function dwellingPlace(clause: Clause, out: Builder, from: number): boolean {
  let at = from;
  while (at < from + 4 && !DWELLINGS.has(low(clause, at))) {
    const pos = clause.tokens[at]?.pos ?? "";
    if (!["DET", "ADJ", "ADV"].includes(pos) && !["my", "our"].includes(low(clause, at))) return false;
    at++;
  }
  if (!DWELLINGS.has(low(clause, at)) || low(clause, at + 1) !== "in") return false;
  placeFact(clause, out, "home.location", at + 2);
  return true;
}

function placeFact(clause: Clause, out: Builder, key: string, from: number): void {
  const place = nounPhrase(clause, from, { through: ["near", "outside", "of"] });
  // "I live in VS Code all day": a tool is no place; the phrase is a figure of speech.
  if (place && isProper(clause, place) && valueCategory(slice(clause, place)) === undefined)
    out.add(key, "fact", place);
}

/**
 * "I work at Fernhill", "for the city council"; "for a small agency called Brightline" names Brightline, while "at a
 * startup" describes a kind of employer and names none.
 */
function employerFact(clause: Clause, out: Builder, from: number, negated: boolean): void {
  const company = nounPhrase(clause, from);
  if (!company) return;
  if (low(clause, from) === "a" || low(clause, from) === "an") {
    const called = ["called", "named"].includes(low(clause, company.end));
    const name = called ? nounPhrase(clause, company.end + 1) : null;
    if (name && isProper(clause, name)) out.add("profile.employer", "fact", name, { negative: negated });
    return;
  }
  // "I work at home on Fridays", "at night", "for my dad": a place, a time or someone's, no employer named.
  const only = company.end - company.start === 1 ? low(clause, company.start) : "";
  if (NOT_EMPLOYERS.has(only) || ["my", "our", "his", "her", "their"].includes(low(clause, from))) return;
  out.add("profile.employer", "fact", company, { negative: negated });
}

/** One-word phrases after "work at/for" that name no employer. */
const NOT_EMPLOYERS = new Set(
  "home work night nights weekends weekend school lunch noon myself ourselves times once least most best first scale speed".split(
    " ",
  ),
);

/** Adds the role a phrase names, if it names one; returns where the role ends, or null. */
function roleFact(clause: Clause, out: Builder, from: number, negated: boolean, bare = false): number | null {
  const found = nounPhrase(clause, from);
  if (!found) return null;
  const role = { ...found };
  // "a team lead", "a tech lead": the tagger reads the role's head as a verb.
  const next = clause.tokens[role.end];
  const object = ["DET", "PRON", "NOUN", "PROPN"].includes(clause.tokens[role.end + 1]?.pos ?? "");
  if (next?.pos === "VERB" && ROLE_HEADS.has(next.low) && !object) role.end = wordEnd(clause, role.end + 1);
  const head = clause.tokens[role.end - 1]?.low.replace(/s$/, "") ?? "";
  // A specialist of a field ("cardiologist", "radiologist") is a profession whatever the field.
  const specialist = /..ologist$/.test(head);
  if (!bare && !specialist && !ROLE_HEADS.has(head) && !ROLE_HEADS.has(clause.tokens[role.end - 1]?.low ?? "")) {
    return null;
  }
  // "a former teacher", "a future nurse", "an aspiring writer": a role held before or hoped for, not now.
  const modifiers = clause.tokens.slice(role.start, role.end - 1).map((token) => token.low);
  if (modifiers.some((word) => NOT_NOW_ROLES.has(word) || word.startsWith("ex-"))) return role.end;
  out.add("profile.role", "fact", role, { negative: negated });
  return role.end;
}

/** Words before a role that say it is not held now. */
const NOT_NOW_ROLES = new Set(
  "former ex future aspiring wannabe would-be prospective retired onetime erstwhile".split(" "),
);

/** After a role, "on the platform team" before "at <employer>": where that phrase ends (or `from`). */
function teamPhraseEnd(clause: Clause, from: number): number {
  if (low(clause, from) !== "on" || low(clause, from + 1) !== "the") return from;
  for (let at = from + 2; at < from + 5; at++) {
    if (["team", "squad"].includes(low(clause, at))) return at + 1;
    if (!["NOUN", "ADJ", "PROPN"].includes(clause.tokens[at]?.pos ?? "")) return from;
  }
  return from;
}

/** "I'm Priya, backend engineer at Fernhill": the role after a name, with its words up to the clause end. */
function roleAfterName(clause: Clause, out: Builder, from: number): void {
  const role = nounPhrase(clause, from);
  if (!role || !ROLE_HEADS.has(clause.tokens[role.end - 1]?.low ?? "")) return;
  let end = clause.tokens.length;
  while (end > role.end && clause.tokens[end - 1]?.pos === "PUNCT") end--;
  out.add("profile.role", "fact", role, { prefixEnd: from - 2, through: end });
}

function petFact(clause: Clause, out: Builder, from: number, negated: boolean): void {
  const pet = nounPhrase(clause, from);
  if (pet && PETS.has(clause.tokens[pet.end - 1]?.low ?? "")) out.add("user.pet", "fact", pet, { negative: negated });
}

function dropFact(clause: Clause, out: Builder, from: number, who: Who): void {
  const value = nounPhrase(clause, from);
  if (!value) return;
  let end = value.end;
  if (clause.tokens[end - 1]?.low === "support" && end - value.start > 1) end--;
  const trimmed = { start: value.start, end };
  // "We ditched webpack for Vite": dropping a tool for another is a switch, stored as the new one ("switched to").
  const chosen = low(clause, end) === "for" ? nounPhrase(clause, end + 1, { through: ["."] }) : null;
  const chosenKey = chosen ? toolKey(clause, chosen, null, null) : null;
  if (chosen && chosenKey) {
    out.add(chosenKey, "fact", chosen);
    return;
  }
  const key = toolKey(clause, trimmed, null, null) ?? (isProper(clause, trimmed) ? `${who}.tools` : null);
  if (key) out.add(key, "fact", trimmed, { negative: true });
}

function readUse(clause: Clause, out: Builder, who: Who, lemma: string, index: number, negated: boolean): void {
  let at = index + 1;
  if (lemma === "rely" && low(clause, at) === "on") at++;
  if (lemma === "deploy" && ["to", "on"].includes(low(clause, at))) {
    const cloud = nounPhrase(clause, at + 1, { through: ["."] });
    if (cloud && isProper(clause, cloud))
      out.add(toolKey(clause, cloud, null, null) ?? "tooling.cloud", "fact", cloud, { negative: negated });
    return;
  }
  if (lemma === "host") {
    const what = nounPhrase(clause, at);
    if (!what || !["on", "with", "at"].includes(low(clause, what.end))) return;
    const where = nounPhrase(clause, what.end + 1, { through: ["."] });
    const scope = entityOf(clause, what);
    if (where && scope) out.add(`project.${scope}.hosting`, "fact", where, { negative: negated });
    return;
  }
  const value = nounPhrase(clause, at, { through: ["."] });
  if (!value) return;
  const as =
    low(clause, value.end) === "as" && low(clause, value.end + 1) === "my" ? nounPhrase(clause, value.end + 2) : null;
  const purpose = low(clause, value.end) === "for" ? purposePhrase(clause, value.end + 1) : null;
  if (as) {
    const category = nounCategory(tokenize(slice(clause, as)));
    if (category) {
      out.add(category.key, "fact", value, { negative: negated });
      return;
    }
  }
  if (lemma === "run" && who === "user" && !valueCategory(slice(clause, value))) {
    const head = clause.tokens[value.end - 1];
    if (head?.pos === "NOUN" && head.low.endsWith("s")) out.add("user.hobby", "fact", value, { negative: negated });
    return;
  }
  // "We use Go": the language, capitalised; "go" is a verb.
  const language = PROGRAMMING.has(slice(clause, value)) ? "tooling.language" : null;
  const key =
    toolKey(clause, value, null, who === "team" || lemma !== "use" ? purpose : null) ??
    language ??
    // A tool the lexicon has no category for is the team's (`team.tools`, a set the team's retractions name); the
    // user's ("I use Arch", "I mostly use Scrivener") is kept only when dropped: what a person uses is anything from
    // an OS to an app, and the generic `user.tools` key would be a guess at which.
    (lemma === "use" && !purpose && isProper(clause, value) && (who === "team" || negated) ? `${who}.tools` : null);
  if (!key) return;
  if (lemma === "run" && who === "user" && !key.startsWith("profile.os")) return;
  if (purpose && key.startsWith("tooling.")) {
    out.add(key, "fact", value, { negative: negated, single: true, through: purpose.end });
    return;
  }
  if (lemma === "run" && who === "user" && !key.startsWith("profile.")) return;
  out.add(key, "fact", value, { negative: negated });
}

/** What a tool is used for: "for the webhook retry queue", "for end-to-end tests" (content words up to a stop). */
function purposePhrase(clause: Clause, from: number): Range | null {
  // "for everything", "for work", "for fun": no purpose a tool's key could name.
  if (VAGUE_PURPOSES.has(low(clause, from))) return null;
  let start = from;
  while (["the", "a", "an", "our", "my", "all"].includes(low(clause, start))) start++;
  let end = start;
  while (end < clause.tokens.length) {
    const token = clause.tokens[end];
    // The one word after "for" that ends the clause is its object, whatever its tag ("for infra", tagged an adverb).
    const last =
      end === start && (clause.tokens[end + 1]?.pos ?? "PUNCT") === "PUNCT" && /^\p{L}+$/u.test(token?.text ?? "");
    if (
      !token ||
      end - start >= 8 ||
      TIME_STOP.has(token.low) ||
      (!last && !["NOUN", "PROPN", "ADJ", "VERB", "X"].includes(token.pos))
    )
      break;
    end = wordEnd(clause, end + 1);
  }
  return end > start ? { start, end } : null;
}

function readLike(clause: Clause, out: Builder, from: number, negated: boolean): void {
  if (negated) return;
  const object = nounPhrase(clause, from, { activity: true });
  if (!object) return;
  const words = clause.tokens.slice(object.start, object.end);
  const head = words[words.length - 1]?.low ?? "";
  const modifier = words[0]?.low ?? "";
  if (VERBOSITY_NOUNS.has(head) && VERBOSITY_WORDS.has(modifier)) {
    out.add(
      "communication.verbosity",
      "preference",
      { start: object.start, end: object.start + 1 },
      { through: object.end },
    );
    return;
  }
  if (low(clause, from) === "my" && clause.tokens[object.end]?.pos === "ADJ") {
    if (VERBOSITY_NOUNS.has(head) && VERBOSITY_WORDS.has(low(clause, object.end))) {
      out.add("communication.verbosity", "preference", { start: object.end, end: object.end + 1 });
      return;
    }
    const noun = words.map((token) => token.lemma.replace(/[^\p{L}\p{N}]/gu, "")).join("_");
    out.add(`user.${noun}`, "preference", { start: object.end, end: object.end + 1 }, { single: true });
    return;
  }
  if (low(clause, object.end) === "when") return;
  const category = valueCategory(slice(clause, object));
  const through = comparison(clause, object.end);
  // Liking a style is choosing it ("I like dark mode"); liking a tool or a system is not using it ("I love Vim").
  const style = category !== undefined && /^(?:style|communication|workflow)\./.test(category);
  if (category && (through !== undefined || style)) {
    out.add(category, "preference", object, { through });
    return;
  }
  listFacts(clause, out, "user.likes", "preference", from, { activity: true });
}

/** End of "over Y" / "to Y" / "instead of Y" / "rather than Y" / "better than Y" after a chosen value, if any. */
function comparison(clause: Clause, from: number): number | undefined {
  let at = from;
  if (["better", "more"].includes(low(clause, at)) && low(clause, at + 1) === "than") at += 2;
  else if (low(clause, at) === "over" || low(clause, at) === "to") at += 1;
  else if (
    (low(clause, at) === "instead" && low(clause, at + 1) === "of") ||
    (low(clause, at) === "rather" && low(clause, at + 1) === "than")
  )
    at += 2;
  else return undefined;
  return nounPhrase(clause, at, { through: ["."] })?.end;
}

function readPreference(clause: Clause, out: Builder, from: number, who: Who): void {
  const object = nounPhrase(clause, from, { through: ["."] }) ?? lexiconWord(clause, from);
  if (!object && low(clause, from) === "to" && clause.tokens[from + 1]?.pos === "VERB") {
    // "I prefer to keep PRs under 400 lines": a practice, keyed by its words.
    let end = clause.tokens.length;
    while (end > from && clause.tokens[end - 1]?.pos === "PUNCT") end--;
    if (end - from <= 10) out.add("", "preference", { start: from + 1, end });
    return;
  }
  if (!object) return;
  if (VERBOSITY_NOUNS.has(low(clause, object.end - 1)) && VERBOSITY_WORDS.has(low(clause, object.start))) {
    out.add(
      "communication.verbosity",
      "preference",
      { start: object.start, end: object.start + 1 },
      { through: object.end },
    );
    return;
  }
  const next = low(clause, object.end);
  const category = valueCategory(slice(clause, object));
  const through = comparison(clause, object.end);
  if (category && next !== "for") {
    out.add(category, "preference", object, { through });
    return;
  }
  if (next === "for") {
    const purpose = nounPhrase(clause, object.end + 1, { activity: true });
    const known = nounCategory(tokenize(purpose ? slice(clause, purpose) : ""));
    if (known) {
      out.add(known.key, "preference", object, { through: purpose?.end });
      return;
    }
    const scope = entityOf(clause, purpose);
    if (purpose && scope && who === "user") {
      const last = category?.split(".").pop() ?? "choice";
      out.add(`user.${scope}_${last}`, "preference", object, { through: purpose.end, single: true });
      return;
    }
    if (category) {
      out.add(category, "preference", object);
      return;
    }
  }
  if (who !== "user") return;
  const words = clause.tokens.slice(object.start, object.end);
  const head = words[words.length - 1];
  // "I prefer working mornings": an activity, whose attribute a key made of its head noun would only guess.
  if ((words[0]?.pos === "VERB" || words[0]?.pos === "ADJ") && /..ing$/.test(words[0].low)) return;
  if (words.length === 2 && head?.pos === "NOUN" && TIME_OF_DAY.has(words[0]?.low ?? "")) {
    // "I prefer morning meetings": the modifier says when, so the attribute is the time of the head.
    const noun = head.lemma.replace(/[^\p{L}\p{N}]/gu, "");
    out.add(
      `user.${noun}_time`,
      "preference",
      { start: object.start, end: object.start + 1 },
      { through: through ?? object.end, single: true },
    );
    return;
  }
  const headCategory = head ? nounCategory(tokenize(head.text)) : undefined;
  if (words.length >= 2 && headCategory && /^(?:style|tooling|workflow)\./.test(headCategory.key)) {
    // "I prefer the high-contrast theme": the head noun names a known category, so the phrase is a choice of it.
    out.add(headCategory.key, "preference", object, { through });
    return;
  }
  if (words.length >= 2 && head && head.pos === "NOUN") {
    const pullRequest = head.low.startsWith("request") && words[words.length - 2]?.low === "pull";
    const noun = pullRequest || /^prs?$/.test(head.low) ? "pr" : head.lemma.replace(/[^\p{L}\p{N}]/gu, "");
    out.add(`user.${noun}`, "preference", object, { through, single: true });
    return;
  }
  // One plain word ("I prefer tea to coffee") names no attribute: left to the caller, keyed by its words.
}

function readCopula(clause: Clause, out: Builder, who: Who, index: number, negated: boolean): void {
  const token = clause.tokens[index];
  if (!token) return;
  if (negated) out.negate();
  const word = token.low;
  const user = who === "user";
  // I was born in X
  if (user && word === "born" && low(clause, index + 1) === "in") {
    placeFact(clause, out, "user.birthplace", index + 2);
    return;
  }
  // I'm based / living / located in X
  if (user && ["based", "living", "located", "residing"].includes(word) && low(clause, index + 1) === "in") {
    placeFact(clause, out, "home.location", index + 2);
    return;
  }
  // we're using X / I'm learning X
  if (token.pos === "VERB" && word.endsWith("ing")) {
    if (token.lemma === "use") readUse(clause, out, who, "use", index, negated);
    else if (token.lemma === "go" && low(clause, index + 1) === "by")
      readAction(clause, out, who, "go", index, negated);
    else if (token.lemma === "work" && user && ["at", "for"].includes(low(clause, index + 1))) {
      employerFact(clause, out, index + 2, negated);
    } else if (token.lemma === "work" && user && low(clause, index + 1) === "in") {
      languageFact(clause, out, index + 2, negated);
    } else if (token.lemma === "learn" && user) {
      if (low(clause, index + 1) === "to" && clause.tokens[index + 2]?.pos === "VERB") {
        out.add("user.learning", "fact", { start: index + 2, end: index + 3 });
      } else listFacts(clause, out, "user.learning", "fact", index + 1);
    }
    return;
  }
  if (word === "on") {
    const value = nounPhrase(clause, index + 1, { through: ["."] });
    if (!value) return;
    const head = clause.tokens[value.end - 1];
    const glued = head !== undefined && head.start === clause.tokens[value.end - 2]?.end;
    if (user && head?.low === "time" && !glued) {
      out.add("profile.timezone", "fact", value);
      return;
    }
    const key = toolKey(clause, value, null, null);
    if (key) out.add(key, "fact", value, { negative: negated });
    return;
  }
  if (!user) return;
  const place = word === "from" ? nounPhrase(clause, index + 1) : null;
  if (place && (low(clause, index - 1) === "originally" || low(clause, place.end) === "originally")) {
    // "I'm originally from Cork", "I'm from Nairobi originally": where the user comes from.
    placeFact(clause, out, "user.hometown", index + 1);
    return;
  }
  if (word === "allergic" && low(clause, index + 1) === "to") {
    listFacts(clause, out, "user.allergy", "fact", index + 2);
    return;
  }
  if (DIETS.has(word)) {
    out.add("user.diet", "fact", { start: index, end: index + 1 }, { negative: negated });
    return;
  }
  if (word === "fluent" && low(clause, index + 1) === "in") {
    const language = languageList(clause, index + 2);
    for (const at of language) out.add("user.language", "fact", { start: at, end: at + 1 }, { negative: negated });
    return;
  }
  if (word === "into" && !negated) {
    // "I'm really into bouldering": a liking.
    listFacts(clause, out, "user.likes", "preference", index + 1, { activity: true });
    return;
  }
  if (conditionFacts(clause, out, index, negated)) return;
  const fan = low(clause, index + 1) === "fan" ? index + 1 : FAN_SIZE.has(low(clause, index + 1)) ? index + 2 : -1;
  if ((word === "a" || word === "an") && fan > 0 && low(clause, fan) === "fan") {
    // "I'm not a fan of YAML" dislikes it; "not a fan of coffee anymore" takes back a liking.
    const retracted = negated && saysNoLonger(clause);
    const key = negated && !retracted ? "user.dislikes" : "user.likes";
    if (low(clause, fan + 1) === "of") listFacts(clause, out, key, "preference", fan + 2, { negative: retracted });
    return;
  }
  if (word === "a" || word === "an" || word === "the") {
    const roleEnd = roleFact(clause, out, index, negated);
    const teamEnd = roleEnd === null ? -1 : teamPhraseEnd(clause, roleEnd);
    if (roleEnd !== null && ["at", "for"].includes(low(clause, teamEnd)))
      employerFact(clause, out, teamEnd + 1, negated);
    return;
  }
  const yearsOld = low(clause, index + 1) === "years" && low(clause, index + 2) === "old" ? 2 : 0;
  const afterAge = clause.tokens[index + 1 + yearsOld];
  const clauseAfter =
    afterAge?.text === "," && /^\d{2}$/.test(token.text) && clause.tokens[index + 2 + yearsOld]?.pos !== "NUM";
  const ageEnds = afterAge === undefined || afterAge.text === "." || clauseAfter;
  if (token.pos === "NUM" && ageEnds && /^\d{1,3}$/.test(token.text)) {
    out.add("user.age", "fact", { start: index, end: index + 1 });
    return;
  }
  if (NATIONALITIES.has(word) && clause.tokens.slice(index + 1).every((next) => next.pos === "PUNCT")) {
    out.add("user.nationality", "fact", { start: index, end: index + 1 }, { negative: negated, single: true });
    return;
  }
  const name = /^\p{Lu}[\p{Ll}-]+$/u.test(token.text) && !NOT_NAMES.has(word) && !looksDescriptive(word);
  if (token.pos === "PROPN" && name && !negated) {
    const following = clause.tokens[index + 1];
    if (!following || following.text === "," || following.pos === "PUNCT") {
      out.add("profile.name", "fact", { start: index, end: index + 1 });
      if (following?.text === ",") roleAfterName(clause, out, index + 2);
    }
  }
}

/** Whether a clause says a state has ended: "no longer", "anymore", "any longer", "any more". */
function saysNoLonger(clause: Clause): boolean {
  return clause.tokens.some((token, index) => {
    const next = low(clause, index + 1);
    return token.low === "anymore" || (["no", "any"].includes(token.low) && ["longer", "more"].includes(next));
  });
}

/**
 * "I'm colourblind", "I'm left-handed and colourblind", "I'm coeliac, so no gluten": lasting conditions, when
 * nothing but other conditions, time words or a new clause follows them. Returns whether the clause names one.
 */
function conditionFacts(clause: Clause, out: Builder, from: number, negated: boolean): boolean {
  const found: Array<[string, Range]> = [];
  let index = from;
  for (;;) {
    const length = [3, 2, 1].find((size) =>
      CONDITIONS.has(slice(clause, { start: index, end: index + size }).toLowerCase()),
    );
    if (length === undefined) return found.length > 0;
    const range = { start: index, end: index + length };
    found.push([CONDITIONS.get(slice(clause, range).toLowerCase()) ?? "user.condition", range]);
    index = range.end;
    if (low(clause, index) === "and" && index + 1 < clause.tokens.length) {
      index++;
      continue;
    }
    const rest = clause.tokens.slice(index);
    const comma = rest.findIndex((token) => token.text === ",");
    const tail = comma === -1 ? rest : rest.slice(0, comma);
    if (tail.every((token) => token.pos === "PUNCT" || TIME_STOP.has(token.low))) {
      for (const [key, range] of found) out.add(key, "fact", range, { negative: negated });
    }
    return true;
  }
}

/** "my X is Y" / "our X is Y" / "my partner's name is Y": the holder X names the attribute. */
function readPossessive(
  clause: Clause,
  start: number,
  who: Who,
  from: number,
  options: { memory?: boolean },
): FrameResult {
  let index = from;
  const holder: Token[] = [];
  while (clause.tokens[index] && holder.length < 6) {
    const token = clause.tokens[index];
    if (!token || ["be", "run", "use"].includes(token.lemma)) break;
    if (token.pos === "PUNCT" || token.pos === "VERB" || token.pos === "ADP") break;
    if (token.pos === "AUX" && token.low !== "'s") break;
    if (token.low === "'s" && holder.length > 0 && clause.tokens[index + 1]?.pos !== "NOUN") break;
    holder.push(token);
    index++;
  }
  const verb = clause.tokens[index];
  const words = holder.filter((token) => token.low !== "'s").map((token) => token.low);
  if (words.length === 0) return { facts: [], subject: "none" };
  const known = nounCategory(tokenize(words.join(" ")));
  const personal = known ? -1 : words.findIndex((word) => PERSON_NOUNS.has(word));
  const nameOf = personal >= 0 && holder.some((token) => token.low === "'s") && words[words.length - 1] === "name";
  if (personal >= 0 && !nameOf) return { facts: [], subject: "third_party" };
  const animal = words.findIndex((word) => PETS.has(word));
  if (animal >= 0 && !(holder.some((token) => token.low === "'s") && words[words.length - 1] === "name")) {
    return { facts: [], subject: "third_party" };
  }
  if (!verb) return { facts: [], subject: who };
  if (options.memory !== true) {
    if (words.some((word) => MOMENT_HOLDERS.has(word))) return { facts: [], subject: who, reason: "momentary" };
    const reason = notLasting(clause.tokens, index);
    const built = ["written", "built"].includes(low(clause, skipModifiers(clause, index + 1).index));
    if (reason && !(reason === "past" && built)) return { facts: [], subject: who, reason };
  }
  // "Our PM uses Notion", "our customers use Safari": what a person in a role or a group of people uses is theirs
  // ("our designer is Maya" still names who holds the role).
  const holderHead = words[words.length - 1] ?? "";
  if (verb.lemma !== "be" && verb.low !== "'s" && (ROLE_HEADS.has(holderHead) || PEOPLE.has(holderHead))) {
    return { facts: [], subject: "third_party" };
  }
  if (verb.lemma !== "be" && verb.low !== "'s" && known?.key.startsWith("profile.")) {
    // "My company uses Slack": what the employer uses is the employer's, not the user's.
    return { facts: [], subject: "third_party" };
  }
  const builder = new Builder(clause, start, false);
  let at = index + 1;
  let suffix = "";
  if (verb.lemma === "be" || verb.low === "'s") {
    const after = skipModifiers(clause, at);
    at = after.index;
    if (after.negated) builder.negate();
    if (low(clause, at) === "called") {
      at++;
      suffix = "name";
    } else if (low(clause, at) === "written" && low(clause, at + 1) === "in") {
      at += 2;
      suffix = "language";
    } else if (low(clause, at) === "on" && words.includes("birthday")) at++;
    else if (who === "team" && regionFact(clause, builder, at, words)) return { facts: builder.facts, subject: who };
    else if (["in", "on", "at"].includes(low(clause, at))) return { facts: [], subject: who };
  } else if (portFact(clause, builder, verb, at, words)) return { facts: builder.facts, subject: who };
  else if (verb.lemma === "run" && low(clause, at) === "on") at++;
  else if (verb.lemma !== "use") return { facts: [], subject: who };
  if (words.join(" ") === "pronouns" && who === "user") {
    const pronouns = /^(?:she|he|they|xe|ze)\/(?:her|him|them|they|she|he|xem|zir)$/i.exec(
      clause.source.slice(clause.tokens[at]?.start ?? 0, clause.tokens[at + 2]?.end ?? 0),
    );
    if (pronouns) builder.add("profile.pronouns", "fact", { start: at, end: at + 3 });
    return { facts: builder.facts, subject: who };
  }
  const phrase = nounPhrase(clause, at, { through: ["."] });
  const value = phrase ?? lexiconWord(clause, at);
  if (!value) return { facts: [], subject: who };
  // "My Vim config is a mess": a verdict on it, no value of it.
  if (VERDICTS.has(low(clause, value.end - 1))) return { facts: [], subject: who, reason: "momentary" };
  if (
    phrase &&
    !clause.tokens
      .slice(value.start, value.end)
      .some((token) => VALUE_POS.has(token.pos) || isNameLike(clause, value.start))
  ) {
    return { facts: [], subject: who };
  }
  // "Our stack is Django and Postgres": one attribute given a list; its first item alone would say something else.
  const listed = ["and", "or", "&"].includes(low(clause, value.end));
  const item = clause.tokens[value.end + 1];
  if (listed && item && (VALUE_POS.has(item.pos) || isCapitalised(item)) && !["PRON", "AUX"].includes(item.pos))
    return { facts: [], subject: who };
  const tool = verb.lemma === "be" || verb.low === "'s" ? undefined : valueCategory(slice(clause, value));
  builder.add(tool ? toolOfHolder(words, tool) : possessiveKey(words, who, suffix), "fact", value);
  return { facts: builder.facts, subject: who };
}

/** Heads of a holder that name no thing of their own: "our staging environment" is staging's. */
const GENERIC_HOLDERS = new Set("environment env stack setup system infrastructure infra suite".split(" "));

/**
 * Key of "our X runs on / uses Y" where Y is a known tool: the tool's category, scoped to X when X names a thing
 * ("our staging environment runs on Kubernetes" → `project.staging.orchestration`).
 */
function toolOfHolder(words: string[], category: string): string {
  const holder = nounCategory(tokenize(words.join(" ")));
  if (holder) return holder.key.startsWith("tooling.") ? holder.key : category;
  // "Our Python projects use uv": all of the team's projects or services are no one named thing.
  const head = words[words.length - 1] ?? "";
  if (head.endsWith("s") && GENERIC_ENTITY.has(head.slice(0, -1))) return category;
  const scope = words.filter((word) => !GENERIC_ENTITY.has(word) && !GENERIC_HOLDERS.has(word));
  const attribute = category.split(".").pop() ?? "tool";
  return scope.length > 0 ? `project.${scope.join("_").replace(/[^\p{L}\p{N}_-]/gu, "")}.${attribute}` : category;
}

/** A single word that is a known value ("main" as a branch), whatever its tag. */
function lexiconWord(clause: Clause, at: number): Range | null {
  const token = clause.tokens[at];
  return token && valueCategory(token.text) !== undefined ? { start: at, end: at + 1 } : null;
}

/**
 * Key of "my/our <holder> is …": the profile name, a known category ("package manager", "default branch"), a
 * project-scoped category ("staging database" → `project.staging.database`), a favourite (`user.favourite_band`),
 * or the holder's words under `user.` / `team.`.
 */
function possessiveKey(words: string[], who: Who, suffix: string): string {
  const holderText = words.join(" ");
  const plain = words.map((word) => word.replace(/[^\p{L}\p{N}_-]/gu, "")).join("_");
  if (holderText === "name") return "profile.name";
  if (suffix === "name" && nounCategory(tokenize(holderText))) return possessiveKey(words, who, "");
  if (suffix !== "") return `project.${plain}.${suffix}`;
  if (/\bfavou?rite\b/.test(holderText)) return `user.${plain}`;
  const whole = nounCategory(tokenize(holderText));
  if (whole) return whole.key;
  const modifiers = new Set(["main", "default", "primary", "current", "usual", "preferred", "new"]);
  for (let cut = 1; cut < words.length; cut++) {
    const tail = nounCategory(tokenize(words.slice(cut).join(" ")));
    if (!tail) continue;
    const scope = words.slice(0, cut).filter((word) => !modifiers.has(word));
    if (scope.length === 0) return tail.key;
    if (who === "user") return `user.${plain}`;
    return `project.${scope.join("_")}.${tail.key.split(".").pop() ?? "value"}`;
  }
  return `${who === "user" ? "user" : "team"}.${plain}`;
}

/** "The atlas API runs on Postgres 16", "Server alpha-1's IP is 10.0.4.12": facts about a named thing of the team. */
function readEntity(clause: Clause, start: number, options: { memory?: boolean }): FrameResult {
  let index = start;
  if (low(clause, index) === "the") index++;
  const name: Token[] = [];
  while (
    clause.tokens[index] &&
    ["NOUN", "PROPN", "ADJ", "X", "NUM"].includes(clause.tokens[index]?.pos ?? "") &&
    name.length < 4
  ) {
    const token = clause.tokens[index];
    if (!token) break;
    name.push(token);
    index++;
  }
  if (name.length === 0) return { facts: [], subject: "none" };
  const first = name[0];
  const builder = new Builder(clause, start, false);
  // Server alpha-1's IP is X
  if (low(clause, index) === "'s" && first && ENTITY_KINDS.has(first.low) && name.length >= 2) {
    const holder: string[] = [];
    let at = index + 1;
    while (clause.tokens[at] && clause.tokens[at]?.lemma !== "be" && holder.length < 3) {
      holder.push(low(clause, at));
      at++;
    }
    const value = nounPhrase(clause, at + 1, { through: ["."] });
    if (value && holder.length > 0 && clause.tokens[at]?.lemma === "be") {
      const attribute = holder.join("_") === "ip" ? "ip_address" : holder.join("_");
      const id = name
        .slice(1)
        .map((token) => token.low)
        .join("-");
      builder.add(`${first.low}.${id}.${attribute}`, "fact", value);
    }
    return { facts: builder.facts, subject: "entity" };
  }
  const named = name.map((token) => token.low);
  const head = named[named.length - 1] ?? "";
  const nameEnd = index;
  const modifiers = skipModifiers(clause, index);
  index = modifiers.index;
  const verb = clause.tokens[index];
  // "Priya joined our team", "Kenji is on our team now"
  const joinedUs = verb?.lemma === "join" && low(clause, index + 1) === "us";
  const onTeam =
    joinedUs ||
    (verb?.lemma === "join" && ["our", "the"].includes(low(clause, index + 1)) && low(clause, index + 2) === "team") ||
    (verb?.lemma === "be" &&
      low(clause, index + 1) === "on" &&
      low(clause, index + 2) === "our" &&
      low(clause, index + 3) === "team");
  if (onTeam && name.every((token) => token.pos === "PROPN") && name.length <= 2 && !modifiers.negated) {
    const member = new Builder(clause, start, false);
    let end = clause.tokens.length;
    while (end > index && clause.tokens[end - 1]?.pos === "PUNCT") end--;
    member.add("team.member", "fact", { start: nameEnd - name.length, end: nameEnd }, { through: end });
    return { facts: member.facts, subject: "team" };
  }
  const portAt = skipModifiers(clause, index + 1).index;
  const placed = verb !== undefined && ["be", "run", "live"].includes(verb.lemma);
  if (placed && !modifiers.negated && regionFact(clause, builder, portAt, named)) {
    return { facts: builder.facts, subject: "entity" };
  }
  if (
    verb &&
    portFact(
      clause,
      builder,
      verb,
      portAt,
      named.filter((word) => !GENERIC_ENTITY.has(word)),
    )
  ) {
    return { facts: builder.facts, subject: "entity" };
  }
  if (verb?.lemma === "be" && !modifiers.negated && ownedTool(clause, builder, start, nameEnd, index + 1)) {
    return { facts: builder.facts, subject: "user" };
  }
  if (verb?.lemma === "be" && low(clause, start) === "the" && !modifiers.negated) {
    // "The staging db is MySQL 8.4": a thing of a known kind is the team's, read like "our staging db is …".
    const kind = nounCategory(tokenize(head));
    if (kind?.key.startsWith("tooling.") && named.length > 1)
      return readPossessive(clause, start, "team", start + 1, options);
  }
  const thing = GENERIC_ENTITY.has(head) || THING_HEADS.has(head);
  // An acronym ("the VPN", "AWS") or an identifier ("Zephyr-532") names a thing, not a person.
  const personal = (token: Token) =>
    token.pos === "PROPN" && !/^[\p{Lu}\p{N}]{2,}$|\p{N}/u.test(token.text) && !ENVIRONMENTS.has(token.low);
  const person = name.some(personal) && !thing;
  const verbal = verb !== undefined && (verb.pos === "VERB" || verb.pos === "AUX");
  if (!verbal || (!thing && (person || PERSON_NOUNS.has(head)))) {
    return { facts: [], subject: verbal && (person || PERSON_NOUNS.has(head)) ? "third_party" : "none" };
  }
  if (!thing) return { facts: [], subject: "none" };
  const reason = options.memory === true ? null : notLasting(clause.tokens, index);
  if (reason) return { facts: [], subject: "entity", reason };
  const after = skipModifiers(clause, index + 1);
  if (modifiers.negated || after.negated) builder.negate();
  let at = after.index;
  let attribute: string | null = null;
  if (verb.lemma === "use") attribute = "";
  else if (verb.lemma === "run" && ["on", "with"].includes(low(clause, at))) {
    at++;
    attribute = "";
  } else if (verb.lemma === "be" && low(clause, at) === "written" && low(clause, at + 1) === "in") {
    at += 2;
    attribute = "language";
  } else if (
    verb.lemma === "be" &&
    low(clause, at) === "hosted" &&
    ["on", "with", "at"].includes(low(clause, at + 1))
  ) {
    at += 2;
    attribute = "hosting";
  }
  if (attribute === null) return { facts: [], subject: "entity" };
  const value = nounPhrase(clause, at, { through: ["."] });
  if (!value) return { facts: [], subject: "entity" };
  const scope = named.filter((word) => !GENERIC_ENTITY.has(word));
  const scopeKey = scope.join("_");
  if (attribute === "language" || attribute === "hosting") {
    if (scopeKey && isProper(clause, value)) builder.add(`project.${scopeKey}.${attribute}`, "fact", value);
  } else {
    const key = toolKey(clause, value, { start: nameEnd - name.length, end: nameEnd }, null);
    if (key) builder.add(key, "fact", value);
  }
  return { facts: builder.facts, subject: "entity" };
}

/** Deployment environments: "prod runs in eu-west-1". */
const ENVIRONMENTS = new Set("prod production staging stage dev development qa test sandbox preview".split(" "));

/** A cloud region as providers write it: `us-east-2`, `eu-west-1`, `europe-west4`, `ap-southeast-1`. */
const REGION = /^[a-z]{2,12}-[a-z]{3,12}-?\d{1,2}$/;

/**
 * "Prod runs in eu-west-1", "our staging cluster is in us-east-2": the region of a named thing, keyed by its words
 * without generic heads (`project.staging.region`). Returns whether the clause was one.
 */
function regionFact(clause: Clause, out: Builder, at: number, named: string[]): boolean {
  const region = clause.tokens[at + 1];
  if (low(clause, at) !== "in" || !region || !REGION.test(region.text)) return false;
  const end = wordEnd(clause, at + 2);
  const rest = clause.tokens.slice(end);
  if (!rest.every((token) => token.pos === "PUNCT" || TIME_STOP.has(token.low))) return false;
  const thing = (word: string) =>
    GENERIC_ENTITY.has(word) || GENERIC_HOLDERS.has(word) || ENTITY_KINDS.has(word) || THING_HEADS.has(word);
  if (!named.some((word) => ENVIRONMENTS.has(word) || thing(word))) return false;
  const scope = named.filter((word) => !thing(word)).map((word) => word.replace(/[^\p{L}\p{N}_-]/gu, ""));
  if (scope.length === 0 || scope.length > 3) return false;
  out.add(`project.${scope.join("_")}.region`, "fact", { start: wordStart(clause, at + 1), end });
  return true;
}

/** Words before a category noun that do not change it: "my go-to database", "our main CI". */
const CHOICE_WORDS = new Set(["go", "-", "to", "main", "default", "primary", "usual", "daily"]);

/**
 * "Postgres is my go-to database", "GitHub Actions is our CI": a named tool said to be the user's or the team's
 * thing of a known category. Returns whether the clause was one.
 */
function ownedTool(clause: Clause, out: Builder, start: number, nameEnd: number, at: number): boolean {
  if (!["my", "our"].includes(low(clause, at))) return false;
  let end = at + 1;
  while (end < clause.tokens.length && (clause.tokens[end]?.pos !== "PUNCT" || low(clause, end) === "-")) end++;
  const words = clause.tokens
    .slice(at + 1, end)
    .map((token) => token.low)
    .filter((word) => !CHOICE_WORDS.has(word) && !TIME_STOP.has(word));
  const category = words.length > 0 && words.length <= 3 ? nounCategory(tokenize(words.join(" "))) : undefined;
  const name = { start: clause.tokens[start]?.low === "the" ? start + 1 : start, end: nameEnd };
  const known = valueCategory(slice(clause, name)) === category?.key;
  if (!category || !(known || isProper(clause, name)) || !/^(?:tooling|style|workflow)\./.test(category.key))
    return false;
  out.add(category.key, "fact", name, { through: end });
  return true;
}

/**
 * "The staging DB runs on port 5433", "our Redis cache listens on port 6379": the port of a named thing, keyed by
 * its words (`project.staging.database.port`). Returns whether the clause was one.
 */
function portFact(clause: Clause, out: Builder, verb: Token, at: number, named: string[]): boolean {
  if (!["run", "listen", "be"].includes(verb.lemma) || low(clause, at) !== "on" || low(clause, at + 1) !== "port") {
    return false;
  }
  const number = clause.tokens[at + 2];
  if (!number || !/^\d{2,5}$/.test(number.text)) return false;
  const words = named.map((word) => (word === "db" ? "database" : word.replace(/[^\p{L}\p{N}_-]/gu, "")));
  const head = words.pop();
  if (!head) return false;
  out.add(words.length > 0 ? `project.${words.join("_")}.${head}.port` : `team.${head}.port`, "fact", {
    start: at + 2,
    end: at + 3,
  });
  return true;
}
