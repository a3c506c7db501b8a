import { createDriverStorage, createMemoryDriver, type DriverWrite, type StorageDriver } from "@nocturne/core";
import { describe, expect, it } from "vitest";

/** A driver whose next commit first lets `interfere` write through another storage over the same driver. */
function interfering(): { driver: StorageDriver; before: (interfere: () => Promise<unknown>) => void } {
  const inner = createMemoryDriver();
  let pending: (() => Promise<unknown>) | null = null;
  const driver: StorageDriver = {
    ...inner,
    async commit(writes: DriverWrite[]) {
      const interfere = pending;
      pending = null;
      if (interfere) await interfere();
      return inner.commit(writes);
    },
  };
  return { driver, before: (interfere) => (pending = interfere) };
}

describe("driver storage retries a write another writer got ahead of", () => {
  it("applies a precondition against what the other writer left", async () => {
    const { driver, before } = interfering();
    const storage = createDriverStorage(driver);
    const other = createDriverStorage(driver);
    const store = await storage.createMemoryStore({ name: "s" });
    const memory = await storage.createMemory(store.id, { path: "/a.md", content: "v0" });
    before(() => other.updateMemory(store.id, memory.id, { content: "theirs" }));
    const write = storage.updateMemory(store.id, memory.id, {
      content: "mine",
      precondition: { content_sha256: memory.content_sha256 },
    });
    await expect(write).rejects.toMatchObject({ code: "precondition_failed" });
    expect((await storage.getMemory(store.id, memory.id))?.content).toBe("theirs");
  });

  it("reports a store deleted meanwhile as not found, not as busy", async () => {
    const { driver, before } = interfering();
    const storage = createDriverStorage(driver);
    const other = createDriverStorage(driver);
    const store = await storage.createMemoryStore({ name: "s" });
    before(() => other.deleteMemoryStore(store.id));
    await expect(storage.createMemory(store.id, { path: "/a.md", content: "x" })).rejects.toMatchObject({
      code: "memory_store_not_found",
    });
  });

  it("sees a lock taken meanwhile", async () => {
    const { driver, before } = interfering();
    const storage = createDriverStorage(driver);
    const other = createDriverStorage(driver);
    const store = await storage.createMemoryStore({ name: "s" });
    before(() => other.setMemoryStoreLock(store.id, "drm_other"));
    await expect(storage.archiveMemoryStore(store.id)).rejects.toMatchObject({ code: "memory_store_locked" });
    expect((await storage.getMemoryStore(store.id))?.archived_at).toBeNull();
  });
});

describe("driver storage keys", () => {
  it("never reads one store's memory through a made-up store id that shares its key prefix", async () => {
    const storage = createDriverStorage(createMemoryDriver());
    const store = await storage.createMemoryStore({ name: "s" });
    const memory = await storage.createMemory(store.id, { path: "/notes:/a.md", content: "x" });
    expect(await storage.getMemoryByPath(`${store.id}:/notes`, "/a.md")).toBeNull();
    expect(await storage.getMemoryByPath(store.id, "/notes:/a.md")).toEqual(memory);
  });
});
