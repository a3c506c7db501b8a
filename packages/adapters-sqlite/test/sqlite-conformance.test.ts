import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteAdapter } from "@nocturne/adapters-sqlite";
import { runAdapterConformance } from "@nocturne/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const runner = { describe, it, expect, beforeEach, afterEach };

/** True when any file of the database (main file, write-ahead log, journal) holds `text` as UTF-8 bytes. */
async function filesContain(dir: string, text: string): Promise<boolean> {
  const needle = Buffer.from(text, "utf8");
  for (const name of await readdir(dir)) {
    if ((await readFile(join(dir, name))).includes(needle)) return true;
  }
  return false;
}

runAdapterConformance(
  runner,
  "sqlite",
  async () => {
    const dir = await mkdtemp(join(tmpdir(), "nocturne-sqlite-conformance-"));
    const file = join(dir, "nocturne.db");
    return {
      adapter: createSqliteAdapter({ file }),
      reopen: () => createSqliteAdapter({ file }),
      cleanup: () => rm(dir, { recursive: true, force: true }),
      storageContains: (text) => filesContain(dir, text),
    };
  },
  { persistent: true, multiProcess: true, memoryVersions: true },
);

runAdapterConformance(runner, "sqlite :memory:", () => ({ adapter: createSqliteAdapter({ file: ":memory:" }) }), {
  memoryVersions: true,
});
