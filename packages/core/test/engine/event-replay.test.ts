import { createInMemoryAdapter, createNocturne, type DreamEvent } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { sessionOf, storeWith } from "../helpers/fixtures.js";

describe("dreams.events(id)", () => {
  it("replays a dream's full history after it ended, the same as a reader that followed it live", async () => {
    const storage = createInMemoryAdapter();
    const storeId = await storeWith(storage, { "/profile.md": "- I live in Berlin\n" });
    const sessions = [1, 2, 3].map((n) => sessionOf(`sesn_${n}`, n, [`I prefer tabs, note ${n}.`, "We use pnpm."]));
    for (const session of sessions) await storage.putSession(session);
    const nocturne = createNocturne({ storage, chunkTokens: 200 });
    const dream = await nocturne.dreams.create({
      inputs: [
        { type: "memory_store", memory_store_id: storeId },
        { type: "sessions", session_ids: sessions.map((session) => session.id) },
      ],
    });
    const live: DreamEvent[] = [];
    for await (const event of nocturne.dreams.events(dream.id)) live.push(event);
    expect(live.at(-1)).toMatchObject({ type: "status", status: "completed" });

    const replayed: DreamEvent[] = [];
    for await (const event of nocturne.dreams.events(dream.id)) replayed.push(event);
    expect(replayed).toEqual(live);
    expect(replayed.length).toBeGreaterThan(10);
    expect(replayed.map((event) => event.seq)).toEqual(replayed.map((_, index) => index));
    // Three short sessions are packed into two chunks of at most 200 tokens.
    expect(replayed.filter((event) => event.type === "chunk")).toHaveLength(2);
    expect(replayed.some((event) => event.type === "memory.written")).toBe(true);
  });
});
