import { NocturneError, sha256 } from "@nocturne/core";
import type { InputSnapshot } from "@nocturne/core/internals";

/** Hashes of a dream's inputs as read when it was created; every replay checks its fresh read against them. */
export interface InputFingerprint {
  memories: string;
  sessions: string;
}

/** The fingerprint of a snapshot. */
export function fingerprintOf(snapshot: InputSnapshot): InputFingerprint {
  const memories = snapshot.memories.map((memory) => [memory.id, memory.path, memory.content_sha256]);
  const sessions = snapshot.sessions.map((session) => [session.id, snapshot.sessionHashes.get(session.id)]);
  return {
    memories: sha256(JSON.stringify([snapshot.store.id, memories])),
    sessions: sha256(JSON.stringify(sessions)),
  };
}

/**
 * Throws the hosted error type when the inputs changed since the dream was created: a dream reads its inputs as
 * they were, and a replay on another worker must see exactly that.
 */
export function assertSameInputs(expected: InputFingerprint, snapshot: InputSnapshot): void {
  const actual = fingerprintOf(snapshot);
  if (actual.sessions !== expected.sessions) {
    throw new NocturneError(
      "input_session_unavailable",
      "An input session changed while the dream ran; inputs must stay as they were until it ends. Start a new dream.",
    );
  }
  if (actual.memories !== expected.memories) {
    throw new NocturneError(
      "input_memory_store_unavailable",
      `The input memory store ${snapshot.store.id} changed while the dream ran; inputs must stay as they were until it ends. Start a new dream.`,
      { details: { memory_store_id: snapshot.store.id } },
    );
  }
}
