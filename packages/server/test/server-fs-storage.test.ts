import { join } from "node:path";
import { createFsAdapter } from "@nocturne/adapters-fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importSession, type ServerFixture, startFixture } from "./support/server-fixture.js";

let fixture: ServerFixture;

beforeAll(async () => {
  fixture = await startFixture({ storage: (dir) => createFsAdapter({ root: join(dir, "state") }) });
});
afterAll(async () => {
  await fixture.close();
});

describe("nocturne serve on fs storage", () => {
  it("runs a dream and lists memory versions by path prefix", async () => {
    const client = await fixture.client("acme");
    const store = await client.beta.memoryStores.create({ name: "fs" });
    await client.beta.memoryStores.memories.create(store.id, {
      path: "/a/profile.md",
      content: "- I live in Berlin\n",
    });
    await client.beta.memoryStores.memories.create(store.id, { path: "/b/other.md", content: "- I like tea\n" });
    const under = await client.beta.memoryStores.memories.list(store.id, { path_prefix: "/a/" });
    expect(under.data.map((item) => item.path)).toEqual(["/a/profile.md"]);
    const versions = await client.beta.memoryStores.memoryVersions.list(store.id);
    expect(versions.data).toHaveLength(2);
    const sessionId = await importSession(fixture, "acme", ["Big news, I moved to Lisbon last week!"]);
    const dream = await client.beta.dreams.create({
      inputs: [
        { type: "memory_store", memory_store_id: store.id },
        { type: "sessions", session_ids: [sessionId] },
      ],
      model: "offline",
    });
    expect((await fixture.nocturne.dreams.wait(dream.id)).status).toBe("completed");
  });
});
