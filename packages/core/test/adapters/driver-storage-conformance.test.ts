import { createDriverStorage, createMemoryDriver, type StorageDriver } from "@nocturne/core";
import { runAdapterConformance } from "@nocturne/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/**
 * Two driver storages over one map driver, as two processes over one backend: nothing but the driver's conditional
 * commits keeps their writes apart (each storage queues only its own), so the suite's races prove the retry logic.
 */
runAdapterConformance(
  { describe, it, expect, beforeEach, afterEach },
  "driver storage, two instances over one driver",
  () => {
    const driver: StorageDriver = { ...createMemoryDriver(), capabilities: { persistent: false, multiProcess: true } };
    return {
      adapter: createDriverStorage(driver, { memoryVersions: true }),
      reopen: () => createDriverStorage(driver, { memoryVersions: true }),
    };
  },
  { multiProcess: true, memoryVersions: true },
);
