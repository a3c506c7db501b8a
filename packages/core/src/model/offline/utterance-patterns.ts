import type { FactKind } from "../../schemas/facts.js";
import { looksDescriptive } from "./attribute-lexicon.js";
import { isPastWord } from "./lasting-state.js";
import { finishStatement, imperative, thirdPerson } from "./person.js";
import { subjectKey } from "./subject-key.js";
import { lower } from "./text-tokens.js";

/** A memory statement recognised in a clause of a user's message. */
export interface Recognized {
  kind: Exclude<FactKind, "insight" | "transient">;
  statement: string;
}

const ADV =
  "(?:(?:really|strongly|generally|usually|much|definitely|personally|also|still|now|just|recently|actually|mostly|mainly|currently|absolutely|totally|honestly|typically|normally|kind of|sort of|all)\\s+){0,2}";
const PLEASE = "(?:(?:please|pls|plz|kindly)\\s+)?";
const TEAM = "(?:we|our team|the team)";
const NOT_DEICTIC = "(?!(?:this|that|it|these|those|them|how|what|when|the idea|doing that)\\b)";
const LANGUAGES =
  "(?:english|german|french|spanish|portuguese|italian|dutch|polish|swedish|norwegian|danish|finnish|japanese|chinese|mandarin|korean|russian|ukrainian|turkish|arabic|hebrew|hindi|greek|czech|romanian|hungarian|vietnamese|thai|indonesian)";
const ROLE_NOUNS =
  "(?:engineer|developer|dev|designer|manager|scientist|researcher|student|lead|architect|analyst|consultant|founder|co-founder|cto|ceo|cfo|vp|director|administrator|admin|sre|programmer|intern|contractor|freelancer|product owner|teacher|writer|maintainer|pm)s?";

const rx = (source: string) => new RegExp(source, "u");

const RULE = rx(
  `^${PLEASE}(?:you\\s+(?:should|must|need to|have to)\\s+|(?:i\\s+(?:want|need|would like)|i'd like|i'd love)\\s+you\\s+to\\s+|let's\\s+|make sure (?:to|you)\\s+|be sure to\\s+)?(?:always|never|(?:don't|do not)\\s+ever|never\\s+ever)\\s+\\S`,
);
/** Verbs ending in "-ed" that are no past form. */
const NOT_PAST = new Set(["embed", "shred", "shed", "bed"]);
const BARE_AUX = new Set("have has had do does did am is are was were will would can could be been".split(" "));

/**
 * An always/never clause that names no action to take: its verb is in the past ("…and never left", "always wanted
 * to") or it is a bare auxiliary ("I prefer tabs, always have"). Such a clause is a remark about the past, not a rule.
 */
function saysNoAction(low: string): boolean {
  const rest = /\b(?:always|never)\s+(?:ever\s+)?(.*)$/.exec(low)?.[1];
  if (rest === undefined) return false;
  const after = rest.replace(/[.!,;]+$/, "").trim();
  const words = after.split(/\s+/).filter((word) => word !== "");
  const first = words[0] ?? "";
  if (first === "" || (isPastWord(first) && !NOT_PAST.has(first))) return true;
  return words.length === 1 && BARE_AUX.has(first);
}
/** "Whenever you add a dependency, ask me first": a standing condition on the agent's work, then what to do. */
const WHENEVER =
  /^(?:(?:please|pls|plz|kindly)\s+)?(?:whenever|every time|each time|any ?time) you\b[^,;]{3,80},\s*(?:please\s+)?(.+)$/;
/** "Don't use semicolons, ever": a prohibition closed by "ever" is a "never". */
const DONT_EVER = /^(?:(?:please|pls|plz|kindly)\s+)?(?:don't|do not)\s+(.{3,120}?),?\s+ever[.!]*$/i;
const SUBJECT_ALWAYS = rx(`^(i|${TEAM})\\s+${ADV}(?:always|never)\\s+(\\S+)`);
const CONTRAST = rx(
  `^${PLEASE}(?:use|prefer|pick|choose|go with|stick with|stick to|default to|switch to)\\s+.{1,80}?\\s+(?:instead of|over|rather than|not)\\s+\\S`,
);
/** What must or must not be done: a note that says so is a rule ("the VPN is required for staging"). */
const DEONTIC = /\b(?:must|mustn't|required|mandatory|needs? to|has to|have to|not allowed|forbidden|is allowed)\b/;
/**
 * What happens on a schedule, within a limit or on a condition of the team's work ("the certs expire every 90 days",
 * "prod deploys only happen on Tuesdays", "100 requests per minute", "staging deploys need approval"): noted
 * explicitly, a standing rule to work by, like a must.
 */
export const STANDING =
  /\b(?:(?:every|each)\s+(?:\d+\s+|other\s+)?(?:second|minute|hour|day|night|morning|evening|week|weekend|month|quarter|year|sprint|release|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?|on\s+(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays|weekdays|weekends)|on the (?:first|last|\d{1,2}(?:st|nd|rd|th)) (?:\w+ )?of (?:the|each|every) month|per (?:second|minute|hour|day|week|month|request|user)|needs?)\b/;
/** A choice about the code at hand ("use a Set instead of an array here"): a one-off request, not a standing rule. */
const LOCAL =
  /\b(?:here|for now|(?:this|that|these|those) (?:file|function|method|class|component|line|lines|test|case|snippet|query|loop|one|part|section|pr|diff|script|module|hook|call|variable|spot|place|time))\b/;
const COMMUNICATION = rx(
  `^${PLEASE}(?:always\\s+)?(?:reply|respond|answer|talk|write|speak|communicate)(?:\\s+to\\s+me)?\\s+(?:only\\s+)?in\\s+${LANGUAGES}\\b`,
);
const VERBOSITY = rx(
  `^${PLEASE}(?:always\\s+)?(?:(?:keep|make)\\s+(?:your\\s+|the\\s+|all\\s+)?(?:answers|responses|replies|explanations|messages|summaries)\\s+(?:\\S+\\s+){0,2}?(?:short|shorter|brief|concise|terse|succinct|detailed|thorough|longer|to the point)\\b|be\\s+(?:more\\s+)?(?:brief|concise|terse|succinct)\\b)`,
);
const NAME_INTRO = /^I(?:'m|’m| am)\s+(\p{Lu}[\p{Ll}-]{1,30})(?=\s*(?:,|$))(?:\s*,\s*(.+))?$/u;
const NOT_NAMES = new Set(
  `sorry done back here good fine not just still ok okay happy glad sure ready busy free afraid confused lost stuck new
   going also really actually working trying using looking curious wondering in on at away out off late tired aware
   home there`.split(/\s+/),
);
const ROLE_PHRASE = rx(`^(?:(?:an?|the)\\s+)?(?:[\\p{L}-]+\\s+){0,4}?${ROLE_NOUNS}\\b`);
const CALL_ME = /^(?:(?:[Pp]lease|[Kk]indly)\s+)?[Cc]all me\s+(\p{Lu}[\p{L}-]{1,30})\b/u;
const ROLE_I = rx(
  `^(?:i(?:'m|\\s+am)\\s+an?\\s+(?:[\\p{L}-]+\\s+){0,4}?${ROLE_NOUNS}\\b|i\\s+${ADV}work\\s+as\\s+\\S)`,
);
const EMPLOYER_I = rx(`^i\\s+${ADV}work\\s+(?:at|for)\\s+(?!a\\s+(?:bit|while)\\b|the\\s+moment\\b|now\\b)\\S`);
const LOCATION_I = rx(
  `^(?:i(?:'ve|\\s+have)?\\s+${ADV}(?:live|moved|relocated)\\s+(?:in|to)\\s+\\S|i(?:'m|\\s+am)\\s+${ADV}(?:based|living|located)\\s+in\\s+\\S)`,
);
const TIMEZONE_I = /^i(?:'m|\s+am)\s+(?:in|on)\s+(?:the\s+)?\S/;
const PRONOUNS_I = /^(?:i\s+(?:use|go by)|my pronouns are)\s+(?:she|he|they)\/(?:her|him|them|they|she|he)\b/;
const POSSESSIVE = rx(
  `^(?:my|our)\\s+${NOT_DEICTIC}([^,;:.!?()]{1,60}?)\\s+(?:is|are|runs on|runs in|lives in|uses)\\s+(\\S.*)$`,
);
const POSSESSIVE_SKIP = new Set(
  `point guess question concern idea thought plan worry problem issue suggestion understanding assumption hope bet bad
   mistake fault pleasure apologies apology take feeling sense impression answer reply response bad`.split(/\s+/),
);
const STATE_WORDS = new Set(
  `broken failing down slow done ready fine ok okay good bad wrong correct working not still almost finally already
   merged green red up gone missing empty full open closed stuck flaky out off here there back weird great perfect
   awesome better worse so too very really messed huge failing passing updated deployed pushed fixed`.split(/\s+/),
);
const TEAM_USE = rx(
  `^(?:${TEAM}\\s+${ADV}(?:use|rely on|run|deploy (?:to|on)|host (?:on|with)|write|build (?:with|in)|adopted|standardi[sz]ed on|went with|chose|picked|settled on)|(?:we're|we are|our team is|the team is)\\s+${ADV}using)\\s+${NOT_DEICTIC}\\S`,
);
const SWITCH = rx(
  `^(?:i|${TEAM})(?:'ve|\\s+have)?\\s+${ADV}(?:finally\\s+)?(?:switched|migrated|moved|changed|transitioned|upgraded|downgraded)\\s+(?:over\\s+)?(?:from\\s+.{1,60}?\\s+)?(?:to|over to)\\s+\\S`,
);
const NO_LONGER = rx(
  `^(?:i|${TEAM})\\s+${ADV}(?:no longer|don't|do not|stopped|have stopped|quit)\\s+(?:use|using)\\s+${NOT_DEICTIC}\\S`,
);
const PREFER = rx(`^(?:i|we)(?:'d|\\s+would)?\\s+${ADV}(?:prefer|rather)\\s+(?!not to\\b)${NOT_DEICTIC}\\S`);
const LIKE_BETTER = rx(
  `^(?:i|we)\\s+${ADV}(?:like|love|enjoy)\\s+.{1,80}?\\s+(?:better than|more than|over|rather than|instead of)\\s+\\S`,
);
const DISLIKE = rx(
  `^(?:i|we)\\s+${ADV}(?:hate|dislike|can't stand|cannot stand|don't like|do not like|detest)\\s+${NOT_DEICTIC}\\S`,
);
const LIKE = rx(`^(?:i|we)\\s+${ADV}(?:like|love|enjoy)\\s+${NOT_DEICTIC}\\S`);
const I_USE = rx(
  `^(?:i\\s+${ADV}(?:use|work in|code in|write in|develop in|program in)|i(?:'m|\\s+am)\\s+${ADV}(?:using|on))\\s+${NOT_DEICTIC}\\S`,
);
const PRONOUN_SUBJECT =
  /^(?:it|this|that|these|those|they)(?:'s|\s+(?:is|was|are|were|works|worked|will|should|does|did|has|had))\b/;
const QUESTION_WORD = /^(?:what|how|why|which|who|whom|whose|where|whether)\b/;
/** Verbs (and always/never/don't) that open an instruction. */
export const IMPERATIVE_START =
  /^(?:always|never|don't|do not|use|run|avoid|prefer|keep|write|add|ask|check|make|put|ensure|commit|push|deploy|test|call|install|set|follow|read|review|update|create|remove|delete|build|start|stop|open|close|respond|reply|answer|explain|include|mention|format|name|store|save|send|wait|try|prefix|limit|document|give|show|tell|skip|cap|pin|tag|log|squash|rebase|merge|lint|type|annotate|default|stick|be|treat|leave|stay|prefer|route|split|batch|retry|escalate|notify|ping|cc|link|reference|cite|double-check|verify|confirm|schedule)\b/;

const SCOPE_LEAD =
  /^(?:in|for|on|within|across)\s+(?:the\s+)?[\p{L}\p{N}._-]{1,40}\s+(?:project|repo|repository|codebase|monorepo|service|app|package)s?\s*,?\s+/iu;

/** Options for {@link recognize}. */
export interface RecognizeOptions {
  /** The clause followed an explicit memory marker ("remember that", "from now on", "please note"). */
  explicit: boolean;
  /** The clause is an instruction ("remember to X" gives "X"). */
  instruction?: boolean;
}

function statementOf(text: string): string {
  return finishStatement(thirdPerson(text));
}

function instructionOf(text: string): string {
  return finishStatement(thirdPerson(imperative(text)));
}

function withArticle(phrase: string): string {
  if (/^(?:an?|the)\s/i.test(phrase)) return phrase;
  return `${/^[aeiou]/i.test(phrase) ? "an" : "a"} ${phrase}`;
}

/**
 * The rule a clause states in instruction form, if any: always/never ("Never force-push to main", "we always squash"),
 * a contrastive choice ("use X instead of Y"), how to communicate ("reply in German", "keep answers short").
 * Plain first-person statements are not read here: the statement frames read them.
 */
export function recognizeRule(clause: string): Recognized[] {
  const text = clause.trim().replace(/[’‘]/g, "'");
  const low = lower(text);
  if (RULE.test(low) && !saysNoAction(low)) return [{ kind: "procedure", statement: instructionOf(text) }];
  const whenever = WHENEVER.exec(low);
  if (whenever?.[1] !== undefined && IMPERATIVE_START.test(whenever[1]) && !LOCAL.test(low)) {
    return [{ kind: "procedure", statement: instructionOf(text) }];
  }
  const ever = DONT_EVER.exec(text);
  if (ever?.[1] !== undefined && !LOCAL.test(low)) {
    return [{ kind: "procedure", statement: finishStatement(thirdPerson(`Never ${ever[1]}`)) }];
  }
  const always = SUBJECT_ALWAYS.exec(low);
  if (always && !isPastWord(always[2] ?? "")) {
    return [{ kind: always[1] === "i" ? "preference" : "procedure", statement: statementOf(text) }];
  }
  if ((CONTRAST.test(low) && !LOCAL.test(low)) || COMMUNICATION.test(low) || VERBOSITY.test(low)) {
    return [{ kind: "preference", statement: instructionOf(text) }];
  }
  return [];
}

/**
 * The memory statements a clause of a user's message makes, if any: instructions with always/never, contrastive
 * choices ("use X instead of Y"), how to communicate, who the user is and where they live, what the team uses or
 * switched to, preferences, and — after an explicit marker — any plain statement or instruction. Anything else
 * (requests, questions, chatter) gives nothing.
 */
export function recognize(clause: string, options: RecognizeOptions): Recognized[] {
  const text = clause.trim().replace(/[’‘]/g, "'");
  const scope = SCOPE_LEAD.exec(text);
  if (scope) {
    const inner = recognizeUnscoped(text.slice(scope[0].length), options);
    return inner.length === 1 ? inner.map((fact) => ({ ...fact, statement: statementOf(text) })) : inner;
  }
  return recognizeUnscoped(text, options);
}

function recognizeUnscoped(text: string, options: RecognizeOptions): Recognized[] {
  const low = lower(text);
  if (low.length < 3) return [];

  if (options.instruction) {
    if (PRONOUN_SUBJECT.test(low) || QUESTION_WORD.test(low)) return [];
    return [{ kind: "procedure", statement: instructionOf(text) }];
  }
  if (RULE.test(low) && !saysNoAction(low)) return [{ kind: "procedure", statement: instructionOf(text) }];
  const always = SUBJECT_ALWAYS.exec(low);
  if (always && !isPastWord(always[2] ?? "")) {
    return [{ kind: always[1] === "i" ? "preference" : "procedure", statement: statementOf(text) }];
  }
  if ((CONTRAST.test(low) && !LOCAL.test(low)) || COMMUNICATION.test(low) || VERBOSITY.test(low)) {
    return [{ kind: "preference", statement: instructionOf(text) }];
  }

  const intro = NAME_INTRO.exec(text.replace(/[.!]+$/, ""));
  if (intro?.[1] !== undefined && !NOT_NAMES.has(intro[1].toLowerCase()) && !looksDescriptive(intro[1].toLowerCase())) {
    const facts: Recognized[] = [{ kind: "fact", statement: `User's name is ${intro[1]}.` }];
    const role = intro[2]?.trim();
    if (role !== undefined && ROLE_PHRASE.test(lower(role))) {
      facts.push({ kind: "fact", statement: finishStatement(`User is ${withArticle(role)}`) });
    }
    return facts;
  }
  const callMe = CALL_ME.exec(text);
  if (callMe?.[1] !== undefined) return [{ kind: "fact", statement: `User wants to be called ${callMe[1]}.` }];

  if (ROLE_I.test(low) || EMPLOYER_I.test(low) || LOCATION_I.test(low) || PRONOUNS_I.test(low)) {
    return [{ kind: "fact", statement: statementOf(text) }];
  }
  if (TIMEZONE_I.test(low)) {
    const statement = statementOf(text);
    if (subjectKey(statement).key === "profile.timezone") return [{ kind: "fact", statement }];
  }

  const possessive = POSSESSIVE.exec(low);
  if (possessive?.[1] !== undefined && possessive[2] !== undefined) {
    const holder = possessive[1].split(/\s+/);
    const valueStart = possessive[2].split(/\s+/)[0] ?? "";
    const skip = holder.some((word) => POSSESSIVE_SKIP.has(word)) || STATE_WORDS.has(valueStart);
    if (!skip || options.explicit) return [{ kind: "fact", statement: statementOf(text) }];
    return [];
  }

  if (TEAM_USE.test(low) || SWITCH.test(low) || NO_LONGER.test(low)) {
    return [{ kind: "fact", statement: statementOf(text) }];
  }
  if (PREFER.test(low) || LIKE_BETTER.test(low) || DISLIKE.test(low)) {
    return [{ kind: "preference", statement: statementOf(text) }];
  }
  if (LIKE.test(low) || I_USE.test(low)) {
    const statement = statementOf(text);
    if (options.explicit || subjectKey(statement).category !== undefined) {
      return [{ kind: LIKE.test(low) ? "preference" : "fact", statement }];
    }
    return [];
  }

  if (!options.explicit || PRONOUN_SUBJECT.test(low) || QUESTION_WORD.test(low)) return [];
  if (low.split(/\s+/).length < 2) return [];
  if (IMPERATIVE_START.test(imperative(low))) return [{ kind: "procedure", statement: instructionOf(text) }];
  const standing = DEONTIC.test(low) || (STANDING.test(low) && !/^(?:i|we)\b/.test(low));
  return [{ kind: standing ? "procedure" : "fact", statement: statementOf(text) }];
}
