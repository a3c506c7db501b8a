import type { Session, StorageAdapter } from "@nocturne/core";

/**
 * The fixtures' epoch: a minute from now, so every session a test builds is newer than the memories it creates
 * (memories are stamped with the real clock), as sessions that follow a memory's last write are in real use.
 */
const clock = Date.now() + 60_000;

/** A timestamp `days` after the fixtures' epoch. */
export function day(days: number, minutes = 0): string {
  return new Date(clock + days * 86_400_000 + minutes * 60_000).toISOString();
}

/** A session whose user says each line in turn, on day `onDay`, with an agent acknowledgement after each. */
export function sessionOf(id: string, onDay: number, userLines: string[]): Session {
  return {
    id,
    title: `Session ${id}`,
    created_at: day(onDay),
    metadata: {},
    events: userLines.flatMap((text, index) => [
      {
        id: `${id}_u${index}`,
        type: "user.message" as const,
        processed_at: day(onDay, index * 2),
        content: [{ type: "text" as const, text }],
      },
      {
        id: `${id}_a${index}`,
        type: "agent.message" as const,
        processed_at: day(onDay, index * 2 + 1),
        content: [{ type: "text" as const, text: "Noted." }],
      },
    ]),
  };
}

/** Creates a store holding the given memories (path → content) and returns its id. */
export async function storeWith(storage: StorageAdapter, memories: Record<string, string>): Promise<string> {
  const store = await storage.createMemoryStore({ name: "agent memory" });
  for (const [path, content] of Object.entries(memories)) await storage.createMemory(store.id, { path, content });
  return store.id;
}

/** SHA-256 of every memory in a store, by path, plus the store record: what "unchanged" means. */
export async function fingerprint(storage: StorageAdapter, storeId: string): Promise<string> {
  const store = await storage.getMemoryStore(storeId);
  const page = await storage.listMemories(storeId, { limit: 1000 });
  return JSON.stringify({ store, memories: page.data.map((m) => [m.id, m.path, m.content_sha256, m.updated_at]) });
}
