import { type CreateMemoryInput, type Memory, NocturneError, type StorageAdapter } from "@nocturne/core";

/**
 * The storage a replayed pipeline writes through: `createMemory` becomes idempotent per path, so a dream step that
 * runs again after a worker died finds its memory already there and moves on instead of failing or writing twice.
 * Everything else goes straight to the adapter.
 */
export function idempotentCreates(storage: StorageAdapter): StorageAdapter {
  const createMemory = async (storeId: string, input: CreateMemoryInput): Promise<Memory> => {
    try {
      return await storage.createMemory(storeId, input);
    } catch (error) {
      if (!NocturneError.isInstance(error, "memory_path_conflict")) throw error;
      const existing = await storage.getMemoryByPath(storeId, input.path);
      if (!existing) throw error;
      if (existing.content === input.content) return existing;
      return storage.updateMemory(storeId, existing.id, {
        content: input.content,
        precondition: { content_sha256: existing.content_sha256 },
      });
    }
  };
  return new Proxy(storage, {
    get(target, property, receiver) {
      if (property === "createMemory") return createMemory;
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
