import { type Memory, NocturneError, type StorageAdapter } from "@nocturne/core";
import type { Harness } from "./harness.js";
import { listAll, newStore, sha256Hex } from "./helpers.js";
import type { ConformanceRunner } from "./runner.js";

/** Splits settled results into values and NocturneError codes, failing on anything else thrown. */
export function settle<T>(results: PromiseSettledResult<T>[]): { values: T[]; codes: string[] } {
  const values: T[] = [];
  const codes: string[] = [];
  for (const result of results) {
    if (result.status === "fulfilled") values.push(result.value);
    else if (NocturneError.isInstance(result.reason)) codes.push(result.reason.code);
    else throw result.reason;
  }
  return { values, codes };
}

/**
 * Races that every adapter must settle: `adapters` are used round-robin, so the same checks cover one adapter
 * with parallel calls and two adapters over the same storage.
 */
export function raceChecks(runner: ConformanceRunner, adapters: () => StorageAdapter[]): void {
  const { expect, it } = runner;
  const pick = (i: number): StorageAdapter => {
    const list = adapters();
    return list[i % list.length] as StorageAdapter;
  };

  it("lands every one of many parallel creates to distinct paths", async () => {
    const store = await newStore(pick(0));
    const paths = Array.from({ length: 24 }, (_, i) => `/parallel/${i % 3}/note-${i}.md`);
    const created = await Promise.all(
      paths.map((path, i) => pick(i).createMemory(store.id, { path, content: `content ${i}` })),
    );
    expect(new Set(created.map((memory) => memory.id)).size).toBe(paths.length);
    const listed = await listAll(pick(1), store.id);
    expect(listed.map((memory) => memory.path).sort()).toEqual([...paths].sort());
    for (const memory of created) expect(await pick(1).getMemory(store.id, memory.id)).toEqual(memory);
  });

  it("lets exactly one of parallel creates at one path win", async () => {
    const store = await newStore(pick(0));
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => pick(i).createMemory(store.id, { path: "/contested.md", content: `w${i}` })),
    );
    const { values, codes } = settle(results);
    expect(values).toHaveLength(1);
    expect(codes).toEqual(Array(5).fill("memory_path_conflict"));
    expect(await pick(1).getMemoryByPath(store.id, "/contested.md")).toEqual(values[0]);
  });

  it("lets exactly one of parallel updates with the same precondition win", async () => {
    const store = await newStore(pick(0));
    const memory = await pick(0).createMemory(store.id, { path: "/race.md", content: "v0" });
    const precondition = { content_sha256: memory.content_sha256 };
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        pick(i).updateMemory(store.id, memory.id, { content: `v${i + 1}`, precondition }),
      ),
    );
    const { values, codes } = settle<Memory>(results);
    expect(values).toHaveLength(1);
    expect(codes).toEqual(Array(7).fill("precondition_failed"));
    const final = await pick(1).getMemory(store.id, memory.id);
    expect(final?.content).toBe(values[0]?.content);
    expect(final?.content_sha256).toBe(sha256Hex(final?.content ?? ""));
  });

  it("lets exactly one of parallel preconditioned batches win, whole", async () => {
    const store = await newStore(pick(0));
    const a = await pick(0).createMemory(store.id, { path: "/batch/a.md", content: "a0" });
    const b = await pick(0).createMemory(store.id, { path: "/batch/b.md", content: "b0" });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        pick(i).writeMemories(store.id, [
          {
            op: "upsert",
            path: "/batch/a.md",
            content: `a${i + 1}`,
            precondition: { content_sha256: a.content_sha256 },
          },
          {
            op: "upsert",
            path: "/batch/b.md",
            content: `b${i + 1}`,
            precondition: { content_sha256: b.content_sha256 },
          },
          { op: "upsert", path: `/batch/only-${i + 1}.md`, content: "winner's own file" },
        ]),
      ),
    );
    const { values, codes } = settle(results);
    expect(values).toHaveLength(1);
    expect(codes).toEqual(Array(5).fill("precondition_failed"));
    const winner = values[0]?.[0]?.content.slice(1);
    const listed = await listAll(pick(1), store.id);
    expect(listed.map((memory) => [memory.path, memory.content])).toEqual([
      ["/batch/a.md", `a${winner}`],
      ["/batch/b.md", `b${winner}`],
      [`/batch/only-${winner}.md`, "winner's own file"],
    ]);
  });

  it("lets a preconditioned delete and a preconditioned update race with one winner", async () => {
    const store = await newStore(pick(0));
    const memory = await pick(0).createMemory(store.id, { path: "/contended.md", content: "v0" });
    const precondition = { content_sha256: memory.content_sha256 };
    const results = await Promise.allSettled([
      pick(0).deleteMemory(store.id, memory.id, { precondition }),
      pick(1).updateMemory(store.id, memory.id, { content: "v1", precondition }),
      pick(2).deleteMemory(store.id, memory.id, { precondition }),
      pick(3).updateMemory(store.id, memory.id, { content: "v2", precondition }),
    ]);
    const { values, codes } = settle<unknown>(results);
    expect(values).toHaveLength(1);
    expect(codes.every((code) => code === "precondition_failed" || code === "memory_not_found")).toBe(true);
    const after = await pick(1).getMemory(store.id, memory.id);
    const winnerIndex = results.findIndex((result) => result.status === "fulfilled");
    if (winnerIndex % 2 === 0) expect(after).toBeNull();
    else expect(after?.content).toBe(winnerIndex === 1 ? "v1" : "v2");
  });
}

/** Parallel calls on one adapter. */
export function concurrencyTests(h: Harness): void {
  h.runner.describe("concurrent writers on one adapter", () => {
    raceChecks(h.runner, () => [h.adapter]);
  });
}
