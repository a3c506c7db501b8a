import { redactSecrets } from "../../security/redact-secrets.js";

const PLACEHOLDER = /\[REDACTED(?::[\w-]{0,40})?\]/i;

/**
 * True when a statement must not become a memory because it is, or stands for, a credential: it carries a secret the
 * redactor recognises (API keys, tokens, private keys, passwords stated in prose, credentials in connection strings),
 * or a redaction placeholder left where one was (a fact like "the deploy token is [REDACTED:github_token]" is about a
 * secret, not worth keeping).
 */
export function looksLikeCredential(statement: string): boolean {
  return PLACEHOLDER.test(statement) || redactSecrets(statement).redactions > 0;
}
