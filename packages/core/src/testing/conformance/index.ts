import { describe } from "vitest";
import { batchTests } from "./batch-tests.js";
import { concurrencyTests } from "./concurrency-tests.js";
import { dreamTests } from "./dream-tests.js";
import { type AdapterConformanceOptions, type ConformanceFactory, useHarness } from "./harness.js";
import { limitsTests } from "./limits-tests.js";
import { lineageTests } from "./lineage-tests.js";
import { listTests } from "./list-tests.js";
import { memoryTests } from "./memory-tests.js";
import { capabilityTests, multiProcessTests, persistenceTests } from "./persistence-tests.js";
import { sessionTests } from "./session-tests.js";
import { sessionWriterTests } from "./session-writer-tests.js";
import { storeTests } from "./store-tests.js";

export type { AdapterConformanceOptions, ConformanceFactory, ConformanceFixture } from "./harness.js";

/**
 * Registers the StorageAdapter conformance suite with vitest: call it at the top level of a test file. Every
 * test gets a fresh adapter from `factory` (closed and cleaned up afterwards), so tests never see each other's
 * data. Optional checks run only when asked: `persistent` (needs the factory's `reopen`) and `multiProcess`
 * (two adapters over the same storage at once, also via `reopen`).
 *
 * @example
 * runAdapterConformance("json-file", async () => {
 *   const dir = await mkdtemp(join(tmpdir(), "adapter-"));
 *   return {
 *     adapter: createJsonFileAdapter(join(dir, "db.json")),
 *     reopen: () => createJsonFileAdapter(join(dir, "db.json")),
 *     cleanup: () => rm(dir, { recursive: true, force: true }),
 *   };
 * }, { persistent: true });
 */
export function runAdapterConformance(
  name: string,
  factory: ConformanceFactory,
  options: AdapterConformanceOptions = {},
): void {
  describe(`StorageAdapter conformance: ${name}`, () => {
    const harness = useHarness(factory);
    capabilityTests(harness, options);
    storeTests(harness);
    memoryTests(harness);
    lineageTests(harness);
    limitsTests(harness);
    listTests(harness);
    batchTests(harness);
    sessionTests(harness);
    sessionWriterTests(harness, options);
    dreamTests(harness);
    concurrencyTests(harness);
    persistenceTests(harness, options);
    multiProcessTests(harness, options);
  });
}
