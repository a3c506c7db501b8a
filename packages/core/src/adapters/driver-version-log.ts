import type { MemoryVersionLog } from "../ports/storage-adapter.js";
import type { DriverEntry, DriverWrite, StorageDriver } from "../ports/storage-driver.js";
import type { MemoryVersion } from "../schemas/memory-version.js";
import { copyPlain } from "../util/copy-steps.js";
import { nowIso } from "../util/time.js";
import { listAll, STORES, storeKey, VERSIONS } from "./driver-records.js";
import { storeNotFound } from "./storage-rules.js";
import {
  checkListVersionsOptions,
  checkWriteOptions,
  pageOfVersions,
  redactedVersion,
  versionNotFound,
} from "./version-rules.js";

/** Plans a commit from a store's record as read; see `DriverStorage`. */
type WriteStore = <T>(
  storeId: string,
  plan: (entry: DriverEntry) => Promise<{ writes: DriverWrite[]; result: T }>,
) => Promise<T>;

/** The memory-version log of a driver storage: versions are records keyed by their time-ordered ids. */
export function driverVersionLog(driver: StorageDriver, writeStore: WriteStore): MemoryVersionLog {
  return {
    async list(storeId, options) {
      const checked = checkListVersionsOptions(options);
      if (!(await driver.get(STORES, storeId))) throw storeNotFound(storeId);
      const newestFirst = (await listAll(driver, VERSIONS, storeKey(storeId))).reverse();
      return copyPlain(
        pageOfVersions(
          newestFirst.map((entry) => entry.value as MemoryVersion),
          checked,
        ),
      );
    },
    async get(storeId, versionId) {
      const version = (await driver.get(VERSIONS, storeKey(storeId, versionId)))?.value as MemoryVersion | undefined;
      return version?.memory_store_id === storeId ? copyPlain(version) : null;
    },
    async redact(storeId, versionId, options) {
      const { actor } = checkWriteOptions(options);
      const redacted = await writeStore(storeId, async (store) => {
        const key = storeKey(storeId, versionId);
        const entry = await driver.get(VERSIONS, key);
        if (!entry) throw versionNotFound(storeId, versionId);
        const value = redactedVersion(entry.value as MemoryVersion, actor, nowIso());
        const writes: DriverWrite[] = [
          { op: "put", collection: STORES, key: storeId, value: store.value, expected: store.version },
          { op: "put", collection: VERSIONS, key, value },
        ];
        return { writes, result: value };
      });
      return copyPlain(redacted);
    },
  };
}
