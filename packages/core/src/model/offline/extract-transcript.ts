import type { Chunk, ExtractedFact, FactKind } from "../../schemas/facts.js";
import { isErrorHeadline, isStackLine, isTransient } from "../../util/one-off-text.js";
import type { Pacer } from "../../util/pacer.js";
import { isSingleValued, SPOKEN_LANGUAGES } from "./attribute-lexicon.js";
import { BoundedMemo } from "./bounded-memo.js";
import { looksLikeCredential } from "./credentials.js";
import { boundedKey, MAX_QUOTE } from "./fact-limits.js";
import type { FactFilter } from "./instructions.js";
import { findValues } from "./lexicon.js";
import { LineReading, type Shape } from "./line-reading.js";
import { type AnalyzedSentence, type Analyzer, loadAnalyzer, type Token } from "./nlp-analysis.js";
import { finishStatement, thirdPerson } from "./person.js";
import type { Span } from "./sentences.js";
import { type FrameFact, readFrames } from "./statement-frames.js";
import { type SubjectKey, subjectKey } from "./subject-key.js";
import { clip, tokenize } from "./text-tokens.js";
import { transcriptTopic } from "./topics.js";
import { type DeclineReason, isPleasantry, sentenceGate } from "./utterance-gates.js";
import { recognize, recognizeRule } from "./utterance-patterns.js";

/** Reports a sentence that was read but gave no fact, with the reason. */
export type Decline = (entry: { reason: DeclineReason; text: string }) => void;

/** Clauses longer than this are prose, not a memory statement. */
const MAX_CLAUSE = 400;
const MAX_EVIDENCE = 8;

const LEAD_IN =
  /^(?:(?:ok(?:ay)?|so|also|and|but|btw|oh|hey|hi|hmm+|actually|alright|anyway|ps|p\.s\.|by the way)\b[\s,:!.-]*|(?:well|great|thanks|thank you|cool|perfect|yes|yeah|right|sure|nice|awesome|sorry|one more thing|quick note|one thing)\s*[,:!.-]+\s*)+/i;
const REMEMBER_TO =
  /^(?:(?:please|pls|plz|kindly)\s+)?(?:always\s+)?(?:remember|don't forget|do not forget|never forget)\s+to\s+/i;
const MARKER =
  /^(?:(?:please|pls|plz|kindly)\s+)?(?:(?:always\s+)?remember(?:\s+this)?(?:\s+that\b|\s*[:,])?|note(?:\s+that\b|\s*:|(?<=please\s+note)\b)|make a note(?:\s+that\b|\s*:)?|keep in mind(?:\s+that\b)?|bear in mind(?:\s+that\b)?|fyi\b[\s,:]*|for your information\b[\s,:]*|for the record\b[\s,:]*|for future reference\b[\s,:]*|just so you know\b[\s,:]*|(?:don't|do not|never) forget(?:\s+that\b)?|heads[ -]up(?:\s+that\b)?[\s,:]*|important\s*:|(?:save|add|put|store|write) (?:this |that )?(?:to|in|into) (?:your )?memory(?:\s+that\b|\s*:)?|memori[sz]e(?:\s+that\b|\s*:)?)\s*/i;
const FUTURE =
  /^(?:from now on|going forward|moving forward|in the future|in future|henceforth|from here on(?: out)?|starting now|from this point on|for all future (?:sessions|work|projects|tasks|conversations)|in all future (?:sessions|conversations))\b[\s,:]*/i;
const FUTURE_AT_END =
  /[,\s]+(?:from now on|going forward|moving forward|in the future|in future|henceforth|from here on(?: out)?)\s*[.!]?$/i;
/** A label before a colon that makes what follows an explicit note ("Note: …", "Context: …"). */
const NOTE_LABEL = /^(?:note|notes|important|reminder|fyi|heads[ -]?up|update|context|ps|p\.s|psa|rule|remember|nb)$/i;
const CLAUSE_PUNCT = new Set([";", ":", "—", "–", "--"]);
const QUESTION_AUX = new Set("can could would will do does did should shall may is are".split(" "));
const QUESTION_SUBJECT = new Set(["you", "we", "i", "it", "u"]);
const QUESTION_WORDS = new Set("what how why where when which who".split(" "));
const DASHES = new Set(["—", "–", "--"]);
const SUBJECT_START = new Set(["i", "we", "my", "our"]);
const RULE_START = new Set(["always", "never", "please", "remember", "from", "going"]);

/**
 * A clause about software: a debugging note is only kept as transient when it names something technical ("the
 * staging deploy failed again"), not when the coffee machine broke again.
 */
const TECHNICAL =
  /`|\b(?:build|builds|test|tests|deploy|deploys|deployment|ci|pipeline|server|servers|api|db|database|migration|migrations|staging|prod|production|job|jobs|container|pod|pods|service|endpoint|query|cache|queue|worker|cron|webhook|webhooks|lint|bundle|branch|merge|release|docker|k8s|kubernetes|cluster|npm|pnpm|yarn|node|script|timeout|exception|error|errors|stack|crash|crashes|bug|login|auth|runner|flaky|e2e|snapshot|pr|rollback|rolled|econn\w*|[A-Z][A-Za-z]+(?:Error|Exception))\b|\w\.\w|\/\w/i;

/** A closing "/s" or an eye-roll, upside-down or unamused face: the whole line is meant the other way round. */
const SARCASM_TAG = /(?:(?:^|\s)\/s|[🙃🙄😒])\W*$/u;

/** A regex match that ends on a word boundary, so "Remember" never matches the start of "Remembering". */
function wholeMatch(pattern: RegExp, text: string): RegExpExecArray | null {
  const match = pattern.exec(text);
  if (!match || match[0].length === 0) return null;
  const end = match[0].length;
  if (/[\p{L}\p{N}]/u.test(text[end - 1] ?? "") && /[\p{L}\p{N}]/u.test(text[end] ?? "")) return null;
  return match;
}

/** Collects facts of one extraction call, merging a statement repeated in several events into one fact. */
class FactCollector {
  readonly facts: ExtractedFact[] = [];
  private readonly index = new Map<string, ExtractedFact>();

  constructor(
    private readonly filter: FactFilter,
    private readonly decline: Decline,
  ) {}

  add(given: FactKind, statement: string, eventId: string, quote: string, shape: Shape = {}): boolean {
    if (statement === "" || statement.length > 2000 || looksLikeCredential(statement)) return false;
    const subject = subjectKey(statement);
    const kind = given === "procedure" && subject.category !== undefined ? "preference" : given;
    const baseKey = shape.key ?? subject.key;
    const key = boundedKey(kind === "transient" ? `transient.${subject.key}` : baseKey);
    const topic = transcriptTopic(statement, subject, kind);
    if (!this.filter.allows({ key, topic, statement, kind })) {
      this.decline({ reason: "instructions", text: statement });
      return false;
    }
    const cited = clip(quote, MAX_QUOTE).trim();
    if (cited === "") return false;
    const id = `${key}\u0000${statement}`;
    const existing = this.index.get(id);
    if (existing) {
      const already = existing.evidence.some((item) => item.event_id === eventId);
      if (!already && existing.evidence.length < MAX_EVIDENCE)
        existing.evidence.push({ event_id: eventId, quote: cited });
      return true;
    }
    const fact: ExtractedFact = { key, topic, statement, kind, evidence: [{ event_id: eventId, quote: cited }] };
    const shaped = shape.key !== undefined || shape.value !== undefined ? shape : shapeOf(statement, kind, subject);
    if (shaped.value !== undefined) fact.value = clip(shaped.value, 200);
    if (shaped.cardinality === "single" && kind !== "transient") fact.cardinality = "single";
    if (shaped.polarity === "negative") fact.polarity = "negative";
    this.index.set(id, fact);
    this.facts.push(fact);
    return true;
  }
}

/** The value word of a communication preference without listed values ("Reply in German" → German). */
const COMMUNICATION_VALUE: Record<string, RegExp> = {
  "communication.language": new RegExp(`\\b(?:${[...SPOKEN_LANGUAGES].join("|")})\\b`, "i"),
  "communication.verbosity":
    /\b(?:short|shorter|brief|concise|terse|succinct|detailed|thorough|long|longer|verbose)\b/i,
};

/** Value and cardinality of a rule-form statement: the known value it chooses ("Use Vitest …" → Vitest, single). */
function shapeOf(statement: string, kind: FactKind, subject: SubjectKey): Shape {
  if (kind === "transient") return {};
  if (!subject.category) return {};
  const tokens = tokenize(statement);
  const hit = findValues(tokens).find((found) => found.category === subject.category);
  const first = hit ? tokens[hit.index] : undefined;
  const last = hit ? tokens[hit.index + hit.length - 1] : undefined;
  const shape: Shape = {};
  if (first && last) shape.value = statement.slice(first.start, last.end);
  else {
    const word = COMMUNICATION_VALUE[subject.category.key]?.exec(statement);
    if (word) shape.value = word[0];
  }
  if (isSingleValued(subject.key)) shape.cardinality = "single";
  return shape;
}

function spanOf(source: string, tokens: readonly Token[]): Span {
  const start = tokens[0]?.start ?? 0;
  const end = tokens[tokens.length - 1]?.end ?? start;
  return { text: source.slice(start, end), start, end };
}

/**
 * Splits a sentence's tokens into clauses where a new statement starts: at `;`, `:` and dashes, and at a comma or
 * "and"/"but"/"so" followed by a new first-person subject or a rule ("I live in Lisbon and I work at Fernhill",
 * "Always run the tests, and never skip the linter").
 */
export function splitClauses(tokens: readonly Token[]): Token[][] {
  const clauses: Token[][] = [];
  let current: Token[] = [];
  const startsStatement = (at: number) => {
    let index = at;
    while (["and", "but", "so", "then", ","].includes(tokens[index]?.low ?? "")) index++;
    const word = tokens[index]?.low ?? "";
    const next = tokens[index + 1];
    if (SUBJECT_START.has(word)) return index;
    if (!RULE_START.has(word)) return -1;
    if (word === "from") return next?.low === "now" ? index : -1;
    if (word === "going") return next?.low === "forward" ? index : -1;
    if (word === "always" || word === "never") return next?.pos === "VERB" || next?.pos === "AUX" ? index : -1;
    return index;
  };
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (!token) continue;
    if (CLAUSE_PUNCT.has(token.text) && !DASHES.has(token.text)) {
      if (current.length > 0) clauses.push(current);
      current = [];
      continue;
    }
    if (
      (token.text === "," || DASHES.has(token.text) || token.low === "and" || token.low === "but") &&
      current.length > 0
    ) {
      const next = startsStatement(index + 1);
      const dashToRule = DASHES.has(token.text) && !SUBJECT_START.has(tokens[next]?.low ?? "");
      if (next !== -1 && !dashToRule) {
        clauses.push(current);
        current = [];
        index = next - 1;
        continue;
      }
    }
    current.push(token);
  }
  if (current.length > 0) clauses.push(current);
  return clauses.map((clause) => trimPunctuation(clause)).filter((clause) => clause.length > 0);
}

/** A clause without trailing commas and dashes (its final `.`, `!` stays, so the quote reads as written). */
function trimPunctuation(tokens: Token[]): Token[] {
  let end = tokens.length;
  while (end > 0 && /^[,;:—–-]+$/.test(tokens[end - 1]?.text ?? "")) end--;
  return tokens.slice(0, end);
}

/** Reads one user message: sentence gates, then clause by clause explicit rules and statement frames. */
class MessageReader {
  constructor(
    private readonly source: string,
    private readonly into: LineReading,
  ) {}

  sentence(sentence: AnalyzedSentence): void {
    const gate = sentenceGate(sentence);
    const notes = gate !== "sarcasm" && gate !== "non_english";
    if (notes && isTransient(sentence.text) && TECHNICAL.test(sentence.text) && sentence.text.length <= MAX_CLAUSE) {
      const statement = finishStatement(thirdPerson(sentence.text), { keepTime: true });
      this.into.add("transient", statement, sentence.text);
      return;
    }
    if (gate === "question" && this.statementBeforeQuestion(sentence)) return;
    if (gate) {
      if (gate !== "non_english" || /\p{L}{2}/u.test(sentence.text))
        this.into.decline({ reason: gate, text: sentence.text });
      return;
    }
    let explicitNext = false;
    const first = this.into.steps.length;
    for (const tokens of splitClauses(sentence.tokens)) {
      const span = spanOf(this.source, tokens);
      const explicit = explicitNext;
      explicitNext = NOTE_LABEL.test(span.text.replace(/[\s:]+$/, ""));
      if (explicitNext) continue;
      this.clause(tokens, span, explicit);
    }
    this.into.settle(first);
  }

  /**
   * "Quick context: I moved to Porto, so can you update the address?": a statement before a question in the same
   * sentence is still read; the question part is declined. A tag question ("I live in Lisbon, right?") is all
   * question. Returns false when the sentence has no statement before its question.
   */
  private statementBeforeQuestion(sentence: AnalyzedSentence): boolean {
    const tokens = sentence.tokens;
    const cut = tokens.findIndex((_token, index) => {
      if (index === 0 || ![",", ":"].includes(tokens[index - 1]?.text ?? "")) return false;
      let at = index;
      while (["so", "and", "but", "then"].includes(tokens[at]?.low ?? "")) at++;
      // "…, so can you …?", "…, what do you do?", "…: how do I mock fetch?"
      const asks = QUESTION_AUX.has(tokens[at]?.low ?? "") && QUESTION_SUBJECT.has(tokens[at + 1]?.low ?? "");
      return asks || QUESTION_WORDS.has(tokens[at]?.low ?? "");
    });
    if (cut <= 1) return false;
    const before = tokens.slice(0, cut - 1);
    const statement: AnalyzedSentence = { ...spanOf(this.source, before), tokens: before };
    if (sentenceGate(statement) !== null) return false;
    this.sentence(statement);
    const question = spanOf(this.source, tokens.slice(cut));
    this.into.decline({ reason: "question", text: question.text });
    return true;
  }

  private clause(tokens: Token[], span: Span, explicitBefore: boolean): void {
    if (span.text.length > MAX_CLAUSE) return;
    if (isPleasantry(span.text)) {
      this.into.decline({ reason: "pleasantry", text: span.text });
      return;
    }
    if (isTransient(span.text) && TECHNICAL.test(span.text)) {
      this.into.add("transient", finishStatement(thirdPerson(span.text), { keepTime: true }), span.text);
      return;
    }
    const lead = LEAD_IN.exec(span.text);
    const leadLength = lead && lead[0].length < span.text.length ? lead[0].length : 0;
    const text = span.text.slice(leadLength);
    const rememberTo = wholeMatch(REMEMBER_TO, text);
    if (rememberTo) {
      const rest = text.slice(rememberTo[0].length);
      this.recognized(recognize(rest, { explicit: true, instruction: true }), span);
      return;
    }
    const marker = wholeMatch(MARKER, text) ?? wholeMatch(FUTURE, text);
    let explicit = explicitBefore;
    let restStart = span.start + leadLength;
    if (marker) {
      explicit = true;
      restStart += marker[0].length;
      const future = wholeMatch(FUTURE, this.source.slice(restStart, span.end));
      if (future) restStart += future[0].length;
    }
    let restText = this.source.slice(restStart, span.end);
    const atEnd = FUTURE_AT_END.exec(restText);
    if (atEnd) {
      restText = restText.slice(0, atEnd.index);
      explicit = true;
    }
    const restTokens = tokens.filter((token) => token.start >= restStart && token.end <= restStart + restText.length);
    const rules = recognizeRule(restText);
    if (rules.length > 0) {
      this.recognized(rules, span);
      return;
    }
    const frames = readFrames(this.source, restTokens);
    if (frames.facts.length > 0) {
      for (const fact of frames.facts) this.framed(fact, span);
      return;
    }
    if (frames.reason) {
      this.into.decline({ reason: frames.reason, text: span.text });
      return;
    }
    if (explicit) {
      // A first-person statement no frame reads is kept after a marker ("heads up, I changed my shell to fish")
      // only when its key is a known category: a key made of its own words ("User is at Datadog now" as `datadog`)
      // is a guess at what it says. A marker does not make someone else's fact the user's ("Remember that my sister
      // lives in Oslo" is no home of the user's).
      const recognized = recognize(restText, { explicit }).filter(
        (fact) =>
          fact.kind !== "fact" ||
          (frames.subject !== "third_party" &&
            (frames.subject !== "user" || subjectKey(fact.statement).category !== undefined)),
      );
      if (recognized.length > 0) {
        this.recognized(recognized, span);
        return;
      }
    }
    if (frames.subject === "third_party") this.into.decline({ reason: "third_party", text: span.text });
    else if (frames.subject !== "none") this.into.decline({ reason: "unrecognised", text: span.text });
  }

  private framed(fact: FrameFact, span: Span): void {
    const shape: Shape = { value: fact.value };
    if (fact.key !== "") shape.key = fact.key;
    if (fact.cardinality) shape.cardinality = fact.cardinality;
    if (fact.polarity) shape.polarity = fact.polarity;
    this.into.add(fact.kind, fact.statement, span.text, shape);
  }

  private recognized(facts: ReturnType<typeof recognize>, span: Span): void {
    for (const fact of facts) this.into.add(fact.kind, fact.statement, span.text);
  }
}

/**
 * Whether an error headline says in words what went wrong ("TypeError: Cannot read properties of undefined"): a bare
 * code ("npm ERR! code ERESOLVE") or a log without its headline (a lone "Traceback …") names nothing to remember.
 */
function saysWhatFailed(headline: string): boolean {
  const message = headline.replace(/^\s*(?:npm ERR!|[^:]{1,80}:)\s*/, "");
  return (message.match(/\p{L}{2,}/gu) ?? []).length >= 3;
}

/**
 * Reads a user's message line by line: fenced code and quoted lines (`>`) are not the user's own statements and are
 * skipped, except that a stack trace or error log (fenced or pasted) becomes one transient fact citing its headline
 * when the headline says what failed;
 * every other line is read sentence by sentence.
 */
function readUserText(text: string, analyzer: Analyzer): LineReading {
  const into = new LineReading();
  const reader = new MessageReader(text, into);
  let inFence = false;
  let log: Span[] = [];
  const flushLog = () => {
    if (log.length === 0) return;
    const headline = log.find((line) => isErrorHeadline(line.text) && saysWhatFailed(line.text));
    log = [];
    if (headline) into.add("transient", finishStatement(headline.text, { keepTime: true }), headline.text);
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
        // A closing "/s" or 🙃 marks the whole line as sarcasm, though the tagger reads it as a sentence of its own.
        if (SARCASM_TAG.test(trimmedLine)) into.decline({ reason: "sarcasm", text: trimmedLine });
        else for (const sentence of analyzer.sentences(text, start, end)) reader.sentence(sentence);
      }
    }
    if (newline === -1) break;
    start = newline + 1;
  }
  flushLog();
  return into;
}

/**
 * Readings of recent user lines, shared by every offline model of the process (a reading depends on the text alone):
 * short turns repeat across sessions ("ok thanks", a standing "from now on use pnpm"), and a reading costs a pass of
 * the tagger.
 */
const readings = new BoundedMemo<LineReading>(2_048);

/**
 * Facts in a transcript chunk, read only from the user's own lines: agent, tool and system text is never a source of
 * memory for the offline model. A fact the dream's instructions leave out is declined (reason `instructions`), so the
 * report counts it. Precision first: a sentence that is a question, a hypothetical, quoted speech,
 * sarcasm, a pleasantry, another language, about someone else, or a first-person statement no frame recognises gives
 * nothing and is reported to `decline` with its reason. Each fact cites the event it was read from, with an exact
 * span of its text as the quote. With a pacer, the event loop gets a turn between lines.
 */
export async function extractFromTranscript(
  chunk: Chunk,
  filter: FactFilter,
  decline: Decline = () => {},
  pacer?: Pacer,
): Promise<ExtractedFact[]> {
  const analyzer = await loadAnalyzer();
  const collector = new FactCollector(filter, decline);
  for (const line of chunk.lines) {
    if (line.role !== "user") continue;
    await pacer?.pace();
    for (const step of readings.of(line.text, () => readUserText(line.text, analyzer)).steps) {
      if ("declined" in step) decline(step.declined);
      else collector.add(step.fact.kind, step.fact.statement, line.eventId, step.fact.quote, step.fact.shape);
    }
  }
  return collector.facts;
}
