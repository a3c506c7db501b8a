import type { MemoryVersionLog } from "../ports/storage-adapter.js";
import { DriverStorage } from "./driver-storage.js";
import { createMemoryDriver } from "./memory-driver.js";

/**
 * The reference StorageAdapter: everything in process memory, nothing persisted, memory versions kept. It is
 * {@link DriverStorage} over a map-backed driver, so it keeps exactly the rules every driver gets.
 */
export class InMemoryAdapter extends DriverStorage {
  declare readonly name: "memory";
  declare readonly memoryVersions: MemoryVersionLog;

  constructor() {
    super(createMemoryDriver(), { memoryVersions: true });
  }
}

/** Creates the reference in-memory adapter. */
export function createInMemoryAdapter(): InMemoryAdapter {
  return new InMemoryAdapter();
}
