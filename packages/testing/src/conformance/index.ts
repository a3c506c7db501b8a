import { batchTests } from "./batch-tests.js";
import { concurrencyTests } from "./concurrency-tests.js";
import { copyTests } from "./copy-tests.js";
import { dreamTests } from "./dream-tests.js";
import { type AdapterConformanceOptions, type ConformanceFactory, useHarness } from "./harness.js";
import { limitsTests } from "./limits-tests.js";
import { lineageTests } from "./lineage-tests.js";
import { listTests } from "./list-tests.js";
import { memoryTests } from "./memory-tests.js";
import { capabilityTests, multiProcessTests, persistenceTests } from "./persistence-tests.js";
import type { ConformanceRunner } from "./runner.js";
import { sessionTests } from "./session-tests.js";
import { sessionWriterTests } from "./session-writer-tests.js";
import { storeTests } from "./store-tests.js";
import { timestampTests } from "./timestamp-tests.js";
import { versionTests } from "./version-tests.js";

export type { AdapterConformanceOptions, ConformanceFactory, ConformanceFixture } from "./harness.js";
export type { ConformanceMatchers, ConformanceRunner, TestFunction } from "./runner.js";

/**
 * Registers the StorageAdapter conformance suite with your test runner: call it at the top level of a test file,
 * passing the runner's `describe`, `it`, `expect`, `beforeEach` and `afterEach` (vitest's work as they
 * are). The suite never imports a test runner itself. Every test gets a fresh adapter from `factory` (closed and
 * cleaned up afterwards), so tests never see each other's data. Optional checks run only when asked: `persistent`
 * (needs the factory's `reopen`) and `multiProcess` (two adapters over the same storage at once, also via
 * `reopen`) and `memoryVersions` (the adapter's optional `memoryVersions` log; give the fixture a `storageContains`
 * to have redaction checked against everything it stores); checks not asked for are not registered.
 *
 * @example
 * import { afterEach, beforeEach, describe, expect, it } from "vitest";
 *
 * runAdapterConformance({ describe, it, expect, beforeEach, afterEach }, "json-file", async () => {
 *   const dir = await mkdtemp(join(tmpdir(), "adapter-"));
 *   return {
 *     adapter: createJsonFileAdapter(join(dir, "db.json")),
 *     reopen: () => createJsonFileAdapter(join(dir, "db.json")),
 *     cleanup: () => rm(dir, { recursive: true, force: true }),
 *   };
 * }, { persistent: true, memoryVersions: true });
 */
export function runAdapterConformance(
  runner: ConformanceRunner,
  name: string,
  factory: ConformanceFactory,
  options: AdapterConformanceOptions = {},
): void {
  runner.describe(`StorageAdapter conformance: ${name}`, () => {
    const harness = useHarness(runner, factory);
    capabilityTests(harness, options);
    storeTests(harness);
    memoryTests(harness);
    lineageTests(harness);
    limitsTests(harness);
    listTests(harness);
    batchTests(harness);
    copyTests(harness);
    timestampTests(harness);
    sessionTests(harness);
    sessionWriterTests(harness, options);
    dreamTests(harness);
    concurrencyTests(harness);
    persistenceTests(harness, options);
    multiProcessTests(harness, options);
    versionTests(harness, options);
  });
}
