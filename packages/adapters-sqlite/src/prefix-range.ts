const MAX_CODE_POINT = 0x10ffff;

/**
 * The smallest string greater than every string that starts with `prefix`, in code point order (which is UTF-8
 * byte order, SQLite's `BINARY` collation): the prefix with its last character replaced by the next code point.
 * `path >= prefix AND path < prefixEnd(prefix)` is then an exact, index-friendly prefix match. Null when there is
 * no upper bound (an empty prefix, or one made only of U+10FFFF).
 */
export function prefixEnd(prefix: string): string | null {
  const chars = Array.from(prefix);
  while (chars.length > 0) {
    const last = chars.pop() as string;
    let next = (last.codePointAt(0) ?? 0) + 1;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
    if (next <= MAX_CODE_POINT) return chars.join("") + String.fromCodePoint(next);
  }
  return null;
}
