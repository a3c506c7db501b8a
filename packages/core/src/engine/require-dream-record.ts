import type { DreamRecord, StorageAdapter } from "../ports/storage-adapter.js";
import { dreamNotFound } from "./dream-lifecycle-errors.js";

/**
 * The stored record of dream `id`, or the typed `dream_not_found`. Without `report: true` the report is left out
 * (`null`): reading a dream's status never copies a report of thousands of entries.
 */
export async function requireDreamRecord(
  storage: StorageAdapter,
  id: string,
  options: { report?: boolean } = {},
): Promise<DreamRecord> {
  const record = await storage.getDreamRecord(id, { report: options.report === true });
  if (!record) throw dreamNotFound(id);
  return record;
}
