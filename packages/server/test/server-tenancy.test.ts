import type Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importSession, type ServerFixture, startFixture } from "./support/server-fixture.js";

let fixture: ServerFixture;
let acme: Anthropic;
let other: Anthropic;
let storeId: string;
let memoryId: string;
let versionId: string;
let sessionId: string;
let dreamId: string;

const notFound = { status: 404, error: { type: "error", error: { type: "not_found_error" } } };
const forbidden = { status: 403, error: { type: "error", error: { type: "permission_error" } } };

beforeAll(async () => {
  fixture = await startFixture();
  acme = await fixture.client("acme");
  other = await fixture.client("globex");
  const store = await acme.beta.memoryStores.create({ name: "acme private" });
  storeId = store.id;
  const memory = await acme.beta.memoryStores.memories.create(storeId, { path: "/secret.md", content: "acme only" });
  memoryId = memory.id;
  versionId = memory.memory_version_id;
  sessionId = await importSession(fixture, "acme", ["I moved to Lisbon."]);
  const dream = await acme.beta.dreams.create({
    inputs: [
      { type: "memory_store", memory_store_id: storeId },
      { type: "sessions", session_ids: [sessionId] },
    ],
    model: "offline",
  });
  dreamId = dream.id;
  await fixture.nocturne.dreams.wait(dreamId);
});
afterAll(async () => {
  await fixture.close();
});

describe("nocturne serve: tenancy", () => {
  it("another workspace's ids answer 404 on every read, and its lists are empty", async () => {
    await expect(other.beta.memoryStores.retrieve(storeId)).rejects.toMatchObject(notFound);
    await expect(other.beta.memoryStores.memories.list(storeId)).rejects.toMatchObject(notFound);
    await expect(
      other.beta.memoryStores.memories.retrieve(memoryId, { memory_store_id: storeId }),
    ).rejects.toMatchObject(notFound);
    await expect(other.beta.memoryStores.memoryVersions.list(storeId)).rejects.toMatchObject(notFound);
    await expect(
      other.beta.memoryStores.memoryVersions.retrieve(versionId, { memory_store_id: storeId }),
    ).rejects.toMatchObject(notFound);
    await expect(other.beta.dreams.retrieve(dreamId)).rejects.toMatchObject(notFound);
    const outputId = (await acme.beta.dreams.retrieve(dreamId)).outputs[0]?.memory_store_id ?? "";
    await expect(other.beta.memoryStores.retrieve(outputId)).rejects.toMatchObject(notFound);
    expect((await other.beta.dreams.list()).data).toEqual([]);
    expect((await other.beta.memoryStores.list()).data).toEqual([]);
    const sessions = await fixture.fetchAs("globex", `/v1/sessions/${sessionId}`);
    expect(sessions.status).toBe(404);
  });

  it("another workspace's writes answer 404 and change nothing", async () => {
    await expect(other.beta.memoryStores.update(storeId, { name: "pwned" })).rejects.toMatchObject(notFound);
    await expect(other.beta.memoryStores.archive(storeId)).rejects.toMatchObject(notFound);
    await expect(other.beta.memoryStores.delete(storeId)).rejects.toMatchObject(notFound);
    await expect(
      other.beta.memoryStores.memories.create(storeId, { path: "/x.md", content: "x" }),
    ).rejects.toMatchObject(notFound);
    await expect(
      other.beta.memoryStores.memories.update(memoryId, { memory_store_id: storeId, content: "pwned" }),
    ).rejects.toMatchObject(notFound);
    await expect(other.beta.memoryStores.memories.delete(memoryId, { memory_store_id: storeId })).rejects.toMatchObject(
      notFound,
    );
    await expect(
      other.beta.memoryStores.memoryVersions.redact(versionId, { memory_store_id: storeId }),
    ).rejects.toMatchObject(notFound);
    await expect(other.beta.dreams.cancel(dreamId)).rejects.toMatchObject(notFound);
    await expect(other.beta.dreams.archive(dreamId)).rejects.toMatchObject(notFound);
    // A dream over another workspace's store or sessions.
    const mine = await other.beta.memoryStores.create({ name: "globex" });
    await expect(
      other.beta.dreams.create({
        inputs: [
          { type: "memory_store", memory_store_id: storeId },
          { type: "sessions", session_ids: [sessionId] },
        ],
        model: "offline",
      }),
    ).rejects.toMatchObject(notFound);
    await expect(
      other.beta.dreams.create({
        inputs: [
          { type: "memory_store", memory_store_id: mine.id },
          { type: "sessions", session_ids: [sessionId] },
        ],
        model: "offline",
      }),
    ).rejects.toMatchObject(notFound);
    const deleted = await fixture.fetchAs("globex", `/v1/sessions/${sessionId}`, { method: "DELETE" });
    expect(deleted.status).toBe(404);

    const store = await acme.beta.memoryStores.retrieve(storeId);
    expect(store).toMatchObject({ name: "acme private", archived_at: null });
    const memory = await acme.beta.memoryStores.memories.retrieve(memoryId, { memory_store_id: storeId });
    expect(memory.content).toBe("acme only");
    const version = await acme.beta.memoryStores.memoryVersions.retrieve(versionId, { memory_store_id: storeId });
    expect(version.redacted_at).toBeNull();
    expect((await acme.beta.dreams.retrieve(dreamId)).archived_at).toBeNull();
    expect((await fixture.fetchAs("acme", `/v1/sessions/${sessionId}`)).status).toBe(200);
  });

  it("guessed ids answer 404 like missing ones", async () => {
    await expect(acme.beta.memoryStores.retrieve("memstore_guess")).rejects.toMatchObject(notFound);
    await expect(acme.beta.dreams.retrieve("drm_guess")).rejects.toMatchObject(notFound);
    await expect(
      acme.beta.memoryStores.memories.retrieve("mem_guess", { memory_store_id: storeId }),
    ).rejects.toMatchObject(notFound);
  });

  it("a read-only key reads its workspace but every write is a 403 that changes nothing", async () => {
    const reader = await fixture.client("acme", { readOnly: true });
    expect((await reader.beta.memoryStores.retrieve(storeId)).id).toBe(storeId);
    expect((await reader.beta.dreams.retrieve(dreamId)).id).toBe(dreamId);
    await expect(reader.beta.memoryStores.create({ name: "nope" })).rejects.toMatchObject(forbidden);
    await expect(reader.beta.memoryStores.update(storeId, { name: "nope" })).rejects.toMatchObject(forbidden);
    await expect(
      reader.beta.memoryStores.memories.create(storeId, { path: "/y.md", content: "y" }),
    ).rejects.toMatchObject(forbidden);
    await expect(
      reader.beta.memoryStores.memoryVersions.redact(versionId, { memory_store_id: storeId }),
    ).rejects.toMatchObject(forbidden);
    await expect(reader.beta.dreams.archive(dreamId)).rejects.toMatchObject(forbidden);
    await expect(
      reader.beta.dreams.create({
        inputs: [
          { type: "memory_store", memory_store_id: storeId },
          { type: "sessions", session_ids: [sessionId] },
        ],
        model: "offline",
      }),
    ).rejects.toMatchObject(forbidden);
    expect((await acme.beta.memoryStores.retrieve(storeId)).name).toBe("acme private");
    const memories = await acme.beta.memoryStores.memories.list(storeId);
    expect(memories.data).toHaveLength(1);
  });

  it("a missing or unknown key is a 401; a workspace header naming another workspace is a 403", async () => {
    const none = await fetch(`${fixture.server.url}/v1/dreams`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    const wrong = await fetch(`${fixture.server.url}/v1/dreams`, { headers: { "x-api-key": "sk-noct-wrong" } });
    expect(wrong.status).toBe(401);
    const header = await fixture.fetchAs("acme", "/v1/dreams", { headers: { "anthropic-workspace-id": "globex" } });
    expect(header.status).toBe(403);
  });
});
