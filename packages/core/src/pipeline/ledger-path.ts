/** Where stores written before lineage existed kept their ledger, as a memory file; still read, never written. */
export const LEDGER_PATH = "/nocturne/consolidated-sessions.md";

const LEDGER_PATTERN = /^\/nocturne\/consolidated-sessions(?:-\d+)?\.md$/;

/** True for the path of a legacy ledger memory (never read as facts, never written by a model's topic). */
export function isLedgerPath(path: string): boolean {
  return LEDGER_PATTERN.test(path);
}
