const MAX_CODE_POINT = 0x10ffff;

/**
 * The smallest string greater than every string that starts with `prefix`, in UTF-8 byte order (which is code
 * point order), or null when there is none (empty prefix, or only U+10FFFF characters).
 *
 * `path >= prefix AND path < upper` on a `COLLATE "C"` column is then a plain B-tree range scan, where
 * `LIKE prefix || '%'` would need escaping and a pattern-ops index.
 */
export function prefixUpperBound(prefix: string): string | null {
  const points = Array.from(prefix, (char) => char.codePointAt(0) ?? 0);
  while (points.length > 0) {
    const last = points.pop() ?? 0;
    if (last < MAX_CODE_POINT) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return [...points, next].map((point) => String.fromCodePoint(point)).join("");
    }
  }
  return null;
}
