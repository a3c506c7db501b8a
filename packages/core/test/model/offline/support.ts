import type { Chunk, LineRole, MemorySnippet, ModelCallContext, TranscriptLine } from "@nocturne/core";

/** A call context with no instructions whose reportUsage records every call, so tests can assert it is never used. */
export function callContext(instructions = ""): ModelCallContext & { usageCalls: unknown[] } {
  const usageCalls: unknown[] = [];
  return {
    signal: new AbortController().signal,
    instructions,
    reportUsage: (usage) => {
      usageCalls.push(usage);
    },
    usageCalls,
  };
}

/** A transcript line of one session; events are numbered `<session>_e<index>`. */
export function line(sessionId: string, index: number, text: string, role: LineRole = "user"): TranscriptLine {
  return {
    sessionId,
    eventId: `${sessionId}_e${index}`,
    role,
    text,
    at: new Date(Date.UTC(2026, 2, 1, 9, index)).toISOString(),
  };
}

/** A chunk holding the given lines of one session. */
export function chunkOf(sessionId: string, lines: TranscriptLine[], index = 0): Chunk {
  return { key: `${sessionId}#${index}`, sessionId, index, lines, tokens: 0 };
}

/** A chunk where the user says each text in turn. */
export function userChunk(sessionId: string, texts: string[]): Chunk {
  return chunkOf(
    sessionId,
    texts.map((text, index) => line(sessionId, index, text)),
  );
}

/** A memory snippet as the pipeline hands it to the extractor. */
export function memory(id: string, path: string, content: string): MemorySnippet {
  return { id, path, content, updatedAt: "2026-01-01T00:00:00.000Z" };
}
