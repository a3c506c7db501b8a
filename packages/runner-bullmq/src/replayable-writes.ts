import {
  type CreateMemoryInput,
  type Memory,
  type MemoryWriteOptions,
  NocturneError,
  type Precondition,
  type StorageAdapter,
  type UpdateMemoryInput,
} from "@nocturne/core";

/**
 * True when the memory's newest version was written by the dream that `options` names (`dream_actor`) with the
 * operation given. Adapters that keep no versions cannot tell: every write is taken as the dream's own.
 */
async function lastWrittenBy(
  storage: StorageAdapter,
  storeId: string,
  memoryId: string,
  options: MemoryWriteOptions | undefined,
  operation: "created" | "modified" | "deleted" | "any",
): Promise<boolean> {
  const actor = options?.actor;
  if (actor?.type !== "dream_actor") return false;
  if (!storage.memoryVersions) return true;
  const [newest] = (await storage.memoryVersions.list(storeId, { memory_id: memoryId, limit: 1 })).data;
  const by = newest?.created_by;
  return (
    by?.type === "dream_actor" &&
    by.dream_id === actor.dream_id &&
    (operation === "any" || newest?.operation === operation)
  );
}

/** The memory already holds what the write asks for. */
function holds(memory: Memory, input: Pick<UpdateMemoryInput, "path" | "content">): boolean {
  return (
    (input.path === undefined || memory.path === input.path) &&
    (input.content === undefined || memory.content === input.content)
  );
}

/**
 * The storage a replayed pipeline writes through, so that a dream step run again after a worker died converges
 * instead of failing on the dream's own earlier writes: a create whose path is taken, a guarded update whose
 * precondition no longer holds, or a guarded delete of a memory that is gone counts as done when the memory is
 * already as the write asks and its newest version is this dream's (`dream_actor`). Anything another writer
 * changed still fails as it would in process (`memory_path_conflict`, `precondition_failed`, `memory_not_found`).
 * Everything else goes straight to the adapter.
 */
export function replayableWrites(storage: StorageAdapter): StorageAdapter {
  const createMemory = async (storeId: string, input: CreateMemoryInput, options?: MemoryWriteOptions) => {
    try {
      return await storage.createMemory(storeId, input, options);
    } catch (error) {
      if (!NocturneError.isInstance(error, "memory_path_conflict")) throw error;
      const existing = await storage.getMemoryByPath(storeId, input.path);
      if (
        !existing ||
        !holds(existing, input) ||
        !(await lastWrittenBy(storage, storeId, existing.id, options, "any"))
      ) {
        throw error;
      }
      return existing;
    }
  };
  const updateMemory = async (
    storeId: string,
    memoryId: string,
    input: UpdateMemoryInput,
    options?: MemoryWriteOptions,
  ) => {
    try {
      return await storage.updateMemory(storeId, memoryId, input, options);
    } catch (error) {
      if (!NocturneError.isInstance(error, "precondition_failed")) throw error;
      const current = await storage.getMemory(storeId, memoryId);
      if (!current || !holds(current, input) || !(await lastWrittenBy(storage, storeId, memoryId, options, "any"))) {
        throw error;
      }
      return current;
    }
  };
  const deleteMemory = async (
    storeId: string,
    memoryId: string,
    options?: { precondition?: Precondition } & MemoryWriteOptions,
  ) => {
    try {
      await storage.deleteMemory(storeId, memoryId, options);
    } catch (error) {
      if (!NocturneError.isInstance(error, "memory_not_found")) throw error;
      if (!(await lastWrittenBy(storage, storeId, memoryId, options, "deleted"))) throw error;
    }
  };
  const replaced: Partial<StorageAdapter> = { createMemory, updateMemory, deleteMemory };
  return new Proxy(storage, {
    get(target, property, receiver) {
      if (property in replaced) return replaced[property as keyof typeof replaced];
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
