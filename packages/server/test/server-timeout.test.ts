import { createScriptedLanguageModel } from "@nocturne/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importSession, type ServerFixture, startFixture } from "./support/server-fixture.js";

let fixture: ServerFixture;

beforeAll(async () => {
  // Every model call hangs: only the dream's runtime budget ends it.
  const model = createScriptedLanguageModel({ script: () => new Promise(() => undefined) });
  fixture = await startFixture({ model, limits: { dreamTimeoutMs: 1000 } });
});
afterAll(async () => {
  await fixture.close();
});

describe("nocturne serve: a dream past its runtime budget", () => {
  it("ends failed with error.type timeout, as the SDK reads it", async () => {
    const client = await fixture.client("acme");
    const store = await client.beta.memoryStores.create({ name: "t" });
    await client.beta.memoryStores.memories.create(store.id, { path: "/a.md", content: "# A\n\n- I live in Berlin\n" });
    const sessionId = await importSession(fixture, "acme", ["I moved to Lisbon last week."]);
    const dream = await client.beta.dreams.create({
      inputs: [
        { type: "memory_store", memory_store_id: store.id },
        { type: "sessions", session_ids: [sessionId] },
      ],
      model: { id: "scripted", speed: "standard" },
    });
    await fixture.nocturne.dreams.wait(dream.id);
    const failed = await client.beta.dreams.retrieve(dream.id);
    expect(failed.status).toBe("failed");
    expect(failed.error?.type).toBe("timeout");
    expect(failed.error?.message).toContain("timeout");
    expect(failed.ended_at).not.toBeNull();
  });

  it("closing the server cancels a running dream cleanly", async () => {
    const model = createScriptedLanguageModel({ script: () => new Promise(() => undefined) });
    const other = await startFixture({ model });
    const client = await other.client("acme");
    const store = await client.beta.memoryStores.create({ name: "t" });
    const sessionId = await importSession(other, "acme", ["I moved to Lisbon last week."]);
    const dream = await client.beta.dreams.create({
      inputs: [
        { type: "memory_store", memory_store_id: store.id },
        { type: "sessions", session_ids: [sessionId] },
      ],
      model: "scripted",
    });
    const ended = other.nocturne.dreams.wait(dream.id);
    await other.server.close();
    expect((await ended).status).toBe("canceled");
    await other.close();
  });
});
