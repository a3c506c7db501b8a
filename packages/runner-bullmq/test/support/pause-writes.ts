import type { MemoryWriteOptions, StorageAdapter } from "@nocturne/core";

const WRITES = new Set<PropertyKey>(["createMemory", "updateMemory", "deleteMemory"]);

/**
 * The storage, except that every memory write a dream makes (`dream_actor`) returns only once `after` resolves:
 * a test stops a dream mid-write, deterministically, after the write it chooses.
 */
export function afterDreamWrites(storage: StorageAdapter, after: () => Promise<void> | undefined): StorageAdapter {
  return new Proxy(storage, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (!WRITES.has(property)) return value.bind(target);
      return async (...args: unknown[]) => {
        const result: unknown = await value.apply(target, args);
        const options = args.at(-1) as MemoryWriteOptions | undefined;
        if (options?.actor?.type === "dream_actor") await after();
        return result;
      };
    },
  });
}
