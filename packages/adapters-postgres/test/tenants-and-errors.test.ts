import { afterAll, describe, expect, it } from "vitest";
import { createPostgresAdapter } from "../src/index.js";
import { adapterPool, dropSchema, uniqueSchema } from "./pg-fixture.js";

const schema = uniqueSchema("tenants");
const adapters = adapterPool(schema);

afterAll(async () => {
  await adapters.closeAll();
  await dropSchema(schema);
});

describe("many tenants in one database", () => {
  it("shows each tenant only its own stores, memories, memory versions, sessions and dreams", async () => {
    const acme = await adapters.open("acme");
    const globex = await adapters.open("globex");
    const store = await acme.createMemoryStore({ name: "acme memory" });
    const memory = await acme.createMemory(store.id, { path: "/secret.md", content: "acme only" });
    await acme.putSession({
      id: "sesn_shared_id",
      title: "acme",
      created_at: "2026-03-01T00:00:00Z",
      metadata: {},
      events: [],
    });
    await globex.putSession({
      id: "sesn_shared_id",
      title: "globex",
      created_at: "2026-03-01T00:00:00Z",
      metadata: {},
      events: [],
    });

    expect((await globex.listMemoryStores({ include_archived: true })).data).toEqual([]);
    expect(await globex.getMemoryStore(store.id)).toBeNull();
    expect(await globex.getMemory(store.id, memory.id)).toBeNull();
    expect(await globex.getMemoryByPath(store.id, "/secret.md")).toBeNull();
    for (const call of [
      () => globex.listMemories(store.id),
      () => globex.createMemory(store.id, { path: "/intrude.md", content: "x" }),
      () => globex.writeMemories(store.id, [{ op: "delete", path: "/secret.md" }]),
      () => globex.updateMemory(store.id, memory.id, { content: "changed" }),
      () => globex.deleteMemory(store.id, memory.id),
      () => globex.archiveMemoryStore(store.id),
      () => globex.deleteMemoryStore(store.id),
      () => globex.setMemoryStoreLock(store.id, "drm_x"),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "memory_store_not_found" });
    }
    expect((await acme.getSession("sesn_shared_id"))?.title).toBe("acme");
    expect((await globex.getSession("sesn_shared_id"))?.title).toBe("globex");
    expect(await acme.getMemory(store.id, memory.id)).toEqual(memory);
    const [version] = (await acme.memoryVersions.list(store.id)).data;
    expect(version).toMatchObject({ memory_id: memory.id, operation: "created", content: "acme only" });
    expect(await globex.memoryVersions.get(store.id, version?.id ?? "")).toBeNull();
    await expect(globex.memoryVersions.list(store.id)).rejects.toMatchObject({ code: "memory_store_not_found" });
    await expect(globex.memoryVersions.redact(store.id, version?.id ?? "")).rejects.toMatchObject({
      code: "memory_version_not_found",
    });
    expect(await acme.memoryVersions.get(store.id, version?.id ?? "")).toEqual(version);
    expect(acme.forTenant("globex").tenant).toBe("globex");
    expect((await acme.forTenant("globex").getSession("sesn_shared_id"))?.title).toBe("globex");
  });
});

describe("errors", () => {
  it("turns an unreachable server into a retryable storage_error that says what to check", async () => {
    const error = await createPostgresAdapter({ connectionString: "postgres://postgres@127.0.0.1:1/test" }).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ code: "storage_error", retryable: true });
    expect((error as Error).message).toContain("Check that PostgreSQL is running");
  });

  it("names a missing database", async () => {
    await expect(
      createPostgresAdapter({ connectionString: "postgres://postgres@127.0.0.1:5432/no_such_db_nocturne" }),
    ).rejects.toMatchObject({ code: "storage_error", message: expect.stringContaining("Create the database") });
  });

  it("refuses content PostgreSQL text cannot hold with invalid_input, writing nothing", async () => {
    const adapter = await adapters.open();
    const store = await adapter.createMemoryStore({ name: "nul" });
    await expect(adapter.createMemory(store.id, { path: "/nul.md", content: "a\u0000b" })).rejects.toMatchObject({
      code: "invalid_input",
    });
    expect((await adapter.listMemories(store.id)).data).toEqual([]);
  });

  it("fails calls after close with storage_error", async () => {
    const adapter = await adapters.open();
    await adapter.close();
    await expect(adapter.listMemoryStores()).rejects.toMatchObject({ code: "storage_error" });
  });
});
