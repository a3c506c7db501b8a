import type { Chunk, ExtractedFact, FactKind } from "../../schemas/facts.js";
import { looksLikeCredential } from "./credentials.js";
import { boundedKey, MAX_QUOTE } from "./fact-limits.js";
import type { FactFilter } from "./instructions.js";
import { finishStatement, thirdPerson } from "./person.js";
import { type Span, splitClauses, splitSentences } from "./sentences.js";
import { subjectKey } from "./subject-key.js";
import { clip } from "./text-tokens.js";
import { transcriptTopic } from "./topics.js";
import { isErrorHeadline, isStackLine, isTransient } from "./transient.js";
import { recognize } from "./utterance-patterns.js";

/** Clauses longer than this are prose, not a memory statement. */
const MAX_CLAUSE = 400;
const MAX_EVIDENCE = 8;

const LEAD_IN =
  /^(?:(?:ok(?:ay)?|so|also|and|but|btw|oh|hey|hi|hmm+|actually|alright|anyway|ps|p\.s\.|by the way)\b[\s,:!.-]*|(?:well|great|thanks|thank you|cool|perfect|yes|yeah|right|sure|nice|awesome|sorry|one more thing|quick note|one thing)\s*[,:!.-]+\s*)+/i;
const REMEMBER_TO =
  /^(?:(?:please|kindly)\s+)?(?:always\s+)?(?:remember|don't forget|do not forget|never forget)\s+to\s+/i;
const MARKER =
  /^(?:(?:please|kindly)\s+)?(?:(?:always\s+)?remember(?:\s+this)?(?:\s+that\b|\s*[:,])?|note(?:\s+that\b|\s*:|(?<=please\s+note)\b)|make a note(?:\s+that\b|\s*:)?|keep in mind(?:\s+that\b)?|bear in mind(?:\s+that\b)?|fyi\b[\s,:]*|for your information\b[\s,:]*|for the record\b[\s,:]*|for future reference\b[\s,:]*|just so you know\b[\s,:]*|(?:don't|do not|never) forget(?:\s+that\b)?|heads[ -]up\b[\s,:]*|important\s*:|(?:save|add|put|store|write) (?:this |that )?(?:to|in|into) (?:your )?memory(?:\s+that\b|\s*:)?|memori[sz]e(?:\s+that\b|\s*:)?)\s*/i;
const FUTURE =
  /^(?:from now on|going forward|moving forward|in the future|in future|henceforth|from here on(?: out)?|starting now|from this point on|for all future (?:sessions|work|projects|tasks|conversations)|in all future (?:sessions|conversations))\b[\s,:]*/i;
const FUTURE_AT_END =
  /[,\s]+(?:from now on|going forward|moving forward|in the future|in future|henceforth|from here on(?: out)?)\s*[.!]?$/i;
const QUESTION =
  /^(?:can|could|would|will|does|did|is|are|was|were|should|shall|may|might|has|have|what|why|how|where|when|which|who|whom|whose|any idea|isn't|aren't|wdyt|do(?!\s+not\b|n't))\b/i;
const TIME_LEAD =
  /^(?:today|yesterday|tonight|this (?:morning|afternoon|evening|week)|last (?:night|week|weekend|month|year)|recently|just now|earlier today)\b[\s,]*/i;
const REMEMBER_QUESTION = /^(?:do|did) you remember\b|^remember (?:when|what|how|why|where|who|the time)\b/i;

/** Collects facts of one extraction call, merging a statement repeated in several events into one fact. */
class FactCollector {
  readonly facts: ExtractedFact[] = [];
  private readonly index = new Map<string, ExtractedFact>();

  constructor(
    private readonly filter: FactFilter,
    private readonly decline: (reason: string, text: string) => void,
  ) {}

  add(given: FactKind, statement: string, eventId: string, quote: string): void {
    if (statement === "" || statement.length > 2000 || looksLikeCredential(statement)) return;
    const subject = subjectKey(statement);
    const kind = given === "procedure" && subject.category !== undefined ? "preference" : given;
    const key = boundedKey(kind === "transient" ? `transient.${subject.key}` : subject.key);
    const topic = transcriptTopic(statement, subject, kind);
    if (!this.filter.allows({ key, topic, statement, kind })) {
      this.decline("instructions", statement);
      return;
    }
    const cited = clip(quote, MAX_QUOTE).trim();
    if (cited === "") return;
    const id = `${key}\u0000${statement}`;
    const existing = this.index.get(id);
    if (existing) {
      const already = existing.evidence.some((item) => item.event_id === eventId);
      if (!already && existing.evidence.length < MAX_EVIDENCE)
        existing.evidence.push({ event_id: eventId, quote: cited });
      return;
    }
    const single = subject.category !== undefined && kind !== "transient";
    const fact: ExtractedFact = {
      key,
      topic,
      statement,
      kind,
      ...(single ? { cardinality: "single" as const } : {}),
      evidence: [{ event_id: eventId, quote: cited }],
    };
    this.index.set(id, fact);
    this.facts.push(fact);
  }
}

function stripLeadIn(source: string, span: Span): Span {
  const match = LEAD_IN.exec(span.text);
  if (!match || match[0].length === 0 || match[0].length >= span.text.length) return span;
  const start = span.start + match[0].length;
  return { text: source.slice(start, span.end), start, end: span.end };
}

function after(source: string, span: Span, length: number): Span {
  let start = span.start + length;
  while (start < span.end && /\s/.test(source[start] ?? "")) start++;
  return { text: source.slice(start, span.end).trimEnd(), start, end: span.end };
}

/** Reads the statements of one clause of a user's message into the collector. */
function readClause(
  clause: Span,
  quote: Span,
  eventId: string,
  into: FactCollector,
  options: { explicit: boolean; instruction?: boolean; question: boolean },
): void {
  let text = clause.text;
  let explicit = options.explicit;
  const atEnd = FUTURE_AT_END.exec(text);
  if (atEnd) {
    text = text.slice(0, atEnd.index);
    explicit = true;
  }
  if (text.length > MAX_CLAUSE || text.trim() === "") return;
  if (isTransient(text)) {
    into.add("transient", finishStatement(thirdPerson(text), { keepTime: true }), eventId, quote.text);
    return;
  }
  if (!explicit && (options.question || QUESTION.test(text))) return;
  const undated = text.replace(TIME_LEAD, "");
  const recognized = recognize(undated, { explicit, instruction: options.instruction === true });
  for (const fact of recognized) into.add(fact.kind, fact.statement, eventId, quote.text);
}

/** Reads one sentence: an explicit marker takes the whole rest of the sentence; otherwise clause by clause. */
function readSentence(source: string, raw: Span & { question: boolean }, eventId: string, into: FactCollector): void {
  const sentence = stripLeadIn(source, raw);
  if (REMEMBER_QUESTION.test(sentence.text)) return;
  const rememberTo = REMEMBER_TO.exec(sentence.text);
  if (rememberTo) {
    const rest = after(source, sentence, rememberTo[0].length);
    readClause(rest, sentence, eventId, into, { explicit: true, instruction: true, question: false });
    return;
  }
  const marker = MARKER.exec(sentence.text);
  if (marker && marker[0].length > 0) {
    const rest = after(source, sentence, marker[0].length);
    if (FUTURE.test(rest.text)) {
      readClauses(source, after(source, rest, FUTURE.exec(rest.text)?.[0].length ?? 0), eventId, into, true, false);
    } else {
      readClause(rest, sentence, eventId, into, { explicit: true, question: false });
    }
    return;
  }
  const future = FUTURE.exec(sentence.text);
  if (future && future[0].length > 0) {
    readClauses(source, after(source, sentence, future[0].length), eventId, into, true, raw.question);
    return;
  }
  readClauses(source, sentence, eventId, into, false, raw.question);
}

function readClauses(
  source: string,
  sentence: Span,
  eventId: string,
  into: FactCollector,
  explicit: boolean,
  question: boolean,
): void {
  const clauses = splitClauses(source, sentence);
  clauses.forEach((raw, index) => {
    const clause = stripLeadIn(source, raw);
    const last = index === clauses.length - 1;
    const rememberTo = REMEMBER_TO.exec(clause.text);
    if (rememberTo) {
      const rest = after(source, clause, rememberTo[0].length);
      readClause(rest, clause, eventId, into, { explicit: true, instruction: true, question: false });
      return;
    }
    const marker = MARKER.exec(clause.text);
    if (marker && marker[0].length > 0) {
      const rest = after(source, clause, marker[0].length);
      readClause(rest, clause, eventId, into, { explicit: true, question: false });
      return;
    }
    const future = FUTURE.exec(clause.text);
    if (future && future[0].length > 0) {
      const rest = after(source, clause, future[0].length);
      readClause(rest, clause, eventId, into, { explicit: true, question: false });
      return;
    }
    readClause(clause, clause, eventId, into, { explicit, question: question && last });
  });
}

/**
 * Reads a user's message line by line: fenced code and quoted lines (`>`) are not the user's own statements and are
 * skipped, except that a stack trace or error log (fenced or pasted) becomes one transient fact citing its headline;
 * every other line is read sentence by sentence.
 */
function readUserText(text: string, eventId: string, into: FactCollector): void {
  let inFence = false;
  let log: Span[] = [];
  const flushLog = () => {
    if (log.length === 0) return;
    const headline = log.find((line) => isErrorHeadline(line.text)) ?? log[0];
    log = [];
    if (headline) into.add("transient", finishStatement(headline.text, { keepTime: true }), eventId, headline.text);
  };
  let start = 0;
  while (start <= text.length) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end);
    const trimmedLine = line.trim();
    const span: Span = { text: trimmedLine, start: start + (line.length - line.trimStart().length), end };
    if (/^(?:```|~~~)/.test(trimmedLine)) {
      flushLog();
      inFence = !inFence;
    } else if (trimmedLine !== "" && isStackLine(line)) {
      log.push(span);
    } else {
      flushLog();
      if (!inFence && trimmedLine !== "" && !trimmedLine.startsWith(">") && !/^<\/?[\w:-]+[^>]*>$/.test(trimmedLine)) {
        for (const sentence of splitSentences(text, start, end)) readSentence(text, sentence, eventId, into);
      }
    }
    if (newline === -1) break;
    start = newline + 1;
  }
  flushLog();
}

/**
 * Facts in a transcript chunk, read only from the user's own lines: agent, tool and system text is never a source of
 * memory for the offline model. Each fact cites the event it was read from, with an exact span of its text. A fact
 * the dream's instructions leave out is declined (reason `instructions`), so the report counts it.
 * A fact about a subject the lexicon knows (home city, package manager, editor…) holds one value (`single`); any
 * other is a set member, so nothing is replaced on a guess.
 */
export function extractFromTranscript(
  chunk: Chunk,
  filter: FactFilter,
  decline: (reason: string, text: string) => void = () => {},
): ExtractedFact[] {
  const collector = new FactCollector(filter, decline);
  for (const line of chunk.lines) {
    if (line.role !== "user") continue;
    readUserText(line.text, line.eventId, collector);
  }
  return collector.facts;
}
