import {
  createDriverStorage,
  createMemoryDriver,
  NocturneError,
  type StorageAdapter,
  storageRules,
} from "@nocturne/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

type Op =
  | { kind: "create"; path: string; content: string }
  | { kind: "move"; pick: number; path: string }
  | { kind: "delete"; pick: number }
  | { kind: "batch"; writes: Array<[string, string | null]> };

const path = fc
  .array(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 3 })
  .map((parts) => `/${parts.join("/")}`);
const content = fc.constantFrom("x", "y", "z");
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("create" as const), path, content }),
  fc.record({ kind: fc.constant("move" as const), pick: fc.nat(), path }),
  fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant("batch" as const),
    writes: fc.array(fc.tuple(path, fc.option(content)), { maxLength: 4 }),
  }),
);

/** The error code a call ends with, or null when it succeeds. */
async function codeOf(call: Promise<unknown>): Promise<string | null> {
  try {
    await call;
    return null;
  } catch (error) {
    if (NocturneError.isInstance(error)) return error.code;
    throw error;
  }
}

/** The model's answer to one op: the code it fails with, applying it to `model` when it succeeds. */
function applyToModel(model: Map<string, string>, step: Op): string | null {
  const free = (at: string, except?: string) => {
    const others = [...model.keys()].filter((other) => other !== except);
    return !others.includes(at) && storageRules.clashingPath(at, others) === null;
  };
  const picked = (pick: number) => [...model.keys()].sort(storageRules.compareUtf8)[pick % Math.max(model.size, 1)];
  if (step.kind === "create") {
    if (!free(step.path)) return "memory_path_conflict";
    model.set(step.path, step.content);
  } else if (step.kind === "move" || step.kind === "delete") {
    const from = picked(step.pick);
    if (from === undefined) return "memory_not_found";
    const kept = model.get(from) as string;
    if (step.kind === "move" && step.path !== from && !free(step.path, from)) return "memory_path_conflict";
    model.delete(from);
    if (step.kind === "move") model.set(step.path, kept);
  } else {
    const next = new Map(model);
    for (const [at, text] of step.writes) {
      if (text === null) next.delete(at);
      else if (next.has(at) || storageRules.clashingPath(at, next.keys()) === null) next.set(at, text);
      else return "memory_path_conflict";
    }
    model.clear();
    for (const [at, text] of next) model.set(at, text);
  }
  return null;
}

async function applyToStorage(storage: StorageAdapter, storeId: string, step: Op): Promise<string | null> {
  const memories = (await storage.listMemories(storeId, { limit: 1000 })).data;
  if (step.kind === "create") return codeOf(storage.createMemory(storeId, { path: step.path, content: step.content }));
  if (step.kind === "batch") {
    const writes = step.writes.map(([at, text]) =>
      text === null ? { op: "delete" as const, path: at } : { op: "upsert" as const, path: at, content: text },
    );
    return codeOf(storage.writeMemories(storeId, writes));
  }
  const memory = memories[step.pick % Math.max(memories.length, 1)];
  if (!memory) return "memory_not_found";
  if (step.kind === "delete") return codeOf(storage.deleteMemory(storeId, memory.id));
  return codeOf(storage.updateMemory(storeId, memory.id, { path: step.path }));
}

describe("driver storage against a model of a store", () => {
  it("random creates, moves, deletes and batches leave the memories a plain map would, with the same errors", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (steps) => {
        const storage = createDriverStorage(createMemoryDriver(), { memoryVersions: true });
        const store = await storage.createMemoryStore({ name: "model" });
        const model = new Map<string, string>();
        for (const step of steps) {
          expect(await applyToStorage(storage, store.id, step)).toBe(applyToModel(model, step));
          const listed = (await storage.listMemories(store.id, { limit: 1000 })).data;
          const expected = [...model].sort(([a], [b]) => storageRules.compareUtf8(a, b));
          expect(listed.map((memory) => [memory.path, memory.content])).toEqual(expected);
          for (const memory of listed) expect(await storage.getMemory(store.id, memory.id)).toEqual(memory);
        }
      }),
      { numRuns: 150 },
    );
  });
});
