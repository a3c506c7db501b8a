import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { newId } from "@nocturne/core";
import type { ApiKeyRecord, TenancyStore } from "./tenancy-store.js";

/** Prefix of every secret key the server issues. */
const KEY_PREFIX = "sk-noct-";

/** Hex SHA-256 of a secret key: what the tenancy file keeps instead of the key. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** A newly issued key: the secret (shown once) and the record kept. */
export interface IssuedApiKey {
  key: string;
  record: ApiKeyRecord;
}

/**
 * Issues an API key for a workspace: 32 random bytes, kept only as their SHA-256. `readOnly` keys may read but
 * every write is refused with 403 `permission_error`.
 */
export async function issueApiKey(
  tenancy: TenancyStore,
  workspace: string,
  options: { readOnly?: boolean } = {},
): Promise<IssuedApiKey> {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(workspace)) {
    throw new Error("A workspace name is 1–64 letters, digits, '_', '.' or '-'.");
  }
  const key = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const record: ApiKeyRecord = {
    id: newId("key"),
    workspace,
    readOnly: options.readOnly ?? false,
    sha256: hashApiKey(key),
    created_at: new Date().toISOString(),
  };
  await tenancy.addKey(record);
  return { key, record };
}

/** The record of a presented key, or null. Hashes compare in constant time. */
export async function verifyApiKey(tenancy: TenancyStore, presented: string): Promise<ApiKeyRecord | null> {
  const sha256 = hashApiKey(presented);
  const record = await tenancy.keyBySha256(sha256);
  if (record === null) return null;
  const same = timingSafeEqual(Buffer.from(record.sha256, "hex"), Buffer.from(sha256, "hex"));
  return same ? record : null;
}
