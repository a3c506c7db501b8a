/**
 * Anchors: the words of a statement that name one particular thing — a proper name (`Lisbon`, `Alice`), an
 * identifier (`alpha-1`, `eu-west-3`, `src/app.ts`, `10.0.0.7`), a number or version (`16`, `v2.3`), an acronym
 * (`AWS`), a code span. Two statements built from the same words but different anchors are about different things
 * unless something says otherwise, and the order of anchors carries roles ("Alice mentors Bob" ≠ "Bob mentors Alice").
 * Dates and clock times are left out: they say when, not what.
 */

/** Words that are capitalised at the start of a sentence (or always, like `I`) without naming anything. */
const COMMON_WORDS = new Set(
  `a about above after again against all also although always am an and another any are as at be because been before
being below between both but by can could did do does doing down during each either every few for from further had
has have having he her here hers herself him himself his how however i if in into is it its itself just least less
let like many may me might more most much must my myself neither never no nor not now of off often on once only or
other our ours ourselves out over own please same she should since so some such than that the their theirs them
themselves then there these they this those though through thus to too under until up upon us very was we were what
when where whether which while who whom whose why will with within without would yet you your yours yourself
user users agent assistant team project projects people person someone everyone nobody anyone today tomorrow
yesterday tonight currently recently now previously formerly later earlier meanwhile still already usually
prefers prefer likes like uses use used runs run works work lives live moved move switched switch started start
stopped stop tests test builds build deploys deploy keeps keep wants want needs need has had thanks thank yes no ok
okay sure note notes remember fact facts preference preferences procedure rule rules insight insights
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december`.split(/\s+/),
);

const DATE = /^\d{4}-\d{2}-\d{2}(?:[t ][\d:.]+z?)?$|^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$/i;
const TIME = /^\d{1,2}:\d{2}(?::\d{2})?(?:am|pm)?$/i;
const TOKEN = /`[^`]+`|[\p{L}\p{N}][\p{L}\p{N}._\-/@:+#']*[\p{L}\p{N}+#]|[\p{L}\p{N}]/gu;

/** The comparable form of an anchor: lowercase, NFKC, hyphens, underscores and a possessive or contraction ending removed. */
export function normalizeAnchor(token: string): string {
  return token
    .normalize("NFKC")
    .toLowerCase()
    .replace(/^`|`$/g, "")
    .replace(/'(?:s|m|re|ve|ll|d|t)$/, "")
    .replace(/[-_]/g, "");
}

function isAnchor(token: string): boolean {
  if (token.startsWith("`")) return true;
  const bare = token.replace(/'(?:s|m|re|ve|ll|d|t)$/i, "");
  if (DATE.test(bare) || TIME.test(bare)) return false;
  if (/\p{N}/u.test(bare)) return true;
  if (/[._/@]/.test(bare.slice(1, -1))) return true;
  if (/^\p{Lu}{2,}[\p{Lu}\p{N}]*s?$/u.test(bare)) return true;
  if (!/^\p{Lu}/u.test(bare)) return false;
  return /\p{Ll}\p{Lu}/u.test(bare) || !COMMON_WORDS.has(bare.toLowerCase());
}

/** Every word of a text in the comparable form of an anchor, so an anchor written in lowercase elsewhere is found. */
export function anchorTokensOf(text: string): Set<string> {
  const tokens = new Set<string>();
  for (const match of text.normalize("NFKC").matchAll(TOKEN)) tokens.add(normalizeAnchor(match[0]));
  return tokens;
}

/** The anchors of a text, normalized, in the order they appear (a repeated anchor is listed once). */
export function anchorsOf(text: string): string[] {
  const anchors: string[] = [];
  const seen = new Set<string>();
  for (const match of text.normalize("NFKC").matchAll(TOKEN)) {
    const token = match[0];
    if (isAnchor(token)) {
      const anchor = normalizeAnchor(token);
      if (anchor !== "" && !seen.has(anchor)) {
        seen.add(anchor);
        anchors.push(anchor);
      }
    }
  }
  return anchors;
}
