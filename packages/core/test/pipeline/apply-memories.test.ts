import {
  type AppliedMemory,
  applyMemories,
  createInMemoryAdapter,
  planMemoryChanges,
  readAllMemories,
} from "@nocturne/core";
import { describe, expect, it } from "vitest";

const actor = { type: "dream_actor" as const, dream_id: "drm_apply" };

async function storeWith(files: Record<string, string>) {
  const storage = createInMemoryAdapter();
  const store = await storage.createMemoryStore({ name: "s" });
  for (const [path, content] of Object.entries(files)) await storage.createMemory(store.id, { path, content });
  return { storage, storeId: store.id };
}

describe("applyMemories", () => {
  it("creates, modifies and deletes (deletions first), each a version by the actor; unchanged ones write nothing", async () => {
    const { storage, storeId } = await storeWith({ "/a.md": "a\n", "/b.md": "b\n", "/c": "c is a file\n" });
    const existing = await readAllMemories(storage, storeId);
    const targets = [
      { path: "/a.md", content: "a\n" },
      { path: "/b.md", content: "b, changed\n" },
      { path: "/c/d.md", content: "below the deleted /c\n" },
    ];
    const plan = planMemoryChanges(existing, targets, true);
    expect(plan.map((step) => `${step.operation} ${step.path}`)).toEqual([
      "deleted /c",
      "unchanged /a.md",
      "modified /b.md",
      "created /c/d.md",
    ]);
    const before = await storage.memoryVersions.list(storeId, { limit: 1000 });
    const applied: AppliedMemory[] = [];
    await applyMemories(storage, storeId, plan, { actor, onApplied: (step) => applied.push(step) });
    expect(applied.map((step) => [step.operation, step.memory?.path ?? null])).toEqual([
      ["deleted", null],
      ["unchanged", "/a.md"],
      ["modified", "/b.md"],
      ["created", "/c/d.md"],
    ]);
    const contents = Object.fromEntries((await readAllMemories(storage, storeId)).map((m) => [m.path, m.content]));
    expect(contents).toEqual({ "/a.md": "a\n", "/b.md": "b, changed\n", "/c/d.md": "below the deleted /c\n" });
    const versions = (await storage.memoryVersions.list(storeId, { limit: 1000 })).data.slice(0, -before.data.length);
    expect(versions.map((v) => `${v.operation} ${v.path}`).sort()).toEqual([
      "created /c/d.md",
      "deleted /c",
      "modified /b.md",
    ]);
    for (const version of versions) expect(version.created_by).toEqual(actor);
  });

  it("leaves memories no target names alone without removeOthers", async () => {
    const { storage, storeId } = await storeWith({ "/keep.md": "keep\n" });
    const plan = planMemoryChanges(
      await readAllMemories(storage, storeId),
      [{ path: "/new.md", content: "n\n" }],
      false,
    );
    expect(plan.map((step) => step.operation)).toEqual(["created"]);
    await applyMemories(storage, storeId, plan, { actor });
    expect((await readAllMemories(storage, storeId)).map((m) => m.path)).toEqual(["/keep.md", "/new.md"]);
  });

  it("never overwrites a change made after the plan was read (precondition_failed), nor deletes it", async () => {
    const { storage, storeId } = await storeWith({ "/a.md": "a\n", "/b.md": "b\n" });
    const existing = await readAllMemories(storage, storeId);
    const [a, b] = existing;
    await storage.updateMemory(storeId, a?.id ?? "", { content: "a, edited meanwhile\n" });
    await storage.updateMemory(storeId, b?.id ?? "", { content: "b, edited meanwhile\n" });
    const modify = planMemoryChanges(existing, [{ path: "/a.md", content: "a, from the plan\n" }], false);
    await expect(applyMemories(storage, storeId, modify, { actor })).rejects.toMatchObject({
      code: "precondition_failed",
    });
    const remove = planMemoryChanges(existing, [{ path: "/a.md", content: "a\n" }], true);
    expect(remove[0]).toMatchObject({ operation: "deleted", path: "/b.md" });
    await expect(applyMemories(storage, storeId, remove, { actor })).rejects.toMatchObject({
      code: "precondition_failed",
    });
    const contents = (await readAllMemories(storage, storeId)).map((m) => m.content);
    expect(contents).toEqual(["a, edited meanwhile\n", "b, edited meanwhile\n"]);
  });
});
