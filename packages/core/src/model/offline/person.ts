const ADVERBS = new Set(
  `also really usually always never generally mostly mainly only just still now currently typically often sometimes
   strongly definitely personally absolutely normally rarely actually recently already even much truly honestly
   basically probably totally mostly very no longer`.split(/\s+/),
);
const LY_VERBS = new Set("apply reply rely fly supply comply multiply imply ally".split(" "));
const UNCHANGED = new Set(
  `can could will would should must may might shall did didn't can't won't wouldn't shouldn't couldn't had was
   wasn't mustn't hadn't`.split(/\s+/),
);
const IRREGULAR = new Map([
  ["am", "is"],
  ["are", "is"],
  ["were", "was"],
  ["have", "has"],
  ["do", "does"],
  ["don't", "doesn't"],
  ["dont", "doesn't"],
  ["haven't", "hasn't"],
  ["aren't", "isn't"],
  ["weren't", "wasn't"],
]);
const PAST = new Set(
  `went got made chose began took wrote left set put ran built found came became bought brought thought told sent
   spent kept felt held lost met paid read said sold stood understood won drew drove fell flew forgot gave grew knew
   saw spoke threw woke wore quit cut let hit shut split spread`.split(/\s+/),
);

/** Third-person singular of a verb that followed "I" or "we": `prefer`→`prefers`, `fix`→`fixes`, `do`→`does`. */
export function conjugate(verb: string): string {
  const word = verb.toLowerCase();
  const irregular = IRREGULAR.get(word);
  if (irregular !== undefined) return irregular;
  if (UNCHANGED.has(word) || PAST.has(word) || word.endsWith("ed") || !/^[a-z]+$/.test(word)) return verb;
  if (/(?:s|x|z|ch|sh|o)$/.test(word)) return `${verb}es`;
  if (/[^aeiou]y$/.test(word)) return `${verb.slice(0, -1)}ies`;
  return `${verb}s`;
}

function isAdverb(word: string): boolean {
  return ADVERBS.has(word) || (word.endsWith("ly") && !LY_VERBS.has(word));
}

type Replacement = { atStart: string; inside: string; conjugateNext: boolean };
const PRONOUNS = new Map<string, Replacement>([
  ["i", { atStart: "User", inside: "the user", conjugateNext: true }],
  ["i'm", { atStart: "User is", inside: "the user is", conjugateNext: false }],
  ["i've", { atStart: "User has", inside: "the user has", conjugateNext: false }],
  ["i'd", { atStart: "User would", inside: "the user would", conjugateNext: false }],
  ["i'll", { atStart: "User will", inside: "the user will", conjugateNext: false }],
  ["me", { atStart: "The user", inside: "the user", conjugateNext: false }],
  ["my", { atStart: "User's", inside: "the user's", conjugateNext: false }],
  ["mine", { atStart: "The user's", inside: "the user's", conjugateNext: false }],
  ["myself", { atStart: "The user", inside: "the user", conjugateNext: false }],
  ["we", { atStart: "The team", inside: "the team", conjugateNext: true }],
  ["we're", { atStart: "The team is", inside: "the team is", conjugateNext: false }],
  ["we've", { atStart: "The team has", inside: "the team has", conjugateNext: false }],
  ["we'd", { atStart: "The team would", inside: "the team would", conjugateNext: false }],
  ["we'll", { atStart: "The team will", inside: "the team will", conjugateNext: false }],
  ["our", { atStart: "The team's", inside: "the team's", conjugateNext: false }],
  ["ours", { atStart: "The team's", inside: "the team's", conjugateNext: false }],
  ["us", { atStart: "The team", inside: "the team", conjugateNext: false }],
  ["ourselves", { atStart: "The team", inside: "the team", conjugateNext: false }],
]);

const CHUNK = /^([^\p{L}\p{N}]*)([\p{L}\p{N}][\p{L}\p{N}'’]*)([^\s]*)$/u;

/**
 * Rewrites a first-person clause in the third person, the form memories are written in: "I prefer tabs" → "User
 * prefers tabs", "we switched to pnpm" → "The team switched to pnpm", "give me the code" → "give the user the code".
 * Only pronouns and the verb right after "I"/"we" change; every other word stays as written.
 */
export function thirdPerson(clause: string): string {
  const pieces = clause.split(/(\s+)/);
  let conjugatePending = false;
  let first = true;
  for (let index = 0; index < pieces.length; index++) {
    const piece = pieces[index] ?? "";
    if (piece.trim() === "") continue;
    const match = CHUNK.exec(piece);
    if (!match) {
      first = false;
      continue;
    }
    const [, lead = "", word = "", tail = ""] = match;
    const lowerWord = word.toLowerCase().replace(/’/g, "'");
    const pronoun = PRONOUNS.get(lowerWord);
    const shouting = word.length > 1 && word === word.toUpperCase();
    // A pronoun glued to more of a word is no pronoun: "us-east-2", "I/O".
    const glued = /[\p{L}\p{N}]/u.test(tail);
    const teams = /^team['’]s$/i.test(pieces[index + 2] ?? "") && (lowerWord === "my" || lowerWord === "our");
    if (teams && !glued && tail === "") {
      // "Our team's CI", "my team's CI": the team's, not "The team's team's CI".
      pieces[index] = `${lead}${first && lead === "" ? "The team's" : "the team's"}`;
      pieces[index + 1] = "";
      pieces[index + 2] = "";
      conjugatePending = false;
    } else if (pronoun && !shouting && !glued) {
      pieces[index] = `${lead}${first && lead === "" ? pronoun.atStart : pronoun.inside}${tail}`;
      conjugatePending = pronoun.conjugateNext;
    } else if (conjugatePending) {
      if (!isAdverb(lowerWord)) {
        pieces[index] = `${lead}${conjugate(word)}${tail}`;
        conjugatePending = false;
      }
    }
    first = false;
  }
  return pieces.join("");
}

const IMPERATIVE_PREFIX =
  /^(?:(?:please|pls|plz|kindly)\s+|you\s+(?:should|must|need to|have to|shall)\s+|(?:i\s+(?:want|need|would like)|i'd like|i'd love)\s+you\s+to\s+|let's\s+|lets\s+)+/i;
const NEVER_PREFIX = /^(?:(?:don't|do not)\s+ever|never\s+ever)\s+/i;

/** An instruction in plain imperative form: "please always X" → "always X", "don't ever X" → "Never X". */
export function imperative(clause: string): string {
  const bare = clause.replace(IMPERATIVE_PREFIX, "");
  return NEVER_PREFIX.test(bare) ? bare.replace(NEVER_PREFIX, "Never ") : bare;
}

const TRAILERS = /(?:,?\s+(?:btw|by the way|though|thanks|thank you|fyi|lol|haha|please|ok|okay))+$/i;
const RELATIVE_TIME =
  /,?\s+(?:(?:last|this|next)\s+(?:week|weekend|month|year|night|time|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|yesterday|today|tonight|recently|earlier|the other day|(?:a few|a couple of|two|three|four|several|\d{1,3})\s+(?:days|weeks|months|years)\s+ago|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))$/i;

/**
 * A clause made into a clean statement: trailing fillers ("btw", "thanks") and punctuation removed, relative time
 * ("last week") removed unless `keepTime`, first letter capitalised when the first word is plain, one final period.
 */
export function finishStatement(clause: string, options: { keepTime?: boolean } = {}): string {
  let text = clause.trim().replace(/[\s,;:—–-]+$/u, "");
  text = text.replace(/[.!?]+$/, "").replace(TRAILERS, "");
  if (!options.keepTime) text = text.replace(RELATIVE_TIME, "").replace(RELATIVE_TIME, "");
  text = text.replace(/[\s,;:—–-]+$/u, "").trim();
  if (/^[a-z]+(?=[\s,;:]|$)/.test(text)) text = text.charAt(0).toUpperCase() + text.slice(1);
  return text === "" ? "" : `${text}.`;
}
