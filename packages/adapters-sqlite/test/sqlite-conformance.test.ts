import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteAdapter } from "@nocturne/adapters-sqlite";
import { runAdapterConformance } from "@nocturne/core/testing";

runAdapterConformance(
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

runAdapterConformance("sqlite :memory:", () => ({ adapter: createSqliteAdapter({ file: ":memory:" }) }));
