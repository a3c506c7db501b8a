import { NocturneError } from "@nocturne/core";
import { afterAll, describe, expect, it } from "vitest";
import { adapterPool, dropSchema, uniqueSchema, uniqueTenant } from "./pg-fixture.js";

const schema = uniqueSchema("concurrent");
const adapters = adapterPool(schema);

afterAll(async () => {
  await adapters.closeAll();
  await dropSchema(schema);
});

/** Settles every promise and counts successes and failures by error code. */
async function tally(calls: Array<Promise<unknown>>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const result of await Promise.allSettled(calls)) {
    const key =
      result.status === "fulfilled"
        ? "ok"
        : NocturneError.isInstance(result.reason)
          ? result.reason.code
          : String(result.reason);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe("sha256 preconditions under concurrent writers (separate pools, as separate processes would be)", () => {
  it("lets exactly one of eight racing conditional updates win", async () => {
    const tenant = uniqueTenant();
    const writers = await Promise.all(Array.from({ length: 4 }, () => adapters.open(tenant, 2)));
    const [first] = writers;
    if (!first) throw new Error("no adapter");
    const store = await first.createMemoryStore({ name: "race" });
    const memory = await first.createMemory(store.id, { path: "/counter.md", content: "0" });
    const calls = Array.from({ length: 8 }, (_, n) =>
      writers[n % writers.length]?.updateMemory(store.id, memory.id, {
        content: `writer ${n}`,
        precondition: { content_sha256: memory.content_sha256 },
      }),
    );
    expect(await tally(calls as Array<Promise<unknown>>)).toEqual({ ok: 1, precondition_failed: 7 });
    expect((await first.getMemory(store.id, memory.id))?.content).toMatch(/^writer \d$/);
  });

  // 24 writers retry at once until each wins a round: a few hundred round trips, slow on a loaded machine.
  it("never loses an increment when writers retry read-modify-write with preconditions", {
    timeout: 120_000,
  }, async () => {
    const tenant = uniqueTenant();
    const writers = await Promise.all(Array.from({ length: 3 }, () => adapters.open(tenant, 2)));
    const [first] = writers;
    if (!first) throw new Error("no adapter");
    const store = await first.createMemoryStore({ name: "increments" });
    await first.writeMemories(store.id, [{ op: "upsert", path: "/n.md", content: "0" }]);
    let conflicts = 0;
    const increment = async (writerIndex: number) => {
      const writer = writers[writerIndex];
      if (!writer) throw new Error("no adapter");
      for (;;) {
        const current = await writer.getMemoryByPath(store.id, "/n.md");
        if (!current) throw new Error("vanished");
        try {
          await writer.writeMemories(store.id, [
            {
              op: "upsert",
              path: "/n.md",
              content: String(Number(current.content) + 1),
              precondition: { content_sha256: current.content_sha256 },
            },
          ]);
          return;
        } catch (error) {
          if (!NocturneError.isInstance(error, "precondition_failed")) throw error;
          conflicts++;
        }
      }
    };
    await Promise.all(Array.from({ length: 24 }, (_, n) => increment(n % writers.length)));
    expect((await first.getMemoryByPath(store.id, "/n.md"))?.content).toBe("24");
    expect(conflicts).toBeGreaterThan(0);
  });

  it("lets only one of several racing creators take a path, and never both a memory and its folder", async () => {
    const tenant = uniqueTenant();
    const writers = await Promise.all(Array.from({ length: 4 }, () => adapters.open(tenant, 2)));
    const [first] = writers;
    if (!first) throw new Error("no adapter");
    const store = await first.createMemoryStore({ name: "paths" });
    const same = await tally(
      writers.map((writer, n) => writer.createMemory(store.id, { path: "/taken.md", content: String(n) })),
    );
    expect(same).toEqual({ ok: 1, memory_path_conflict: 3 });

    for (let round = 0; round < 8; round++) {
      const folder = `/tree${round}`;
      const outcome = await tally([
        writers[0]?.createMemory(store.id, { path: folder, content: "file" }) as Promise<unknown>,
        writers[1]?.writeMemories(store.id, [
          { op: "upsert", path: `${folder}/child.md`, content: "child" },
        ]) as Promise<unknown>,
        writers[2]?.createMemory(store.id, { path: `${folder}/deeper/leaf.md`, content: "leaf" }) as Promise<unknown>,
      ]);
      const paths = (await first.listMemories(store.id, { path_prefix: folder })).data.map((memory) => memory.path);
      if (paths.includes(folder)) expect(paths).toEqual([folder]);
      else expect(paths.every((path) => path.startsWith(`${folder}/`))).toBe(true);
      expect((outcome.ok ?? 0) + (outcome.memory_path_conflict ?? 0)).toBe(3);
    }
  });

  it("applies a batch all-or-nothing and makes archive wait for in-flight writes", async () => {
    const tenant = uniqueTenant();
    const [a, b] = await Promise.all([adapters.open(tenant, 2), adapters.open(tenant, 2)]);
    if (!a || !b) throw new Error("no adapter");
    const store = await a.createMemoryStore({ name: "atomic" });
    const kept = await a.createMemory(store.id, { path: "/kept.md", content: "v1" });
    const failed = a.writeMemories(store.id, [
      { op: "upsert", path: "/new-1.md", content: "n1" },
      { op: "delete", path: "/kept.md" },
      { op: "upsert", path: "/new-2.md", content: "n2", precondition: { content_sha256: kept.content_sha256 } },
    ]);
    await expect(failed).rejects.toMatchObject({ code: "precondition_failed" });
    expect((await b.listMemories(store.id)).data.map((memory) => [memory.path, memory.content])).toEqual([
      ["/kept.md", "v1"],
    ]);

    const writes = Array.from({ length: 10 }, (_, n) =>
      a.writeMemories(store.id, [{ op: "upsert", path: `/burst/${n}.md`, content: String(n) }]),
    );
    const archived = b.archiveMemoryStore(store.id);
    const outcome = await tally([...writes, archived]);
    expect(outcome.ok).toBeGreaterThanOrEqual(1);
    expect((outcome.ok ?? 0) + (outcome.memory_store_archived ?? 0)).toBe(11);
    const after = (await b.listMemories(store.id, { path_prefix: "/burst/" })).data.length;
    expect(after).toBe((outcome.ok ?? 0) - 1);
    await expect(a.createMemory(store.id, { path: "/late.md", content: "x" })).rejects.toMatchObject({
      code: "memory_store_archived",
    });
  });
});
