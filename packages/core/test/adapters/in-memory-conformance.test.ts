import { createInMemoryAdapter, type StorageAdapter } from "@nocturne/core";
import { runAdapterConformance } from "@nocturne/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const runner = { describe, it, expect, beforeEach, afterEach };

runAdapterConformance(runner, "memory", () => ({ adapter: createInMemoryAdapter() }), { memoryVersions: true });

/** The reference adapter with its version log hidden and undeclared: how an adapter without versions looks. */
function withoutVersions(adapter: StorageAdapter): StorageAdapter {
  const capabilities = { ...adapter.capabilities, memoryVersions: false };
  return new Proxy(adapter, {
    get: (target, key) =>
      key === "memoryVersions" ? undefined : key === "capabilities" ? capabilities : Reflect.get(target, key, target),
  });
}

runAdapterConformance(runner, "memory without versions", () => ({ adapter: withoutVersions(createInMemoryAdapter()) }));
