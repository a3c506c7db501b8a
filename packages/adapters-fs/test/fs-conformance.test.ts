import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFsAdapter } from "@nocturne/adapters-fs";
import { runAdapterConformance } from "@nocturne/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/** True when any file below `root` (memories, metadata, versions, journals, records) holds `text` as UTF-8 bytes. */
async function filesContain(root: string, text: string): Promise<boolean> {
  const needle = Buffer.from(text, "utf8");
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const file = join(entry.parentPath, entry.name);
    if (entry.name.includes(text)) return true;
    if (entry.isFile() && (await readFile(file)).includes(needle)) return true;
  }
  return false;
}

runAdapterConformance(
  { describe, it, expect, beforeEach, afterEach },
  "fs",
  async () => {
    const root = await mkdtemp(join(tmpdir(), "nocturne-fs-conformance-"));
    return {
      adapter: createFsAdapter({ root }),
      reopen: () => createFsAdapter({ root }),
      cleanup: () => rm(root, { recursive: true, force: true }),
      storageContains: (text) => filesContain(root, text),
    };
  },
  { persistent: true, multiProcess: true, memoryVersions: true },
);
