import { NocturneError } from "@nocturne/core";

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Checks a PostgreSQL schema name and returns it double-quoted for use in SQL. Identifiers cannot be bound as
 * parameters, so only plain lower-case names are accepted: nothing a caller passes can change a statement's shape.
 */
export function quoteSchema(schema: string): string {
  if (!IDENTIFIER.test(schema)) {
    throw new NocturneError(
      "invalid_input",
      `PostgreSQL schema name ${JSON.stringify(schema)} is invalid: use 1-63 lower-case letters, digits or '_', not starting with a digit.`,
      { details: { schema } },
    );
  }
  return `"${schema}"`;
}

/** Checks a tenant key: any non-empty text up to 200 characters without control characters. */
export function checkTenant(tenant: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse control characters
  if (tenant.length === 0 || tenant.length > 200 || /[\u0000-\u001f\u007f]/.test(tenant)) {
    throw new NocturneError(
      "invalid_input",
      `Tenant ${JSON.stringify(tenant)} is invalid: use 1-200 printable characters, e.g. "acme" or "team-42".`,
      { details: { tenant } },
    );
  }
  return tenant;
}
