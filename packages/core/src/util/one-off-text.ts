import { lower } from "./text.js";

// Every pattern here is bounded or anchored on literals: linear in the length of the text.

const DATE_MARKER =
  /\b(?:today|tonight|yesterday|this (?:morning|afternoon|evening)|last night|earlier today|just now|right now|at the moment)\b|\b(?:19|20)\d{2}-\d{2}-\d{2}\b|\bon (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/;
const ISO_DATE = /\b(?:19|20)\d{2}-\d{2}-\d{2}\b/;
const DEBUG =
  /\b(?:fail(?:s|ed|ing|ures?)?|broke|broken|breaks|breaking|crash(?:es|ed|ing)?|errors?|erroring|errored|exceptions?|bugs?|buggy|flak(?:y|iness|es)|timeouts?|tim(?:e|es|ed|ing) out|hangs|hanging|hung|restart(?:ed|ing)?|re-?ran|rerun|revert(?:ed|ing)?|rolled back|roll back|rollback|outage|down|debug(?:ged|ging)?|investigat(?:e|ed|ing)|fix(?:ed|ing)?|patch(?:ed|ing)?|stuck|oom|out of memory|leak(?:s|ing|ed)?|regress(?:ion|ed)|segfault|panic(?:ked)?|killed|red|econn[a-z]+|enoent|eaddrinuse|etimedout|stack ?trace|traceback|workaround|hotfix)\b/;
const AGAIN =
  /\b(?:again|still (?:failing|broken|red|crashing|down|timing out|hanging)|keeps? (?:on )?(?:failing|breaking|crashing|timing out))\b/;
const ERROR_SIGNATURE =
  /\bE(?:CONN[A-Z]{2,12}|NOENT|ADDRINUSE|TIMEDOUT|ACCES|PERM|PIPE|NOTFOUND|HOSTUNREACH|NETUNREACH|NOSPC|MFILE)\b|\b[A-Z][A-Za-z]{0,40}(?:Error|Exception)\b|\bexit (?:code|status) \d{1,3}\b|\bHTTP [45]\d\d\b|\bstack ?trace\b|\bTraceback\b|\bOOM\b|\bout of memory\b|\bpanic:/;
const TEMPORARY =
  /\b(?:temporar(?:y|ily)|for now|for the time being|until (?:we|it|they|this|that|the|pr|#)\b[^.;]{0,60}?\b(?:fix(?:ed)?|resolved|merged|lands?|is back|ships?|done)\b|as a (?:stopgap|workaround)|quick (?:fix|hack)|just this once|this time only|for this (?:session|task|pr|branch))/;
const NEGATED_TEMPORARY = /\b(?:not|never)\s+(?:even\s+)?(?:temporar(?:y|ily)|for now)\b/;

/** Lines of a stack trace or error log, as pasted into a message or kept in a note. */
const STACK_LINES: readonly RegExp[] = [
  /^\s{0,12}at\s+\S{1,200}.{0,200}:\d{1,6}(?::\d{1,6})?\)?\s*$/,
  /^\s{0,12}File "[^"]{1,300}", line \d{1,6}/,
  /^\s{0,4}Traceback \(most recent call last\)/,
  /^\s{0,4}Exception in thread /,
  /^\s{0,4}(?:[\w$]{1,60}\.){0,6}[A-Z][\w$]{0,60}(?:Error|Exception)(?::\s|\s*$)/,
  /^\s{0,4}panic: /,
  /^\s{0,4}npm ERR! /,
  /^\s{0,4}error(?:\[E\d{1,5}\])?: /,
  /^\s{0,4}(?:FAIL|FAILED)\s/,
];

/** The line of a pasted log that says what went wrong (`TypeError: …`, `panic: …`), preferred as its summary. */
const HEADLINE =
  /^\s{0,4}(?:(?:[\w$]{1,60}\.){0,6}[A-Z][\w$]{0,60}(?:Error|Exception)(?::\s|\s*$)|panic: |npm ERR! |error(?:\[E\d{1,5}\])?: |Exception in thread )/;

/** How a piece of text is dated by where it sits (a dated heading or file name, a dated line). */
export interface TransientContext {
  /** True when the text sits under a dated heading or in a dated file. */
  dated?: boolean;
}

/**
 * True for one-off debugging notes: something temporary ("temporarily …", "for now …", "until PR #12 lands"), or a
 * failure that is dated ("today", "yesterday", an ISO date, a dated heading), recurring ("failing again"), or carries an
 * error signature (`ECONNREFUSED`, `TypeError`, an exit code). Lasting gotchas ("the build fails if NODE_ENV is
 * unset") are not transient: they have no date and no signature.
 */
export function isTransient(text: string, context: TransientContext = {}): boolean {
  if (isStackLine(text)) return true;
  const low = lower(text);
  if (TEMPORARY.test(low) && !NEGATED_TEMPORARY.test(low)) return true;
  if (!DEBUG.test(low)) return false;
  return context.dated === true || DATE_MARKER.test(low) || AGAIN.test(low) || ERROR_SIGNATURE.test(text);
}

/**
 * True when the text says anything that could make it a one-off: debugging or failure words, a date or "today", a
 * temporary qualifier, an error signature, a log line. Weaker than {@link isTransient}: a statement without any of
 * these reads as lasting whatever a model labelled it.
 */
export function hasOneOffMarker(text: string): boolean {
  if (isStackLine(text) || ERROR_SIGNATURE.test(text)) return true;
  const low = lower(text);
  return DEBUG.test(low) || DATE_MARKER.test(low) || (TEMPORARY.test(low) && !NEGATED_TEMPORARY.test(low));
}

/** True when the text carries an ISO date (`2026-03-02`), so what sits under it is dated. */
export function hasIsoDate(text: string): boolean {
  return ISO_DATE.test(text);
}

/** True for a line of a stack trace or error log. */
export function isStackLine(line: string): boolean {
  return STACK_LINES.some((pattern) => pattern.test(line));
}

/** True for the line of an error log that names the error. */
export function isErrorHeadline(line: string): boolean {
  return HEADLINE.test(line);
}
