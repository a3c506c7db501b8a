/** Shannon entropy of a string in bits per character: ~0 for `aaaa`, ~4–6 for random tokens. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const PLACEHOLDER_WORDS = new Set([
  "null",
  "none",
  "nil",
  "undefined",
  "true",
  "false",
  "empty",
  "changeme",
  "redacted",
  "secret",
  "password",
  "example",
  "placeholder",
  "your_password",
  "your-password",
  "yourpassword",
  "your_token",
  "your_api_key",
  "xxx",
  "xxxx",
  "todo",
  "tbd",
]);

/**
 * True for values that stand in for a secret rather than being one: `${DB_PASS}`, `%(password)s`, `%DB_PASS%`, `<token>`, `****`, `process.env.X`,
 * `os.environ[...]`, an earlier redaction placeholder, or words like `null` and `changeme`.
 */
export function isPlaceholderValue(value: string): boolean {
  const lower = value.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower)) return true;
  if (/^[$<{[(]/.test(value)) return true;
  if (/^%\(\w{1,64}\)s$|^%\w{1,64}%$/.test(value)) return true;
  if (/^[*xX.•#-]{3,}$/.test(value)) return true;
  if (/^(?:process\.env|os\.environ|env\.|getenv|secrets\.)/i.test(value)) return true;
  return false;
}

/**
 * True when a value assigned to a secret-named variable looks machine-generated: long enough, mixing letters with
 * digits or symbols, and with enough entropy that it is not a word, a constant or a repeated character.
 */
export function looksRandom(value: string, minLength = 16, minEntropy = 3.2): boolean {
  if (value.length < minLength) return false;
  if (isPlaceholderValue(value)) return false;
  const hasLetter = /[A-Za-z]/.test(value);
  const hasDigit = /\d/.test(value);
  const hasUpper = /[A-Z]/.test(value);
  const hasLower = /[a-z]/.test(value);
  if (!hasLetter) return false;
  if (!hasDigit && !(hasUpper && hasLower)) return false;
  return shannonEntropy(value) >= minEntropy;
}

const TYPE_NAMES = new Set(
  "string str number int integer bool boolean text varchar char bytes any unknown object secretstr optional".split(" "),
);

/**
 * True when a bare value after `password=` / `password:` is code rather than a password: a call (`getpass()`), an
 * attribute path (`args.password`), a type (`string`), a comparison (`== expected`) or another variable named after
 * passwords (`newPassword`).
 */
export function looksLikeCode(value: string): boolean {
  if (/[()[\]{}]/.test(value) || value.startsWith("=")) return true;
  if (/^[A-Za-z_][\w.-]{0,63}[:=]$/.test(value)) return true;
  if (/^[A-Za-z_$][\w$]{0,63}(?:\.[A-Za-z_$][\w$]{0,63}){1,8}$/.test(value)) return true;
  if (TYPE_NAMES.has(value.toLowerCase().replace(/[?|]$/, ""))) return true;
  return /pass(?:word|wd)?|pwd/i.test(value) && /^[A-Za-z_$][\w$]{0,63}$/.test(value);
}

function characterClass(code: number): number {
  if (code >= 0x61 && code <= 0x7a) return 0;
  if (code >= 0x41 && code <= 0x5a) return 1;
  if (code >= 0x30 && code <= 0x39) return 2;
  return 3;
}

/**
 * How often adjacent characters switch between lower case, upper case, digits and symbols. Random tokens switch at
 * about two thirds of positions; identifiers and paths (`getUserAccountSettings`) switch only at word boundaries.
 */
export function classSwitches(text: string): number {
  let switches = 0;
  for (let i = 1; i < text.length; i++) {
    if (characterClass(text.charCodeAt(i)) !== characterClass(text.charCodeAt(i - 1))) switches++;
  }
  return switches;
}

/** Words that follow "password is" in ordinary prose without being the password. */
const PROSE_STOP_WORDS = new Set(
  (
    "a an the is was be been being not no now still also just only too very really here there this that these those " +
    "it its my your our their his her correct incorrect wrong invalid valid required optional missing empty blank " +
    "expired expiring changed reset updated saved stored kept set unset same different strong weak long short " +
    "secure insecure protected encrypted hashed hidden visible shown ok okay fine good bad known unknown new old " +
    "temporary permanent mandatory enabled disabled case sensitive in on at of for from to with without by into " +
    "inside under over stored managed rotated generated provided needed used sent shared listed written available " +
    "unavailable ready done please and or but if then when where which who what how why"
  ).split(" "),
);

/** True for an ordinary English word that describes a password rather than being one ("required", "incorrect"). */
export function isProseWord(value: string): boolean {
  return /^[A-Za-z]{1,20}$/.test(value) && PROSE_STOP_WORDS.has(value.toLowerCase());
}

/**
 * True when a word that prose states as a password ("my password is …") is plausibly the password itself rather
 * than a description of it ("… is incorrect", "… is stored in the vault").
 */
export function plausiblePassword(value: string): boolean {
  if (value.length < 4 || isPlaceholderValue(value)) return false;
  if (/[^A-Za-z]/.test(value)) return true;
  if (/[A-Z]/.test(value) && /[a-z]/.test(value) && value !== value[0] + value.slice(1).toLowerCase()) return true;
  return value.length >= 6 && !isProseWord(value);
}
