import Anthropic from "@anthropic-ai/sdk";
import { createPostgresAdapter } from "@nocturne/adapters-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueApiKey, openPostgresTenancyStore } from "../src/index.js";
import { dropSchema, PG_URL, uniqueSchema } from "./support/pg-schema.js";
import { importSession, type ServerFixture, startFixture } from "./support/server-fixture.js";

const schema = uniqueSchema("shared");
const CAP = 5;
let one: ServerFixture;
let two: ServerFixture;

/** A server over the shared schema: its own engine, storage pool and tenancy pool, as a second process would have. */
function start(): Promise<ServerFixture> {
  return startFixture({
    storage: () => createPostgresAdapter({ connectionString: PG_URL, schema }),
    tenancy: () => openPostgresTenancyStore({ connectionString: PG_URL, schema }),
    limits: { maxMemoryStoresPerWorkspace: CAP, burst: 1000, requestsPerSecond: 1000 },
  });
}

beforeAll(async () => {
  // Both at once: the tenancy tables' creation must not race.
  [one, two] = await Promise.all([start(), start()]);
});
afterAll(async () => {
  await one?.close();
  await two?.close();
  await dropSchema(schema);
});

function clients(key: string): [Anthropic, Anthropic] {
  return [
    new Anthropic({ apiKey: key, baseURL: one.server.url, maxRetries: 0 }),
    new Anthropic({ apiKey: key, baseURL: two.server.url, maxRetries: 0 }),
  ];
}

describe("two nocturne serve instances over one PostgreSQL schema", () => {
  it("share keys, stores and dreams; revoking on one refuses on the other", async () => {
    const { key, record } = await issueApiKey(one.tenancy, "acme");
    const [a, b] = clients(key);
    const store = await a.beta.memoryStores.create({ name: "shared" });
    expect((await b.beta.memoryStores.retrieve(store.id)).name).toBe("shared");
    await b.beta.memoryStores.memories.create(store.id, { path: "/a.md", content: "# A\n\n- I live in Berlin\n" });
    const sessionId = await importSession(one, "acme", ["Big news, I moved to Lisbon last week!"]);

    const dream = await a.beta.dreams.create({
      inputs: [
        { type: "memory_store", memory_store_id: store.id },
        { type: "sessions", session_ids: [sessionId] },
      ],
      model: "offline",
    });
    const seen = await b.beta.dreams.retrieve(dream.id);
    expect(seen.id).toBe(dream.id);
    // Its session streams from the other server too: there, the dream's status changes (read from storage).
    const streamed = (async () => {
      const types: string[] = [];
      for await (const event of await b.beta.sessions.events.stream(dream.session_id ?? "")) types.push(event.type);
      return types;
    })();
    await one.nocturne.dreams.wait(dream.id);
    expect((await streamed).at(-1)).toBe("session.status_terminated");
    const done = await b.beta.dreams.retrieve(dream.id);
    expect(done.status).toBe("completed");
    const outputId = done.outputs[0]?.memory_store_id ?? "";
    const memories = await b.beta.memoryStores.memories.list(outputId, { view: "full" });
    expect(memories.data.map((item) => (item.type === "memory" ? item.content : "")).join("\n")).toContain("Lisbon");

    // Another workspace, through either server, sees none of it.
    const other = clients((await issueApiKey(two.tenancy, "globex")).key);
    for (const client of other) {
      await expect(client.beta.dreams.retrieve(dream.id)).rejects.toMatchObject({ status: 404 });
      await expect(client.beta.memoryStores.retrieve(store.id)).rejects.toMatchObject({ status: 404 });
    }

    expect(await two.tenancy.revokeKey(record.id)).toBe(true);
    await expect(a.beta.memoryStores.retrieve(store.id)).rejects.toMatchObject({ status: 401 });
  });

  it("holds the memory store cap across both under concurrent creates", async () => {
    const [a, b] = clients((await issueApiKey(one.tenancy, "capped")).key);
    const results = await Promise.allSettled(
      Array.from({ length: 16 }, (_, index) =>
        (index % 2 === 0 ? a : b).beta.memoryStores.create({ name: `s${index}` }),
      ),
    );
    const created = results.filter((result) => result.status === "fulfilled");
    expect(created).toHaveLength(CAP);
    for (const result of results) {
      if (result.status === "rejected") {
        expect(result.reason).toMatchObject({ status: 400 });
        expect(String((result.reason as Error).message)).toContain("memory_store_org_limit_exceeded");
      }
    }
    const listed: string[] = [];
    for await (const store of b.beta.memoryStores.list()) listed.push(store.id);
    expect(listed).toHaveLength(CAP);
    expect(await one.tenancy.count("memory_store", "capped")).toBe(CAP);
  });
});
