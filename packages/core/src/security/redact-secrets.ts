import { z } from "zod";
import { findPrivateKeyBlocks, type SecretSpan } from "./private-key-blocks.js";
import { SECRET_RULES, type SecretRule } from "./secret-rules.js";

/** What {@link redactSecrets} returns: the cleaned text, how many secrets it replaced, and of which kinds. */
export const RedactionResult = z.object({
  /** The input with every secret replaced by `[REDACTED:<kind>]`. */
  text: z.string(),
  /** Number of secrets replaced. */
  redactions: z.number().int().nonnegative(),
  /** The distinct kinds replaced, sorted. */
  kinds: z.array(z.string()),
});
export type RedactionResult = z.infer<typeof RedactionResult>;

/** The placeholder that stands in for a secret of a kind. It never contains the secret or anything derived from it. */
export function redactionPlaceholder(kind: string): string {
  return `[REDACTED:${kind}]`;
}

const TRAILING_PUNCTUATION = /[.,;:!?)\]}>]$/;

interface RankedSpan extends SecretSpan {
  rank: number;
}

function secretSpan(match: RegExpExecArray): { start: number; end: number } | null {
  const indices = match.indices;
  if (indices === undefined) return null;
  for (let group = 1; group < match.length; group++) {
    const range = indices[group];
    if (match[group] !== undefined && range !== undefined) return { start: range[0], end: range[1] };
  }
  const whole = indices[0];
  return whole === undefined ? null : { start: whole[0], end: whole[1] };
}

function ruleSpans(text: string, rule: SecretRule, rank: number, into: RankedSpan[]): void {
  const pattern = rule.pattern;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    const span = secretSpan(match);
    if (span === null) continue;
    let { start, end } = span;
    if (rule.trimTrailingPunctuation) {
      while (end > start && TRAILING_PUNCTUATION.test(text.slice(end - 1, end))) end--;
    }
    if (end <= start) continue;
    const secret = text.slice(start, end);
    if (rule.accept && !rule.accept(secret, match[0])) continue;
    into.push({ start, end, kind: rule.kind, rank });
  }
}

const PLACEHOLDER = /\[REDACTED:[a-z0-9_]{1,40}\]/g;

/** Ranges of placeholders already in the text, so that redacting twice changes nothing. */
function placeholderRanges(text: string): Array<[number, number]> {
  if (!text.includes("[REDACTED:")) return [];
  return [...text.matchAll(PLACEHOLDER)].map((match) => [match.index, match.index + match[0].length]);
}

/** True when `[start, end)` overlaps one of the sorted, disjoint `ranges`. */
function overlapsAny(ranges: Array<[number, number]>, start: number, end: number): boolean {
  let low = 0;
  let high = ranges.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    const range = ranges[mid] as [number, number];
    if (range[1] <= start) low = mid + 1;
    else high = mid;
  }
  const next = ranges[low];
  return next !== undefined && next[0] < end;
}

/** Joins overlapping spans; a joined span takes the kind of its most specific rule (earliest in the table). */
function mergeSpans(spans: RankedSpan[]): RankedSpan[] {
  spans.sort((a, b) => a.start - b.start || b.end - a.end || a.rank - b.rank);
  const merged: RankedSpan[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last !== undefined && span.start < last.end) {
      last.end = Math.max(last.end, span.end);
      if (span.rank < last.rank) {
        last.rank = span.rank;
        last.kind = span.kind;
      }
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
}

/**
 * Finds secrets in text — API keys and tokens of the common providers, private key blocks, passwords stated in text
 * or assigned in config, credentials in connection strings, high-entropy values of secret-named variables — and
 * replaces each with `[REDACTED:<kind>]`. Deterministic, synchronous and linear in the length of the text; running it
 * on its own output finds nothing more. The rules are in {@link SECRET_RULES}.
 */
export function redactSecrets(text: string): RedactionResult {
  const spans: RankedSpan[] = findPrivateKeyBlocks(text).map((span) => ({ ...span, rank: -1 }));
  SECRET_RULES.forEach((rule, rank) => {
    ruleSpans(text, rule, rank, spans);
  });
  const existing = placeholderRanges(text);
  const fresh = existing.length === 0 ? spans : spans.filter((span) => !overlapsAny(existing, span.start, span.end));
  if (fresh.length === 0) return { text, redactions: 0, kinds: [] };
  const merged = mergeSpans(fresh);
  const parts: string[] = [];
  let cursor = 0;
  for (const span of merged) {
    parts.push(text.slice(cursor, span.start), redactionPlaceholder(span.kind));
    cursor = span.end;
  }
  parts.push(text.slice(cursor));
  const kinds = [...new Set(merged.map((span) => span.kind))].sort();
  return { text: parts.join(""), redactions: merged.length, kinds };
}
