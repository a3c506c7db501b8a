import {
  type ConsolidationModel,
  createInMemoryAdapter,
  createNocturne,
  readAllMemories,
  type Session,
  type StorageAdapter,
} from "@nocturne/core";

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

/**
 * One dream over a fresh in-memory store holding `memories` and one session where the user says `userLines`, with
 * `model`: the dream's record, its report, and the output store's text.
 */
export async function dreamOnce(model: ConsolidationModel, memories: Record<string, string>, userLines: string[]) {
  const storage = createInMemoryAdapter();
  await storage.putSession(sessionOf("sesn_a", 1, userLines));
  const storeId = await storeWith(storage, memories);
  const nocturne = createNocturne({ storage, model });
  const created = await nocturne.dreams.create({
    inputs: [
      { type: "memory_store", memory_store_id: storeId },
      { type: "sessions", session_ids: ["sesn_a"] },
    ],
  });
  const done = await nocturne.dreams.wait(created.id);
  const report = await nocturne.dreams.report(created.id);
  const text = (await readAllMemories(storage, done.outputs[0]?.memory_store_id ?? ""))
    .map((memory) => memory.content)
    .join("\n");
  return { done, report, text };
}
