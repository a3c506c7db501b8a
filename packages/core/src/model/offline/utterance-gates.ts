import type { AnalyzedSentence, Token } from "./nlp-analysis.js";

/**
 * Why a sentence that might look like a statement gives no fact; counted in the dream report. `uncertain`: hedged
 * ("I think we use pnpm"); `past`: a state that held before, not said to hold now ("I lived in Paris"); `momentary`:
 * a state or opinion of the moment ("I'm working from home today", "I love the new logo"); `instructions`: a fact
 * was read but the dream's instructions leave it out.
 */
export type DeclineReason =
  | "question"
  | "hypothetical"
  | "uncertain"
  | "past"
  | "momentary"
  | "quoted_speech"
  | "sarcasm"
  | "pleasantry"
  | "non_english"
  | "third_party"
  | "unrecognised"
  | "instructions";

const QUESTION_OPENERS = new Set(
  "what why how where when which who whom whose whether isn't aren't wasn't doesn't don't didn't can't couldn't wouldn't shouldn't any wdyt".split(
    " ",
  ),
);
const INVERTING_AUX = new Set(
  "am is are was were do does did can could would will should shall may might have has had".split(" "),
);
const SUBJECTS = new Set("i you we he she it they there this that".split(" "));

const HYPOTHETICAL_WORDS = new Set(
  "if suppose supposing imagine imagining maybe perhaps someday wish hopefully unless whether theoretically".split(" "),
);
/** Conditions inside an explicit note or rule ("Remember that the build fails if NODE_ENV is unset") are facts. */
const CONDITIONAL = new Set(["if", "unless", "whether"]);
const EXPLICIT_START =
  /^(?:(?:ok(?:ay)?|so|also|btw|oh)[\s,]+)?(?:please\s+)?(?:remember|note|keep in mind|bear in mind|fyi|for the record|don't forget|do not forget|make sure|always|never|from now on|going forward)\b/;
const MODALS = new Set("might could may would should 'd".split(" "));
const HYPOTHETICAL_PHRASES =
  /\b(?:one day|some day|at some point|thinking (?:about|of)|considering|planning (?:to|on)|hope to|hoping to|going to|gonna(?! lie\b)|let's say|in theory|eventually)\b/;

/** The speaker is unsure of what they say: "I think", "probably", "not sure", "if I remember correctly". */
const HEDGE =
  /\b(?:or at least\b|,\s*(?:sort|kind) of\W*$|i (?:think|guess|believe|suppose|reckon|assume|doubt)\b(?! so\b)|probably|possibly|presumably|likely|unlikely|not (?:sure|certain)|(?:pretty|fairly|quite|almost) (?:sure|certain)|if i (?:remember|recall)|iirc|afaik|as far as i (?:know|remember|can tell)|seems? (?:like|to)\b)/;

const REPORTING =
  /\b(?:said|says|saying|told|tells|mentioned|mentions|claimed|claims|wrote|writes|according to|apparently|reportedly|supposedly|keeps saying|heard)\b/;
/** A verb of saying before a colon ("My friend texted: I just adopted a cat!"): what follows is their words. */
const REPORTED_COLON =
  /\b(?:said|says|texted|texts|messaged|emailed|tweeted|posted|replied|wrote|asked|announced|shouted|yelled|goes|went)(?:\s+(?:me|us|him|her|them|back))?\s*:/;
const QUOTE_MARKS = /["“”«»]|(?:^|\s)'[^']{3,}'(?=[\s.,!?]|$)/;

const SARCASM =
  /(?:\/s\b|said no one ever|said nobody ever|\byeah,? right\b|^oh,? (?:great|perfect|joy|wonderful|fantastic|brilliant|lovely|yes|sure)\b|^(?:great|perfect|wonderful|fantastic|sure|wow),|\blove that for me\b|\bsure,? because\b|\b(?:love|adore|enjoy)s? (?:it )?when\b|\badore\b|\b(?:lol|lmao)\W*$|\b(?:jk|j\/k|just kidding|kidding|not really)\W*$|🙄|\btotally enjoy\b)/;

/**
 * A liking capped by an overstated tag ("I love waiting 20 minutes for CI, best part of my day"): said of a chore,
 * it is irony, and the words cannot tell which; precision first, it is read as sarcasm.
 */
const LOVE = /\bi (?:just |really |absolutely )?(?:love|adore|enjoy)\b/;
const OVERSTATED_TAG =
  /,\s*(?:(?:the|my)\s+)?(?:best|favou?rite|highlight)\s+(?:part|thing|moment|bit)?\s*(?:of|about)\s+(?:my|the)\s+(?:day|week|morning|job|life|year)\b/;
const PLEASANTRY =
  /^(?:(?:oh|well|ok|okay|and|so|hey|hi)[\s,]+)*(?:thanks?\b|thank you|thx|ty\b|cheers|hello|hi\b|hey\b|hiya|howdy|good (?:morning|afternoon|evening|night)|morning\b|have a (?:great|good|nice|lovely|wonderful) |take care|see you|see ya|bye|goodbye|talk (?:soon|tomorrow|later)|nice to meet|pleasure to meet|welcome|congrats|congratulations|no worries|no problem|you're (?:the best|welcome|awesome|a star)|i owe you|i appreciate|i really appreciate|i hope (?:you|your|this|that|it)|i'm (?:so |really |very )?(?:glad|happy to|sorry|good|fine|great|well|doing (?:great|well|good|fine|ok|okay))|i'm (?:ok|okay|alright)\b|i (?:love|like) (?:that|this|it)\b|sounds good|great (?:work|job)|well done|much appreciated|awesome|perfect\b|lovely\b)/;

/** Frequent English words: a sentence where few of its words are English is not English. */
const ENGLISH = new Set(
  `i me my mine we us our you your he him his she her they them their it its a an the this that these those is am are
   was were be been being have has had do does did not no yes and or but so if to of in on at by for with from up out
   about into over after before as than then there here what when where who why how all any some more most just also
   very really now still too again always never use used using work works live lives moved move prefer like love
   hate please thanks thank can will would should could may might must let let's don't i'm i've we're it's that's`.split(
    /\s+/,
  ),
);
/** Very frequent function words of other languages written in Latin script (none of them English words). */
const FOREIGN = new Set(
  `ich du er sie wir ihr und der das ist nicht ein eine mit bei auf für von zu im immer bin je tu il nous vous
   ils et le la les est une des du chez moi avec pour dans pas très el los las es y en con por para yo soy estoy
   muy eu em não nós você é uma com pela pelo obrigado obrigada ik het een zijn niet ook altijd jag och är det
   inte jeg og er ikke mi sono di che della gli w z się nie jestem mam bonjour gracias merci danke hola
   ciao olá`.split(/\s+/),
);
const DIACRITIC = /[ãõçéèêëàâäöüßñåøæłśżźćńąęřšžčěůíóúì]/i;
const NON_LATIN =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Cyrillic}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Greek}\p{Script=Thai}\p{Script=Devanagari}]/u;

/**
 * True when a sentence is not English: another script, or a function word of another language (or an uncapitalised
 * word with its diacritics) in a sentence where under half of the words are common English words.
 */
export function isNonEnglish(sentence: AnalyzedSentence): boolean {
  if (NON_LATIN.test(sentence.text)) return true;
  const words = sentence.tokens.filter((token) => /^[\p{L}'’-]+$/u.test(token.text));
  if (words.length === 0) return false;
  // A name keeps its diacritics in English too ("I'm based in Kraków"): only an uncapitalised word counts.
  const accented = (token: Token, index: number) =>
    DIACRITIC.test(token.text) && (index === 0 || !/^\p{Lu}/u.test(writtenWord(sentence, token)));
  // An acronym ("IST", "DIE") is no function word of another language.
  const shouted = sentence.text === sentence.text.toUpperCase();
  const acronym = (token: Token) => !shouted && token.text.length > 1 && token.text === token.text.toUpperCase();
  const foreign = words.filter(
    (token, index) => (FOREIGN.has(token.low) && !acronym(token)) || accented(token, index),
  ).length;
  const english = words.filter((token) => ENGLISH.has(token.low)).length;
  return foreign > 0 && english / words.length < 0.5;
}

/** The whole written word a token is part of: the tagger splits some names ("Wrocław" as "Wroc" + "ław"). */
function writtenWord(sentence: AnalyzedSentence, token: Token): string {
  const at = token.start - sentence.start;
  const before = /[\p{L}\p{N}]*$/u.exec(sentence.text.slice(0, at))?.[0] ?? "";
  const after = /^[\p{L}\p{N}]*/u.exec(sentence.text.slice(at))?.[0] ?? "";
  return before + after;
}

/**
 * "…, if that matters", "…, if it helps": a condition on the telling, not on what is told (a relevance conditional).
 * The "if" follows a comma and its clause is "that"/"it"/"this" with a few words of being useful or mattering.
 */
function isRelevanceCondition(tokens: readonly Token[], at: number): boolean {
  if (tokens[at - 1]?.text !== "," || !["that", "it", "this"].includes(tokens[at + 1]?.low ?? "")) return false;
  const rest = tokens.slice(at + 2).filter((token) => token.pos !== "PUNCT");
  const verb = rest[0];
  const relevant = ["matter", "help"].includes(verb?.lemma ?? "") || (verb?.lemma === "be" && rest[1]?.pos === "ADJ");
  return relevant && rest.length <= 3 && at + 2 + rest.length >= tokens.length - 1;
}

/** True when a sentence asks something: a question mark, or a question word or inverted auxiliary first. */
export function isQuestion(sentence: AnalyzedSentence): boolean {
  const tokens = sentence.tokens;
  if (tokens.some((token) => token.text === "?")) return true;
  const first = tokens[0];
  const second = tokens[1];
  if (!first) return false;
  if (QUESTION_OPENERS.has(first.low) && first.low !== "any") return true;
  return INVERTING_AUX.has(first.low) && second !== undefined && SUBJECTS.has(second.low);
}

/**
 * Verbs that tell the agent what follows a colon is news to keep ("Remember this: …", "Update: …"), unlike those that
 * ask it to work on the text ("Translate this: …").
 */
const KEEPING_VERBS = new Set("remember note keep bear save store record add write log memorize update".split(" "));

/**
 * A request to work on the text after a colon ("Translate this into German: I love my job", "Proofread: …"): the
 * sentence opens with a verb in its dictionary form (an imperative, by the tagger) before the colon, and the verb is
 * not one of keeping. What follows is material, not the user speaking.
 */
function isMaterialRequest(sentence: AnalyzedSentence): boolean {
  const first = sentence.tokens[0];
  if (first?.pos !== "VERB" || first.low !== first.lemma || KEEPING_VERBS.has(first.low)) return false;
  const colon = sentence.tokens.findIndex((token) => token.text === ":");
  return colon > 0 && colon < sentence.tokens.length - 1;
}

/**
 * Why a whole sentence gives no fact, before any clause of it is read: a question, a hypothetical ("if I moved…",
 * "I might switch…"), a hedge ("…, I think"), quoted or reported speech, sarcasm, or another language. Null when the
 * sentence may state something. In instructions (always/never …) "should" is not hypothetical.
 */
export function sentenceGate(sentence: AnalyzedSentence): DeclineReason | null {
  const low = sentence.text.toLowerCase().replace(/’/g, "'");
  if (isNonEnglish(sentence)) return "non_english";
  if (isQuestion(sentence)) return "question";
  if (SARCASM.test(low) || (LOVE.test(low) && OVERSTATED_TAG.test(low))) return "sarcasm";
  if (QUOTE_MARKS.test(sentence.text) || REPORTING.test(low) || REPORTED_COLON.test(low) || isMaterialRequest(sentence))
    return "quoted_speech";
  const rule = /\b(?:always|never)\b/.test(low);
  const explicit = EXPLICIT_START.test(low);
  for (const [index, token] of sentence.tokens.entries()) {
    const condition = explicit && CONDITIONAL.has(token.low);
    if (HYPOTHETICAL_WORDS.has(token.low) && !condition && !isRelevanceCondition(sentence.tokens, index))
      return "hypothetical";
    const month = token.low === "may" && index > 0 && token.text === "May";
    if (MODALS.has(token.low) && !rule && !month) {
      const next = sentence.tokens[index + 1]?.low;
      if (next === "rather" || next === "like" || next === "love") continue;
      return "hypothetical";
    }
  }
  if (HYPOTHETICAL_PHRASES.test(low)) return "hypothetical";
  if (HEDGE.test(low)) return "uncertain";
  return null;
}

/** True when a clause is a greeting, thanks, apology or other pleasantry. */
export function isPleasantry(clause: string): boolean {
  return PLEASANTRY.test(clause.toLowerCase().replace(/’/g, "'").trim());
}
