import { redactSecrets } from "../../security/redact-secrets.js";

const PLACEHOLDER = /\[REDACTED(?::[\w-]{0,40})?\]/i;
/**
 * A cheap gate before the full redactor: every secret it finds holds a digit, a long unbroken run, a URL with
 * credentials, a key block, or is named (password, token, key, secret …). Plain prose passes straight through.
 */
const MIGHT_HOLD_SECRET =
  /\d|[^\s]{16}|:\/\/|-----|pass|pwd|secret|token|key|credential|auth|bearer|session|cookie|sig=|private/i;

/**
 * True when a statement must not become a memory because it is, or stands for, a credential: it carries a secret the
 * redactor recognises (API keys, tokens, private keys, passwords stated in prose, credentials in connection strings),
 * or a redaction placeholder left where one was (a fact like "the deploy token is [REDACTED:github_token]" is about a
 * secret, not worth keeping).
 */
export function looksLikeCredential(statement: string): boolean {
  if (PLACEHOLDER.test(statement)) return true;
  return MIGHT_HOLD_SECRET.test(statement) && redactSecrets(statement).redactions > 0;
}
