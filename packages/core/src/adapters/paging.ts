import type { Page } from "../schemas/common.js";

/** Default and largest page sizes for list calls. */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** Clamps a requested page size. */
export function pageSize(limit: number | undefined): number {
  return Math.min(Math.max(limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
}

/** Takes one page from an already sorted list, where `keyOf` gives the cursor of an item (found by bisection). */
export function pageOf<T>(
  sorted: T[],
  keyOf: (item: T) => string,
  limit: number | undefined,
  after: string | undefined,
  compare: (a: string, b: string) => number,
): Page<T> {
  const size = pageSize(limit);
  let from = 0;
  if (after !== undefined) {
    let past = sorted.length;
    while (from < past) {
      const middle = (from + past) >>> 1;
      if (compare(keyOf(sorted[middle] as T), after) > 0) past = middle;
      else from = middle + 1;
    }
  }
  const data = sorted.slice(from, from + size);
  const last = data.at(-1);
  const more = from + size < sorted.length;
  return { data, next_cursor: more && last !== undefined ? keyOf(last) : null };
}

/**
 * Compares two strings by their UTF-8 bytes: the order memories are listed in on every adapter. Outside surrogates
 * that is the order of their UTF-16 code units, compared without encoding; around a surrogate the bytes decide.
 */
export function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x === y) continue;
    if (isSurrogate(x) || isSurrogate(y)) return compareBytes(a, b);
    return x < y ? -1 : 1;
  }
  if (a.length === b.length) return 0;
  if (length > 0 && isSurrogate(a.charCodeAt(length - 1))) return compareBytes(a, b);
  return a.length < b.length ? -1 : 1;
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

function isSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff;
}
