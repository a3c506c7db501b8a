import { type StorageAdapter, stageTranscriptFile } from "@nocturne/core";
import { claimSessionId, reportWarnings } from "./load-sessions.js";

/**
 * Stores each transcript file as a session, one file at a time and each as it is read (`stageTranscriptFile`: a
 * large transcript is never held whole), committing a file's session only once its id is known to be new in this
 * run. A broken file, or one holding a session an earlier file held, stops it with nothing of that file stored;
 * `onStored` has heard of every session stored before. Returns the stored ids in file order.
 */
export async function storeSessions(
  storage: StorageAdapter,
  files: string[],
  onWarning: (text: string) => void,
  onStored: (id: string) => void,
): Promise<string[]> {
  const owners = new Map<string, string>();
  const ids: string[] = [];
  for (const file of files) {
    const staged = await stageTranscriptFile(storage, file);
    try {
      reportWarnings(staged.warnings, onWarning);
      claimSessionId(owners, staged.session.id, file);
    } catch (error) {
      await staged.abort();
      throw error;
    }
    ids.push((await staged.commit()).id);
    onStored(staged.session.id);
  }
  return ids;
}
