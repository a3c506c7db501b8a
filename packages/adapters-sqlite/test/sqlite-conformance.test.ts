import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteAdapter } from "@nocturne/adapters-sqlite";
import { runAdapterConformance } from "@nocturne/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const runner = { describe, it, expect, beforeEach, afterEach };

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
    };
  },
  { persistent: true, multiProcess: true },
);

runAdapterConformance(runner, "sqlite :memory:", () => ({ adapter: createSqliteAdapter({ file: ":memory:" }) }));
