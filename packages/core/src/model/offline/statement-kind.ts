import type { FactKind } from "../../schemas/facts.js";
import { imperative } from "./person.js";
import type { SubjectKey } from "./subject-key.js";
import { lower } from "./text-tokens.js";
import { IMPERATIVE_START, STANDING } from "./utterance-patterns.js";

const PREFERENCE_WORDS =
  /\b(?:prefers?|preferred|preference|likes?|loves?|dislikes?|hates?|would rather|'d rather|favou?rite|can't stand)\b/;
const SUBJECT_RULE = /^(?:the user|user|the team|team|we|i|[a-z][\p{L}'-]{1,30})\s+(?:always|never)\b/u;
const MODAL_RULE = /\b(?:should|must|needs? to|has to|have to)\s+(?:always\s+|never\s+|not\s+)?\p{L}/u;

/**
 * The kind of a statement read from an existing memory (transient notes are decided before this): instructions
 * ("Always …", "Use …", "X should …") are procedures, or preferences when they choose a known category value
 * ("Use pnpm"); statements of liking are preferences; everything else is a fact.
 */
export function statementKind(statement: string, subject: SubjectKey): Exclude<FactKind, "insight" | "transient"> {
  const low = lower(statement).replace(/^\s*(?:[-*+]\s+)?/, "");
  const chooses = subject.category !== undefined;
  if (IMPERATIVE_START.test(imperative(low))) return chooses ? "preference" : "procedure";
  if (PREFERENCE_WORDS.test(low)) return "preference";
  if (subject.key.startsWith("communication.")) return "preference";
  const rule = SUBJECT_RULE.exec(low);
  if (rule) return subject.about === "user" && !rule[0].startsWith("the team") ? "preference" : "procedure";
  if (MODAL_RULE.test(low)) return chooses ? "preference" : "procedure";
  // A schedule, limit or requirement of the team's work ("certs expire every 90 days"), as a transcript note reads it.
  if (STANDING.test(low) && !/^(?:the user|user|the team|i|we)\b/.test(low))
    return chooses ? "preference" : "procedure";
  return "fact";
}
