import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFsAdapter } from "@nocturne/adapters-fs";
import { runAdapterConformance } from "@nocturne/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

runAdapterConformance(
  { describe, it, expect, beforeEach, afterEach },
  "fs",
  async () => {
    const root = await mkdtemp(join(tmpdir(), "nocturne-fs-conformance-"));
    return {
      adapter: createFsAdapter({ root }),
      reopen: () => createFsAdapter({ root }),
      cleanup: () => rm(root, { recursive: true, force: true }),
    };
  },
  { persistent: true, multiProcess: true },
);
