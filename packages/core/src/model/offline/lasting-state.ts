import { DIETS } from "./attribute-lexicon.js";
import type { Token } from "./nlp-analysis.js";

/**
 * Verbs of a change whose result lasts: "I moved to Porto", "we switched to Vitest", "I quit Keller" still say what
 * holds now when told in the past tense. Every other frame verb names a state ("live", "work", "use", "be", "like"):
 * in the past tense it says what held before, not what holds now.
 */
const CHANGE_VERBS = new Set(
  `move relocate switch migrate change upgrade downgrade transition replace join start take get quit leave give stop
   drop ditch abandon adopt add hire bring pick grow become retire`.split(/\s+/),
);
const PAST_AUX = new Set(["was", "were", "had", "did", "didn't", "wasn't", "weren't", "hadn't"]);
const PERFECT_AUX = new Set(["have", "has", "'ve"]);
const NEGATION = new Set(["not", "n't", "never"]);
const ADVERB =
  /^(?:also|really|just|now|still|finally|actually|recently|already|always|mostly|even|only|fully|completely|strictly)$/;

/** Periods a state can be bounded to: "this week", "next month". */
const PERIODS = new Set(
  "morning afternoon evening night week weekend month fortnight semester quarter sprint summer winter".split(" "),
);
/** Single words that bound a state to a short time: "I'm working from home today". */
const BOUNDED = new Set(["today", "tonight", "tomorrow", "temporarily", "until", "till"]);
/** Two-word bounds: "for now", "right now", "at the moment". */
const BOUNDED_PAIRS = new Set(["for now", "right now", "this time", "for today"]);
/** Words after "the" that make a liked thing one specific thing of the moment: "I love the new logo". */
const SPECIFIC = new Set("new latest current recent updated redesigned old last next first second final".split(" "));
const OPINION_VERBS = new Set("like love enjoy hate dislike detest prefer adore".split(" "));
const DEMONSTRATIVES = new Set(["this", "these", "those", "here"]);
const ADDRESSEE = new Set(["you", "your", "yours", "you're", "u"]);

/** Why a first-person clause states no lasting fact, or null when it may: a past state, or a state of the moment. */
export type NotLasting = "past" | "momentary" | "hypothetical" | null;

/** Whether a word is a past-tense form ("lived", "was", "went"); "need" and "feed" are not. */
export function isPastWord(word: string): boolean {
  return PAST_AUX.has(word) || IRREGULAR_PAST.has(word) || (/ed$/.test(word) && !/eed$/.test(word));
}

/**
 * A verb in the past: an auxiliary of the past, or a verb the tagger reads as a form of another lemma that is neither
 * a third-person `-s` nor an `-ing` form ("ate" of eat, "drank" of drink): the lemma tells, not a list of verbs.
 */
function isPastForm(token: Token): boolean {
  if (PAST_AUX.has(token.low)) return true;
  if (token.pos !== "VERB" || token.low === token.lemma) return false;
  return /ed$/.test(token.low) || IRREGULAR_PAST.has(token.low) || !/(?:s|ing)$/.test(token.low);
}

const IRREGULAR_PAST = new Set(
  `went got made chose began took wrote left ran built found came became bought brought thought sent spent kept felt
   held lost met paid sold stood won drew drove flew gave grew knew saw spoke taught quit read had did was were`.split(
    /\s+/,
  ),
);

function skipAdverbs(tokens: readonly Token[], from: number): number {
  let index = from;
  while (tokens[index] && (ADVERB.test(tokens[index]?.low ?? "") || NEGATION.has(tokens[index]?.low ?? ""))) index++;
  return index;
}

/**
 * The main verb after a subject and the tense it is told in: "I lived" (past), "I've lived" (perfect: present),
 * "I had lived", "I used to live", "I didn't like" (past), "I was a teacher" (past of "be").
 */
function mainVerb(tokens: readonly Token[], at: number): { verb: Token | undefined; past: boolean } {
  const first = tokens[at];
  if (!first) return { verb: undefined, past: false };
  if (first.low === "used" && tokens[at + 1]?.low === "to") return { verb: tokens[at + 2], past: true };
  const next = tokens[skipAdverbs(tokens, at + 1)];
  const participle = next !== undefined && (next.pos === "VERB" || next.lemma === "be");
  if (PERFECT_AUX.has(first.low) && first.pos === "AUX" && participle) return { verb: next, past: false };
  if (first.low === "had" && participle) return { verb: next, past: true };
  if ((first.low === "was" || first.low === "were") && next?.low === "born") return { verb: next, past: false };
  if ((first.low === "did" || first.low === "didn't") && next?.pos === "VERB") return { verb: next, past: true };
  return { verb: first, past: isPastForm(first) };
}

/** Where the verb's own phrase ends: at a comma, a conjunction or a subordinate clause ("…, so set the job …"). */
function phraseEnd(tokens: readonly Token[], from: number): number {
  let end = from;
  while (end < tokens.length) {
    const token = tokens[end];
    if (!token || [",", ";", ":", "—", "–"].includes(token.text) || token.pos === "CCONJ" || token.pos === "SCONJ")
      break;
    end++;
  }
  return end;
}

function boundedInTime(tokens: readonly Token[], from: number, to: number): boolean {
  for (let index = from; index < to; index++) {
    const word = tokens[index]?.low ?? "";
    const next = tokens[index + 1]?.low ?? "";
    if (BOUNDED.has(word) || BOUNDED_PAIRS.has(`${word} ${next}`)) return true;
    if (word === "at" && next === "the" && tokens[index + 2]?.low === "moment") return true;
    if ((word === "this" || word === "next") && PERIODS.has(next)) return true;
    if (word === "for" && next === "the" && ["day", "week", "weekend", "time"].includes(tokens[index + 2]?.low ?? ""))
      return true;
  }
  return false;
}

/** A clause that points at the conversation or at something present: "with you", "like this one", "your idea". */
function pointsAtTheMoment(tokens: readonly Token[], from: number, to: number): boolean {
  for (let index = from; index < to; index++) {
    const token = tokens[index];
    if (!token) continue;
    if (ADDRESSEE.has(token.low)) return true;
    const next = tokens[index + 1];
    if (DEMONSTRATIVES.has(token.low) && !(next?.low === "days" || PERIODS.has(next?.low ?? ""))) return true;
    if (token.low === "that" && (next === undefined || next.pos === "PUNCT" || next.low === "one")) return true;
  }
  return false;
}

/** Words after "as a" that place a change in the speaker's childhood or school years: "as a kid". */
const LIFE_STAGES = new Set("kid child teen teenager student baby boy girl toddler".split(" "));
const WEEKDAYS = new Set("monday tuesday wednesday thursday friday saturday sunday".split(" "));
const MONTHS = new Set(
  "january february march april may june july august september october november december".split(" "),
);
const FUTURE_UNITS = new Set([
  "week",
  "month",
  "year",
  "quarter",
  "spring",
  "summer",
  "autumn",
  "fall",
  "winter",
  ...WEEKDAYS,
]);
const TEMPORARY = new Set(["day", "week", "weekend", "time", "moment", "evening", "night"]);
/** Lengths of a stay: "for a year", "for six months", "for a semester". */
const STAY_UNITS = new Set("year years month months week weeks semester term summer while".split(" "));

/**
 * A change told in the past that the clause itself places in an earlier stage of life ("I moved to Berlin when I
 * was five", "as a kid", "back in 2009") is `past`; one made for a bounded stay ("I moved to London for a year") is
 * `momentary`, as is one bounded in time ("I quit Slack for the day"); one the clause goes on to undo or follow
 * ("…and then to Munich", "…but went back to VS Code") is `past`; one told in the present for a time to come ("I
 * start at Google on Monday") is `hypothetical`: none says it holds now.
 */
function changeNotLasting(tokens: readonly Token[], from: number, past: boolean): NotLasting {
  for (let index = from; index < tokens.length; index++) {
    const word = tokens[index]?.low ?? "";
    const next = tokens[index + 1]?.low ?? "";
    const third = tokens[index + 2]?.low ?? "";
    // "I start at Google on Monday", "I move to Berlin next month": a change told in the present for a time to come
    // is a plan, not yet a fact.
    if (!past && (word === "tomorrow" || word === "soon" || (word === "next" && FUTURE_UNITS.has(next))))
      return "hypothetical";
    if (!past && (word === "on" || word === "in") && (WEEKDAYS.has(next) || MONTHS.has(next))) return "hypothetical";
    // A later change in the same clause supersedes it: "…and then to Munich", "…but went back to VS Code".
    if (word === "then" || (word === "back" && index > from && tokens[index - 1]?.pos === "VERB")) return "past";
    if (word === "when" && ["i", "we"].includes(next) && ["was", "were"].includes(third)) return "past";
    if (word === "as" && ["a", "an"].includes(next) && LIFE_STAGES.has(third)) return "past";
    if (word === "back" && next === "in") return "past";
    if (word === "for" && (next === "a" || tokens[index + 1]?.pos === "NUM") && STAY_UNITS.has(third))
      return "momentary";
    // A change made "for now", "for the day", "temporarily", "until …" (a change made "today" or "this week" lasts).
    if (["temporarily", "until", "till"].includes(word)) return "momentary";
    if (word === "for" && (["now", "today", "tonight"].includes(next) || (next === "the" && TEMPORARY.has(third))))
      return "momentary";
  }
  return null;
}

/**
 * Whether a first-person clause whose verb starts at `at` states something that holds now and lasts. A state told
 * in the past tense ("I lived in Paris", "we used Jest", "I was a teacher", "I had a dog") is `past`; a state
 * bounded to a short time ("I'm working from home today", "for now"), pointing at the conversation or at something
 * present ("I love working with you", "I hate Mondays like this one"), or an opinion of one specific new thing ("I
 * love the new logo") is `momentary`. A change told in the past ("I moved to Porto") lasts.
 */
export function notLasting(tokens: readonly Token[], at: number): NotLasting {
  const { verb, past } = mainVerb(tokens, at);
  if (!verb) return null;
  const after = tokens.indexOf(verb) + 1;
  // "I went vegan": going to a diet is a change; going somewhere is a one-off.
  const diet = verb.lemma === "go" && DIETS.has(tokens[skipAdverbs(tokens, after)]?.low ?? "");
  const change = CHANGE_VERBS.has(verb.lemma) || diet;
  if (past && !change) return "past";
  if (change) return changeNotLasting(tokens, after, past);
  const end = phraseEnd(tokens, after);
  if (boundedInTime(tokens, after, end) || pointsAtTheMoment(tokens, after, end)) return "momentary";
  if (OPINION_VERBS.has(verb.lemma)) {
    const object = skipAdverbs(tokens, after);
    if (tokens[object]?.low === "the" && SPECIFIC.has(tokens[object + 1]?.low ?? "")) return "momentary";
  }
  return null;
}
