import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAdapterConformance } from "@nocturne/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createJsonFileAdapter } from "./json-file-adapter.js";

runAdapterConformance(
  { describe, it, expect, beforeEach, afterEach },
  "json-file (example)",
  async () => {
    const dir = await mkdtemp(join(tmpdir(), "nocturne-json-adapter-"));
    const file = join(dir, "nocturne.json");
    return {
      adapter: createJsonFileAdapter(file),
      reopen: () => createJsonFileAdapter(file),
      cleanup: () => rm(dir, { recursive: true, force: true }),
      storageContains: async (text) => {
        for (const name of await readdir(dir))
          if ((await readFile(join(dir, name), "utf8")).includes(text)) return true;
        return false;
      },
    };
  },
  { persistent: true, memoryVersions: true },
);
