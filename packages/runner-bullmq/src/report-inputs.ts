import type { Dream, InputSnapshot, ReportInputs } from "@nocturne/core";

/**
 * The report state of a dream before any stage ran, the same the in-process engine starts from (sessions an
 * incremental plan skips are marked); the pipeline fills it in. Rebuilt on every replay, so it never carries over anything a crashed run half-did.
 */
export function initialReportInputs(dream: Dream, snapshot: InputSnapshot): ReportInputs {
  return {
    dreamId: dream.id,
    status: dream.status,
    inputStoreId: snapshot.store.id,
    outputStoreId: null,
    model: dream.model.id,
    instructions: dream.instructions,
    createdAt: dream.created_at,
    endedAt: null,
    sessions: snapshot.sessions.map((session) => ({
      sessionId: session.id,
      title: session.title,
      contentSha256: snapshot.sessionHashes.get(session.id) ?? "",
      events: session.events.length,
      chunks: 0,
      facts: 0,
      skipped: snapshot.incremental?.skip.has(session.id) ?? false,
    })),
    inputMemories: snapshot.memories,
    memoryFacts: [],
    memoryRejections: new Map(),
    dropReasons: new Map(),
    consolidated: [],
    written: new Map(),
    outputContent: new Map(),
    dropped: [],
    notices: [],
    stats: { chunks: 0, candidateFacts: 0, clusters: 0, judgeCalls: 0, redactions: 0 },
    usage: dream.usage,
    error: null,
  };
}
