import type { StorageAdapter } from "@nocturne/core";

/**
 * The real adapter with one hook on `createMemory` (the call a dream writes its output with): each call prints
 * `writing <path>` before and `wrote <path>` after, and call number `pauseAt` never returns once its write is done,
 * so a dream stops in the middle of writing its output store and stays there until the process is killed.
 */
export function pauseOutputWrites(storage: StorageAdapter, pauseAt: number): StorageAdapter {
  let calls = 0;
  return new Proxy(storage, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (key !== "createMemory" || typeof value !== "function") {
        return typeof value === "function" ? value.bind(target) : value;
      }
      return async (storeId: string, input: { path: string; content: string }) => {
        const call = ++calls;
        console.log(`writing ${input.path}`);
        const memory = await target.createMemory(storeId, input);
        console.log(`wrote ${input.path}`);
        if (call >= pauseAt) await new Promise(() => undefined);
        return memory;
      };
    },
  });
}
