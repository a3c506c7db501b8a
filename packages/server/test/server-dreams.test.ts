import Anthropic from "@anthropic-ai/sdk";
import type { BetaDream } from "@anthropic-ai/sdk/resources/beta/dreams";
import type {
  BetaManagedAgentsMemory,
  BetaManagedAgentsMemoryStore,
  BetaManagedAgentsMemoryVersion,
} from "@anthropic-ai/sdk/resources/beta/memory-stores";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

/** A store with two memories and two imported sessions, through the SDK and the import endpoint. */
async function inputs(): Promise<{ store: BetaManagedAgentsMemoryStore; sessionIds: string[] }> {
  const store = await client.beta.memoryStores.create({ name: "profile", description: "who I am" });
  await client.beta.memoryStores.memories.create(store.id, {
    path: "/profile.md",
    content: "# Profile\n\n- I live in Berlin\n",
  });
  await client.beta.memoryStores.memories.create(store.id, { path: "/prefs.md", content: "# Prefs\n\n- I use tabs\n" });
  const sessionIds = [
    await importSession(fixture, "acme", ["Big news, I moved to Lisbon last week!"]),
    await importSession(fixture, "acme", ["I switched to spaces for indentation now."]),
  ];
  return { store, sessionIds };
}

function dreamInputs(storeId: string, sessionIds: string[]) {
  return [
    { type: "memory_store" as const, memory_store_id: storeId },
    { type: "sessions" as const, session_ids: sessionIds },
  ];
}

describe("nocturne serve: dreams through the official SDK", () => {
  it("creates a dream with the offline model and follows it to completed, its output a new store", async () => {
    const { store, sessionIds } = await inputs();
    const created: BetaDream = await client.beta.dreams.create({
      inputs: dreamInputs(store.id, sessionIds),
      model: "offline",
    });
    expect(created).toMatchObject({ type: "dream", status: "pending", outputs: [] });
    expect(created.session_id).toMatch(/^sesn_/);
    expect(created.model).toEqual({ id: "offline", speed: "standard" });
    expect(created.output_behavior).toEqual({ type: "create_new" });

    await fixture.nocturne.dreams.wait(created.id);
    const done = await client.beta.dreams.retrieve(created.id);
    expect(done.status).toBe("completed");
    expect(done.ended_at).not.toBeNull();
    const outputId = done.outputs[0]?.memory_store_id ?? "";
    expect(outputId).not.toBe(store.id);

    const output = await client.beta.memoryStores.retrieve(outputId);
    expect(output.type).toBe("memory_store");
    const memories: BetaManagedAgentsMemory[] = [];
    for await (const item of client.beta.memoryStores.memories.list(outputId, { view: "full" })) {
      if (item.type === "memory") memories.push(item);
    }
    expect(memories.length).toBeGreaterThan(0);
    expect(memories.map((memory) => memory.content).join("\n")).toContain("Lisbon");
    // The input store is as it was.
    const input = await client.beta.memoryStores.memories.list(store.id, { view: "full" });
    expect(input.data.map((item) => (item.type === "memory" ? item.content : null))).toEqual([
      "# Prefs\n\n- I use tabs\n",
      "# Profile\n\n- I live in Berlin\n",
    ]);
  });

  it("pages through dreams newest first and memory stores with limit and next_page", async () => {
    const { store, sessionIds } = await inputs();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const dream = await client.beta.dreams.create({ inputs: dreamInputs(store.id, sessionIds), model: "offline" });
      ids.push(dream.id);
    }
    for (const id of ids) await fixture.nocturne.dreams.wait(id);
    const first = await client.beta.dreams.list({ limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.next_page).not.toBeNull();
    const seen: string[] = [];
    for await (const dream of client.beta.dreams.list({ limit: 2 })) seen.push(dream.id);
    expect(seen.slice(0, 3)).toEqual([...ids].reverse());
    expect(new Set(seen).size).toBe(seen.length);
    const completed = await client.beta.dreams.list({ statuses: ["completed", "failed"], limit: 100 });
    expect(completed.data.map((dream) => dream.id)).toEqual(expect.arrayContaining(ids));
    expect((await client.beta.dreams.list({ statuses: ["running"] })).data).toEqual([]);

    const stores: string[] = [];
    for await (const item of client.beta.memoryStores.list({ limit: 1 })) stores.push(item.id);
    expect(stores).toContain(store.id);
    expect(new Set(stores).size).toBe(stores.length);
  });

  it("cancels a running dream and archives ended ones; archived dreams leave the default list", async () => {
    const { store, sessionIds } = await inputs();
    const dream = await client.beta.dreams.create({ inputs: dreamInputs(store.id, sessionIds), model: "offline" });
    const canceled = await client.beta.dreams.cancel(dream.id);
    expect(["canceled", "completed"]).toContain(canceled.status);
    const ended = await fixture.nocturne.dreams.wait(dream.id);
    expect(ended.status).toBe(canceled.status);

    const archived = await client.beta.dreams.archive(dream.id);
    expect(archived.archived_at).not.toBeNull();
    const listed: string[] = [];
    for await (const item of client.beta.dreams.list()) listed.push(item.id);
    expect(listed).not.toContain(dream.id);
    const all: string[] = [];
    for await (const item of client.beta.dreams.list({ include_archived: true })) all.push(item.id);
    expect(all).toContain(dream.id);
    expect((await client.beta.dreams.retrieve(dream.id)).archived_at).toBe(archived.archived_at);
  });

  it("archiving a pending dream is a 400; canceling a completed one is a 400", async () => {
    const { store, sessionIds } = await inputs();
    const dream = await client.beta.dreams.create({ inputs: dreamInputs(store.id, sessionIds), model: "offline" });
    const early = await client.beta.dreams.archive(dream.id).catch((error: unknown) => error);
    const final = await fixture.nocturne.dreams.wait(dream.id);
    if (final.status === "completed") {
      // The archive may have landed after the dream ended on a fast machine; otherwise it was refused.
      if (early instanceof Error) expect(early).toMatchObject({ status: 400, error: { type: "error" } });
      await expect(client.beta.dreams.cancel(dream.id)).rejects.toMatchObject({
        status: 400,
        error: { type: "error", error: { type: "invalid_request_error" } },
      });
    }
  });

  it("update_existing writes into the input store; a second one while the first runs is a 409", async () => {
    const { store, sessionIds } = await inputs();
    const behavior = { type: "update_existing" as const, memory_store_id: store.id };
    const first = await client.beta.dreams.create({
      inputs: dreamInputs(store.id, sessionIds),
      model: "offline",
      output_behavior: behavior,
    });
    const conflict = await client.beta.dreams
      .create({ inputs: dreamInputs(store.id, sessionIds), model: "offline", output_behavior: behavior })
      .catch((error: unknown) => error);
    expect(conflict).toBeInstanceOf(Anthropic.ConflictError);
    expect(conflict).toMatchObject({ status: 409, error: { type: "error", error: { type: "conflict_error" } } });
    if (conflict instanceof Anthropic.APIError) expect(conflict.headers?.get("x-should-retry")).toBe("false");

    const done = await fixture.nocturne.dreams.wait(first.id);
    expect(done.status).toBe("completed");
    expect((await client.beta.dreams.retrieve(first.id)).outputs).toEqual([
      { type: "memory_store", memory_store_id: store.id },
    ]);
    const after = await client.beta.memoryStores.memories.list(store.id, { view: "full" });
    expect(after.data.map((item) => (item.type === "memory" ? item.content : "")).join("\n")).toContain("Lisbon");
  });

  it("lists, retrieves and redacts memory versions; a memory names its newest version", async () => {
    const store = await client.beta.memoryStores.create({ name: "versions" });
    const memory = await client.beta.memoryStores.memories.create(store.id, { path: "/a.md", content: "one" });
    expect(memory.content).toBeNull();
    const updated = await client.beta.memoryStores.memories.update(memory.id, {
      memory_store_id: store.id,
      content: "two",
      precondition: { type: "content_sha256", content_sha256: memory.content_sha256 },
      view: "full",
    });
    expect(updated.content).toBe("two");
    expect(updated.memory_version_id).not.toBe(memory.memory_version_id);
    await expect(
      client.beta.memoryStores.memories.update(memory.id, {
        memory_store_id: store.id,
        content: "three",
        precondition: { type: "content_sha256", content_sha256: memory.content_sha256 },
      }),
    ).rejects.toMatchObject({ status: 409 });

    const versions: BetaManagedAgentsMemoryVersion[] = [];
    for await (const version of client.beta.memoryStores.memoryVersions.list(store.id, { limit: 1 })) {
      versions.push(version);
    }
    expect(versions.map((version) => version.operation)).toEqual(["modified", "created"]);
    expect(versions[0]?.id).toBe(updated.memory_version_id);
    expect(versions[0]?.created_by).toMatchObject({ type: "api_actor" });

    const oldId = versions[1]?.id ?? "";
    const old = await client.beta.memoryStores.memoryVersions.retrieve(oldId, { memory_store_id: store.id });
    expect(old.content).toBe("one");
    const redacted = await client.beta.memoryStores.memoryVersions.redact(oldId, { memory_store_id: store.id });
    expect(redacted.redacted_at).not.toBeNull();
    expect(redacted.content).toBeNull();
    expect(
      (await client.beta.memoryStores.memoryVersions.retrieve(oldId, { memory_store_id: store.id })).content,
    ).toBeNull();
    const live = await client.beta.memoryStores.memories.retrieve(memory.id, { memory_store_id: store.id });
    expect(live.content).toBe("two");
    await expect(
      client.beta.memoryStores.memoryVersions.retrieve("memver_nope", { memory_store_id: store.id }),
    ).rejects.toMatchObject({ status: 404, error: { error: { type: "not_found_error" } } });
  });

  it("updates, archives and deletes memory stores", async () => {
    const store = await client.beta.memoryStores.create({ name: "s", metadata: { a: "1", b: "2" } });
    const updated = await client.beta.memoryStores.update(store.id, { name: "t", metadata: { a: null, c: "3" } });
    expect(updated).toMatchObject({ name: "t", metadata: { b: "2", c: "3" } });
    const archived = await client.beta.memoryStores.archive(store.id);
    expect(archived.archived_at).not.toBeNull();
    const deleted = await client.beta.memoryStores.delete(store.id);
    expect(deleted).toEqual({ id: store.id, type: "memory_store_deleted" });
    await expect(client.beta.memoryStores.retrieve(store.id)).rejects.toMatchObject({ status: 404 });
  });
});
