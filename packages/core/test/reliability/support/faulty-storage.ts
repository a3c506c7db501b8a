import { NocturneError, type StorageAdapter } from "@nocturne/core";

/** The storage failures a backend can raise, shaped as the fs and SQLite adapters raise them. */
export const STORAGE_FAULTS = {
  disk_full: () =>
    new NocturneError(
      "storage_full",
      "Could not write a memory: the disk is full (ENOSPC). Free some space and retry.",
      {
        details: { errno: "ENOSPC" },
      },
    ),
  permission_denied: () =>
    new NocturneError(
      "storage_permission_denied",
      "Could not write a memory: permission denied (EACCES). Give this process write access to the folder.",
      { details: { errno: "EACCES" } },
    ),
  busy: () =>
    new NocturneError(
      "storage_busy",
      "Could not write a memory: the database is locked (SQLITE_BUSY). Retry shortly.",
      {
        retryable: true,
        details: { sqlite: "SQLITE_BUSY" },
      },
    ),
} as const;
export type StorageFault = keyof typeof STORAGE_FAULTS;

/** Decides, before a call reaches the real adapter, whether it fails (return an error) or goes through. */
export type StorageFaultRule = (call: { method: string; args: unknown[]; count: number }) => Error | null | undefined;

/**
 * Wraps a real adapter so that chosen calls fail before they reach it (`count` is the 1-based number of calls of
 * that method so far). Everything else goes to the real adapter unchanged.
 */
export function faultyStorage(inner: StorageAdapter, rule: StorageFaultRule): StorageAdapter {
  const counts = new Map<string, number>();
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      const method = String(property);
      return (...args: unknown[]) => {
        const count = (counts.get(method) ?? 0) + 1;
        counts.set(method, count);
        const error = rule({ method, args, count });
        if (error) return Promise.reject(error);
        return (value as (...callArgs: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
