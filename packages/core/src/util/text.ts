const STOPWORDS = new Set(
  "a an the and or but of to in on at for with by from as is are was were be been being it its this that these those i me my we our you your user users they their he she his her has have had do does did not no so very just also please".split(
    " ",
  ),
);

/** Lowercase, NFKC, whitespace collapsed: the form statements and quotes are compared in. */
export function normalizeText(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/** A normalized fact key: lowercase words joined by `.`/`_`, so `Editor Indentation` and `editor.indentation` match. */
export function normalizeKey(key: string): string {
  return key
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}./]+/gu, "_")
    .replace(/_*([./])_*/g, "$1")
    .replace(/^[_.]+|[_.]+$/g, "");
}

/** The content words of a statement (stopwords and punctuation removed), for near-duplicate comparison. */
export function contentWords(text: string): string[] {
  return normalizeText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0 && !STOPWORDS.has(word));
}

/** Jaccard similarity of two word sets. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Lowercase, NFKC, curly apostrophes made straight: the form every rule matches against. */
export function lower(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/[’‘]/g, "'");
}
