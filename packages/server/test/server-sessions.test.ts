import type Anthropic from "@anthropic-ai/sdk";
import type { BetaManagedAgentsStreamSessionEvents } from "@anthropic-ai/sdk/resources/beta/sessions/events";
import type { DreamEvent, Nocturne } from "@nocturne/core";
import { createScriptedLanguageModel } from "@nocturne/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { importSession, type ServerFixture, startFixture } from "./support/server-fixture.js";

let fixture: ServerFixture;
let client: Anthropic;

beforeAll(async () => {
  fixture = await startFixture();
  client = await fixture.client("acme");
});
afterAll(async () => {
  await fixture.close();
});

/** A dream through the SDK over a fresh store and imported session of `workspace`. */
async function createDream(on: ServerFixture, sdk: Anthropic, workspace: string) {
  const store = await sdk.beta.memoryStores.create({ name: "profile" });
  await sdk.beta.memoryStores.memories.create(store.id, {
    path: "/profile.md",
    content: "# P\n\n- I live in Berlin\n",
  });
  const sessionId = await importSession(on, workspace, ["Big news, I moved to Lisbon last week!"]);
  const dream = await sdk.beta.dreams.create({
    inputs: [
      { type: "memory_store", memory_store_id: store.id },
      { type: "sessions", session_ids: [sessionId] },
    ],
    model: "offline",
  });
  return { dream, store, sessionId };
}

/** A streamed event's id (every event a dream's session streams has one). */
function idOf(event: BetaManagedAgentsStreamSessionEvents): string {
  return "id" in event ? event.id : "";
}

/** The text of an `agent.message` event. */
function textOf(event: { type: string; content?: unknown }): string {
  if (event.type !== "agent.message" || !Array.isArray(event.content)) return "";
  return event.content.map((block: { text?: string }) => block.text ?? "").join("");
}

/** Counts the engine's event readers open at once, by wrapping `dreams.events` (the route calls it per request). */
function countReaders(nocturne: Nocturne): { open: () => number } {
  const original = nocturne.dreams.events.bind(nocturne.dreams);
  let open = 0;
  nocturne.dreams.events = (id, options) =>
    (async function* (): AsyncGenerator<DreamEvent> {
      open += 1;
      try {
        yield* original(id, options);
      } finally {
        open -= 1;
      }
    })();
  return { open: () => open };
}

describe("nocturne serve: a dream's run session", () => {
  it("streams the pipeline through the SDK, history then live, to the end", async () => {
    const { dream } = await createDream(fixture, client, "acme");
    expect(dream.session_id).toMatch(/^sesn_/);
    const sessionId = dream.session_id ?? "";
    const stream = await client.beta.sessions.events.stream(sessionId);
    const events: BetaManagedAgentsStreamSessionEvents[] = [];
    for await (const event of stream) events.push(event);

    const types = events.map((event) => event.type);
    expect(types.slice(0, 2)).toEqual(["session.status_idle", "session.status_running"]);
    expect(types.at(-1)).toBe("session.status_terminated");
    const stages = events.map(textOf).filter((text) => text.startsWith("Stage: "));
    expect(stages).toEqual(expect.arrayContaining(["Stage: extract", "Stage: synthesize", "Stage: write"]));
    const writes = events.filter((event) => event.type === "agent.tool_use" && event.name === "write_memory");
    expect(writes.length).toBeGreaterThan(0);
    expect(writes[0]).toMatchObject({ input: { path: expect.stringMatching(/^\//) } });
    expect(new Set(events.map(idOf)).size).toBe(events.length);
    expect((await client.beta.dreams.retrieve(dream.id)).status).toBe("completed");

    // Streaming again after the end replays the whole history.
    const again: string[] = [];
    for await (const event of await client.beta.sessions.events.stream(sessionId)) again.push(idOf(event));
    expect(again).toEqual(events.map(idOf));

    // The session is retrievable, ended and archived with the dream.
    const session = await client.beta.sessions.retrieve(sessionId);
    expect(session).toMatchObject({ id: sessionId, type: "session", status: "terminated" });
    expect(session.archived_at).not.toBeNull();
    expect(session.metadata).toEqual({ nocturne_dream_id: dream.id });
  });

  it("lists the events in pages, in either order and by type", async () => {
    const { dream } = await createDream(fixture, client, "acme");
    const sessionId = dream.session_id ?? "";
    await fixture.nocturne.dreams.wait(dream.id);
    const all: string[] = [];
    for await (const event of client.beta.sessions.events.list(sessionId)) all.push(event.id);
    const paged: string[] = [];
    for await (const event of client.beta.sessions.events.list(sessionId, { limit: 3 })) paged.push(event.id);
    expect(paged).toEqual(all);
    expect(all.length).toBeGreaterThan(3);
    const first = await client.beta.sessions.events.list(sessionId, { limit: 3 });
    expect(first.data).toHaveLength(3);
    expect(first.next_page).not.toBeNull();
    const descending: string[] = [];
    for await (const event of client.beta.sessions.events.list(sessionId, { order: "desc", limit: 4 })) {
      descending.push(event.id);
    }
    expect(descending).toEqual([...all].reverse());
    const status = await client.beta.sessions.events.list(sessionId, {
      types: ["session.status_running", "session.status_terminated"],
    });
    expect(status.data.map((event) => event.type)).toEqual(["session.status_running", "session.status_terminated"]);
  });

  it("is the dream's workspace's alone, and is no dream input; imported sessions work as before", async () => {
    const { dream, store, sessionId: imported } = await createDream(fixture, client, "acme");
    const runSession = dream.session_id ?? "";
    await fixture.nocturne.dreams.wait(dream.id);
    const other = await fixture.client("globex");
    const notFound = { status: 404, error: { error: { type: "not_found_error" } } };
    await expect(other.beta.sessions.retrieve(runSession)).rejects.toMatchObject(notFound);
    await expect(other.beta.sessions.events.list(runSession)).rejects.toMatchObject(notFound);
    await expect(other.beta.sessions.events.stream(runSession)).rejects.toMatchObject(notFound);
    await expect(client.beta.sessions.events.list("sesn_nope")).rejects.toMatchObject(notFound);

    await expect(
      client.beta.dreams.create({
        inputs: [
          { type: "memory_store", memory_store_id: store.id },
          { type: "sessions", session_ids: [runSession] },
        ],
        model: "offline",
      }),
    ).rejects.toMatchObject(notFound);
    // The imported session is still the workspace's input, listed alone under /v1/sessions.
    const listed = (await (await fixture.fetchAs("acme", "/v1/sessions?limit=100")).json()) as {
      data: Array<{ id: string }>;
    };
    expect(listed.data.map((session) => session.id)).toContain(imported);
    expect(listed.data.map((session) => session.id)).not.toContain(runSession);
    const retrieved = await fixture.fetchAs("acme", `/v1/sessions/${imported}`);
    expect(((await retrieved.json()) as { event_count: number }).event_count).toBeGreaterThan(0);
  });

  it("a client leaving mid-stream frees its reader; the server then closes cleanly", async () => {
    // Every model call hangs: the dream runs until canceled.
    const model = createScriptedLanguageModel({ script: () => new Promise(() => undefined) });
    const hanging = await startFixture({ model });
    try {
      const readers = countReaders(hanging.nocturne);
      const sdk = await hanging.client("acme");
      const { dream } = await createDream(hanging, sdk, "acme");
      const stream = await sdk.beta.sessions.events.stream(dream.session_id ?? "");
      const seen: string[] = [];
      for await (const event of stream) {
        seen.push(event.type);
        if (seen.length === 2) break;
      }
      expect(seen).toEqual(["session.status_idle", "session.status_running"]);
      await vi.waitFor(() => expect(readers.open()).toBe(0), { timeout: 5000 });
      expect((await sdk.beta.dreams.retrieve(dream.id)).status).toBe("running");

      // A listing while it runs returns what happened so far, without waiting for the end.
      const page = await sdk.beta.sessions.events.list(dream.session_id ?? "", { limit: 100 });
      expect(page.data.map((event) => event.type)).toContain("session.status_running");
      expect(page.data.map((event) => event.type)).not.toContain("session.status_terminated");
      expect(readers.open()).toBe(0);

      // A client still following when the server closes sees the dream canceled and its session end.
      const follower = (async () => {
        const types: string[] = [];
        for await (const event of await sdk.beta.sessions.events.stream(dream.session_id ?? "")) types.push(event.type);
        return types;
      })();
      await vi.waitFor(() => expect(readers.open()).toBe(1), { timeout: 5000 });
      const ended = hanging.nocturne.dreams.wait(dream.id);
      const started = Date.now();
      await hanging.server.close();
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await ended).status).toBe("canceled");
      expect((await follower).at(-1)).toBe("session.status_terminated");
      expect(readers.open()).toBe(0);
    } finally {
      await hanging.close();
    }
  });
});
