import type { CandidateFact } from "../schemas/facts.js";
import { normalizeText } from "../util/text.js";

/**
 * Extractors sometimes read a mention of a past value ("Atlas used to run in us-east-1", "we moved away from Jest")
 * as a fresh observation of it, which would make the old value look newer than the current one. A fact whose every
 * quote puts its value in the past — after a cue such as "used to", "previously", "back when", "moved away from", or
 * before one such as "years ago", "was retired" — is a past mention: it never becomes an attribute's current value
 * while any other assertion exists. A cue of the present ("now", "currently", "switched to", "as of") in the quote
 * overrides a trailing cue, and a leading cue reaches only a few words, never past "to" ("moved from Berlin to Lisbon"
 * puts Berlin in the past, not Lisbon).
 */

const LEADING =
  /\b(?:used to|previously|formerly|back (?:when|then|in)|in the past|the old|our old|my old|an old|ex-|stopped using|moved (?:away )?from|switched (?:away )?from|migrated (?:away )?(?:from|off)|replaced|instead of|no longer)\b/g;
const TRAILING =
  /\b(?:(?:some time|a while|long|years?|months?) ago|last year|(?:was|were|got|has been|have been) (?:retired|archived|dropped|replaced|removed|decommissioned)|(?:is|are) archived|before (?:that|then|the switch|we switched|we moved))\b/g;
const PRESENT =
  /\b(?:now|currently|these days|nowadays|from now on|going forward|as of|switched (?:back )?to|moved (?:back )?to|migrated to|is now|are now)\b/;
const SCOPE_END = /^(?:to|into|onto|with|by|and|but|now|then|for|because|while|although)$/;
const SCOPE_WORDS = 6;

function words(text: string): string[] {
  return text
    .split(/[^\p{L}\p{N}._/@#+-]+/u)
    .map((word) => word.replace(/^[._-]+|[._-]+$/g, ""))
    .filter((word) => word !== "");
}

function startsWithValue(tokens: readonly string[], value: readonly string[]): boolean {
  return value.every((word, index) => tokens[index] === word);
}

/** Whether the value's words stand within the few words after `at` (a leading cue), before any scope-ending word. */
function valueAfter(tokens: readonly string[], at: number, value: readonly string[]): boolean {
  for (let index = at; index < Math.min(tokens.length, at + SCOPE_WORDS); index++) {
    if (startsWithValue(tokens.slice(index), value)) return true;
    if (SCOPE_END.test(tokens[index] ?? "")) return false;
  }
  return false;
}

/** Whether the value's words stand within the few words before `at` (a trailing cue). */
function valueBefore(tokens: readonly string[], at: number, value: readonly string[]): boolean {
  for (let index = Math.max(0, at - SCOPE_WORDS - value.length); index < at; index++) {
    if (startsWithValue(tokens.slice(index), value)) return true;
  }
  return false;
}

/** True when `quote` mentions `value` (or, without a value, its whole statement) as something of the past. */
export function mentionsAsPast(quote: string, value: string | null): boolean {
  const text = normalizeText(quote).replace(/`/g, "");
  const present = PRESENT.test(text);
  const valueWords = value === null ? null : words(normalizeText(value).replace(/`/g, ""));
  if (valueWords !== null && valueWords.length === 0) return false;
  for (const match of text.matchAll(LEADING)) {
    if (valueWords === null) return !present;
    const after = words(text.slice((match.index ?? 0) + match[0].length));
    if (valueAfter(after, 0, valueWords)) return true;
  }
  if (present) return false;
  for (const match of text.matchAll(TRAILING)) {
    if (valueWords === null) return true;
    const before = words(text.slice(0, match.index ?? 0));
    if (valueBefore(before, before.length, valueWords)) return true;
  }
  return false;
}

/** A positive fact whose every quoted source mentions its value as past (see the module note). */
export function isPastMention(fact: CandidateFact): boolean {
  if (fact.polarity !== "positive") return false;
  const quotes = fact.evidence.flatMap((item) => (item.quote === undefined ? [] : [item.quote]));
  return quotes.length > 0 && quotes.every((quote) => mentionsAsPast(quote, fact.value));
}
