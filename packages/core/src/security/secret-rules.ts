import {
  classSwitches,
  isPlaceholderValue,
  isProseWord,
  looksLikeCode,
  looksRandom,
  plausiblePassword,
} from "./secret-values.js";

/**
 * One kind of secret and how to find it. When the pattern has capture groups, the first group that took part in a
 * match is the secret (so `password=hunter2` keeps `password=`); otherwise the whole match is.
 *
 * Every pattern here is written to run in linear time: each quantifier is bounded (`{m,n}`, never `+`, `*` or
 * `{m,}`), no quantified group contains another quantifier, and a pattern starts with a literal or a bounded class,
 * so the work per start position is bounded by a constant. `test/security/secret-rules.test.ts` checks this.
 */
export interface SecretRule {
  /** Stable name, used in the placeholder `[REDACTED:<kind>]` and in `kinds`. */
  kind: string;
  /** What the rule finds, for the docs and for reviewers. */
  description: string;
  /** A global (`g`) regular expression with match indices (`d`). */
  pattern: RegExp;
  /** Extra check on a candidate: the secret text and the whole match. Rejecting keeps the text as it is. */
  accept?: (secret: string, match: string) => boolean;
  /** Drop trailing sentence punctuation (`.`, `,`, `)` …) from the secret, for secrets stated in prose. */
  trimTrailingPunctuation?: boolean;
}

const rx = (source: string, flags = "") => new RegExp(source, `gd${flags}`);

/** Start of a token: not preceded by a character that could belong to it. */
const START = "(?<![A-Za-z0-9_-])";
/** End of a token: not followed by a character that could belong to it. */
const END = "(?![A-Za-z0-9_-])";

/** A value after `=` or `:`: double-quoted, single-quoted (possibly JSON-escaped), or a bare run. */
const VALUE = `(?:\\\\?"([^"\\\\\\n]{1,256})|'([^'\\\\\\n]{1,256})|([^\\s"'\`,;&<>]{1,256}))`;
/** A separator between a name and its value: `=`, `:`, `:=`, `=>`, optionally after a closing quote. */
const ASSIGN = `\\\\?["']?\\s{0,5}(?::=|=>|[:=])\\s{0,5}`;

const notPlaceholder = (secret: string) => !isPlaceholderValue(secret);
const assignedPassword = (secret: string, match: string): boolean => {
  if (isPlaceholderValue(secret)) return false;
  if (/["']$/.test(match.slice(0, match.length - secret.length))) return true;
  return secret.length >= 4 && !isProseWord(secret) && !looksLikeCode(secret);
};
const random =
  (minLength: number, minEntropy = 3) =>
  (secret: string): boolean =>
    looksRandom(secret, minLength, minEntropy);
const hasDigitUpperLower = (secret: string) => /\d/.test(secret) && /[A-Z]/.test(secret) && /[a-z]/.test(secret);

/**
 * Nocturne's pattern table: provider tokens first (most specific), then context rules (private key blocks are found
 * by {@link findPrivateKeyBlocks}), and last the standalone AWS-style secret key, the least specific. Formats follow each provider's published token prefixes and lengths.
 */
export const SECRET_RULES: readonly SecretRule[] = [
  {
    kind: "anthropic_api_key",
    description: "Anthropic API and admin keys (sk-ant-…)",
    pattern: rx(`${START}sk-ant-[A-Za-z0-9_-]{32,300}${END}`),
  },
  {
    kind: "openai_api_key",
    description: "OpenAI API keys (sk-…, sk-proj-…, sk-svcacct-…, sk-admin-…)",
    pattern: rx(`${START}sk-(?!ant-)[A-Za-z0-9_-]{20,300}${END}`),
    accept: (secret) => looksRandom(secret.slice(3), 20),
  },
  {
    kind: "aws_access_key",
    description: "AWS access key ids (AKIA…, ASIA… and the other IAM prefixes)",
    pattern: rx("(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}(?![A-Z0-9])"),
  },
  {
    kind: "aws_secret_key",
    description: "AWS secret access keys assigned to an aws_secret_access_key-like name",
    pattern: rx(
      "(?:aws[_.-]?secret[_.-]?(?:access[_.-]?)?key|secret[_.-]?access[_.-]?key)[\"']?\\s{0,5}(?::=|=>|[:=])\\s{0,5}[\"']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
      "i",
    ),
  },
  {
    kind: "github_token",
    description: "GitHub personal, OAuth, app and refresh tokens (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)",
    pattern: rx(`${START}(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{40,255})${END}`),
  },
  {
    kind: "gitlab_token",
    description: "GitLab personal, deploy, pipeline, runner and feed tokens (glpat-, gldt-, glrt-, …)",
    pattern: rx(
      `${START}(?:gl(?:pat|dt|ptt|rt|cbt|soat|ft|imt|agent|oas)-[A-Za-z0-9_-]{20,100}|GR1348941[A-Za-z0-9_-]{20,100})${END}`,
    ),
  },
  {
    kind: "slack_token",
    description: "Slack bot, user, app and config tokens (xoxb-, xoxp-, xapp-, …)",
    pattern: rx(`${START}(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,250}${END}`),
  },
  {
    kind: "slack_webhook",
    description: "Slack incoming-webhook and workflow URLs",
    pattern: rx("https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{20,200}"),
  },
  {
    kind: "stripe_key",
    description: "Stripe secret and restricted keys (sk_live_, rk_test_ …) and webhook secrets (whsec_)",
    pattern: rx(`${START}(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,250}|whsec_[A-Za-z0-9]{24,250})${END}`),
  },
  {
    kind: "google_api_key",
    description: "Google API keys (AIza…)",
    pattern: rx(`${START}AIza[0-9A-Za-z_-]{35}${END}`),
  },
  {
    kind: "google_oauth",
    description: "Google OAuth client secrets (GOCSPX-), access tokens (ya29.) and refresh tokens (1//0…)",
    pattern: rx(`${START}(?:GOCSPX-[A-Za-z0-9_-]{28}|ya29\\.[0-9A-Za-z_-]{20,2048}|1//0[A-Za-z0-9_-]{40,512})${END}`),
  },
  {
    kind: "azure_key",
    description: "Azure storage and service-bus account keys in connection strings (AccountKey=, SharedAccessKey=)",
    pattern: rx("(?:AccountKey|SharedAccessKey|PrimaryKey|SecondaryKey)=([A-Za-z0-9+/]{20,120}={0,2})", "i"),
  },
  {
    kind: "azure_sas_token",
    description: "Signatures of Azure shared-access-signature URLs (sig=)",
    pattern: rx("[?&]sig=([A-Za-z0-9%+/]{20,200}(?:%3D|=){0,2})"),
  },
  {
    kind: "azure_client_secret",
    description: "Microsoft Entra ID (Azure AD) client secrets (…8Q~…)",
    pattern: rx("(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])"),
  },
  {
    kind: "npm_token",
    description: "npm access tokens (npm_…)",
    pattern: rx(`${START}npm_[A-Za-z0-9]{36}${END}`),
  },
  {
    kind: "twilio_api_key",
    description: "Twilio API key SIDs (SK + 32 hex)",
    pattern: rx(`${START}SK[0-9a-fA-F]{32}${END}`),
  },
  {
    kind: "sendgrid_api_key",
    description: "SendGrid API keys (SG.….…)",
    pattern: rx(`${START}SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${END}`),
  },
  {
    kind: "huggingface_token",
    description: "Hugging Face access tokens (hf_…)",
    pattern: rx(`${START}hf_[A-Za-z0-9]{34,40}${END}`),
  },
  {
    kind: "databricks_token",
    description: "Databricks personal access tokens (dapi…)",
    pattern: rx(`${START}dapi[0-9a-f]{32}(?:-\\d)?${END}`),
  },
  {
    kind: "digitalocean_token",
    description: "DigitalOcean personal, OAuth and refresh tokens (dop_v1_, doo_v1_, dor_v1_)",
    pattern: rx(`${START}do[por]_v1_[a-f0-9]{64}${END}`),
  },
  {
    kind: "shopify_token",
    description: "Shopify access tokens and shared secrets (shpat_, shpca_, shppa_, shpss_)",
    pattern: rx(`${START}shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}${END}`),
  },
  {
    kind: "pypi_token",
    description: "PyPI upload tokens (pypi-AgEIcHlwaS5vcmc…)",
    pattern: rx(`${START}pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,300}${END}`),
  },
  {
    kind: "groq_api_key",
    description: "Groq API keys (gsk_…)",
    pattern: rx(`${START}gsk_[A-Za-z0-9]{48,56}${END}`),
  },
  {
    kind: "linear_api_key",
    description: "Linear API keys (lin_api_…)",
    pattern: rx(`${START}lin_api_[A-Za-z0-9]{40}${END}`),
  },
  {
    kind: "notion_token",
    description: "Notion integration tokens (ntn_…, secret_…)",
    pattern: rx(`${START}(?:ntn_[A-Za-z0-9]{40,50}|secret_[A-Za-z0-9]{43})${END}`),
  },
  {
    kind: "mailgun_api_key",
    description: "Mailgun API keys (key-…)",
    pattern: rx(`${START}key-[0-9a-f]{32}${END}`),
  },
  {
    kind: "hashicorp_vault_token",
    description: "HashiCorp Vault service, batch and recovery tokens (hvs., hvb., hvr.)",
    pattern: rx(`${START}hv[sbr]\\.[A-Za-z0-9_-]{24,250}${END}`),
  },
  {
    kind: "docker_token",
    description: "Docker Hub personal access tokens (dckr_pat_…)",
    pattern: rx(`${START}dckr_pat_[A-Za-z0-9_-]{27,80}${END}`),
  },
  {
    kind: "telegram_bot_token",
    description: "Telegram bot tokens (<bot id>:AA…)",
    pattern: rx("(?<![0-9])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])"),
  },
  {
    kind: "discord_webhook",
    description: "Discord webhook URLs",
    pattern: rx("https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]{5,20}/[A-Za-z0-9_-]{60,80}"),
  },
  {
    kind: "age_secret_key",
    description: "age encryption secret keys (AGE-SECRET-KEY-1…)",
    pattern: rx("AGE-SECRET-KEY-1[0-9A-Z]{58}"),
  },
  {
    kind: "jwt",
    description: "JSON Web Tokens (eyJ….eyJ….…)",
    pattern: rx(`${START}eyJ[A-Za-z0-9_-]{5,4000}\\.eyJ[A-Za-z0-9_-]{2,8000}\\.[A-Za-z0-9_-]{0,2000}${END}`),
  },
  {
    kind: "bearer_token",
    description: "Bearer tokens in Authorization headers or prose (Bearer …, Authorization: token …)",
    pattern: rx("(?:\\bbearer|authorization:\\s{0,5}token)\\s{1,5}([A-Za-z0-9._~+/-]{16,4096}={0,2})", "i"),
    accept: random(16),
  },
  {
    kind: "basic_auth",
    description: "Credentials of HTTP Basic authorization headers",
    pattern: rx("authorization:\\s{0,5}basic\\s{1,5}([A-Za-z0-9+/]{8,1024}={0,2})", "i"),
  },
  {
    kind: "connection_string",
    description: "The password in URLs with credentials (postgres://user:pass@host, mongodb+srv://, redis://:pass@ …)",
    pattern: rx(
      "(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}://[^\\s:/?#@\"'<>]{0,256}:([^\\s/?#@\"'<>]{1,256})@(?=[A-Za-z0-9\\[])",
    ),
    accept: notPlaceholder,
  },
  {
    kind: "password",
    description: 'Values assigned to password-named keys (password=, DB_PASSWORD:, PGPASSWORD=, pwd=, "password": …)',
    pattern: rx(`(?:pass(?:word|wd|phrase)|(?<![A-Za-z])(?:pass|pwd))${ASSIGN}${VALUE}`, "i"),
    accept: assignedPassword,
  },
  {
    kind: "password",
    description: "Passwords given on a command line (--password x, mysql -px, sshpass -p x)",
    pattern: rx(
      `(?:--(?:password|passwd|pass)(?:=|\\s{1,3})|\\bsshpass\\s{1,3}-p\\s{0,3}|\\bmysql(?:dump|admin)?\\s[^\\n]{0,200}?\\s-p(?=[^\\s-]))${VALUE}`,
      "i",
    ),
    accept: assignedPassword,
  },
  {
    kind: "password",
    description: 'Passwords stated in prose ("my password is …", "the wifi passcode was …")',
    pattern: rx(
      "\\b(?:password|passphrase|passcode|pass ?word|pwd|pw)\\b(?:[^\\n.!?:=]{0,40}?)\\b(?:is|was|are|to|as|of)\\s{1,3}[\"'`]?([^\\s\"'`]{1,256})",
      "i",
    ),
    accept: (secret, match) =>
      plausiblePassword(secret) &&
      !secret.includes("://") &&
      !/\b(?:reset|manager|policy|length|field|prompt|hint|rule|requirement|strength)s?\b/i.test(match),
    trimTrailingPunctuation: true,
  },
  {
    kind: "secret_assignment",
    description:
      "High-entropy values assigned to secret-named variables (API_KEY=, client_secret:, accessToken =, x-api-key: …)",
    pattern: rx(
      `(?:secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|signing[_-]?key|encryption[_-]?key|master[_-]?key|credentials?|auth)(?:[_.-][A-Za-z0-9_.-]{0,30})?${ASSIGN}${VALUE}`,
      "i",
    ),
    accept: random(12),
  },
  {
    kind: "secret_assignment",
    description: 'High-entropy API keys and tokens stated in prose ("my API key is …", "the token was …")',
    pattern: rx(
      "\\b(?:api[ _-]?key|access[ _-]?key|secret(?:[ _-]?key)?|token|credentials?)\\s{1,3}(?:is|was|=|:)\\s{1,3}[\"'`]?([A-Za-z0-9_+/=.~-]{12,512})",
      "i",
    ),
    accept: random(16),
    trimTrailingPunctuation: true,
  },
  {
    kind: "aws_secret_key",
    description:
      "Standalone 40-character AWS-style secret keys: digits, upper and lower case mixed as randomly as a generated key (not a camelCase identifier or a path)",
    pattern: rx("(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"),
    accept: (secret) => hasDigitUpperLower(secret) && looksRandom(secret, 40, 4) && classSwitches(secret) >= 17,
  },
];
