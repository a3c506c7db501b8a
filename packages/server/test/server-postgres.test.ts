import { createPostgresAdapter } from "@nocturne/adapters-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropSchema, PG_URL, uniqueSchema } from "./support/pg-schema.js";
import { importSession, type ServerFixture, startFixture } from "./support/server-fixture.js";

const schema = uniqueSchema("server");
let fixture: ServerFixture;

beforeAll(async () => {
  fixture = await startFixture({ storage: () => createPostgresAdapter({ connectionString: PG_URL, schema }) });
});
afterAll(async () => {
  await fixture?.close();
  await dropSchema(schema);
});

describe("nocturne serve on PostgreSQL", () => {
  it("runs a dream to completed and keeps workspaces apart", async () => {
    const client = await fixture.client("acme");
    const store = await client.beta.memoryStores.create({ name: "pg" });
    await client.beta.memoryStores.memories.create(store.id, { path: "/a.md", content: "# A\n\n- I live in Berlin\n" });
    const sessionId = await importSession(fixture, "acme", ["Big news, I moved to Lisbon last week!"]);
    const dream = await client.beta.dreams.create({
      inputs: [
        { type: "memory_store", memory_store_id: store.id },
        { type: "sessions", session_ids: [sessionId] },
      ],
      model: "offline",
    });
    await fixture.nocturne.dreams.wait(dream.id);
    const done = await client.beta.dreams.retrieve(dream.id);
    expect(done.status).toBe("completed");
    const outputId = done.outputs[0]?.memory_store_id ?? "";
    const memories = await client.beta.memoryStores.memories.list(outputId, { view: "full" });
    expect(memories.data.map((item) => (item.type === "memory" ? item.content : "")).join("\n")).toContain("Lisbon");
    const versions = await client.beta.memoryStores.memoryVersions.list(store.id);
    expect(versions.data.map((version) => version.operation)).toEqual(["created"]);

    const other = await fixture.client("globex");
    await expect(other.beta.dreams.retrieve(dream.id)).rejects.toMatchObject({ status: 404 });
    await expect(other.beta.memoryStores.retrieve(outputId)).rejects.toMatchObject({ status: 404 });
  });
});
