/**
 * Where stores written before lineage existed kept their ledger, as memory files (`/nocturne/consolidated-sessions.md`
 * and numbered parts); still read, never written.
 */
const LEDGER_PATTERN = /^\/nocturne\/consolidated-sessions(?:-\d+)?\.md$/;

/** True for the path of a legacy ledger memory (never read as facts, never written by a model's topic). */
export function isLedgerPath(path: string): boolean {
  return LEDGER_PATTERN.test(path);
}
