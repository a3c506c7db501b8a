import { join } from "node:path";
import { createSqliteAdapter } from "@nocturne/adapters-sqlite";
import { describe, expect, it } from "vitest";
import { BATCH_FILES, batchContent, batchOf } from "../../adapters-fs/test/fixtures/batch-content.js";
import { runScript } from "../../adapters-fs/test/support/child.js";
import { useTempDirs } from "../../adapters-fs/test/support/temp-dir.js";

const tempDir = useTempDirs("nocturne-sqlite-processes");
const WORKER = new URL("./fixtures/counter-worker.ts", import.meta.url).pathname;
const WRITER = new URL("./fixtures/batch-writer.ts", import.meta.url).pathname;

describe("several processes on one database file", () => {
  it("lose no update when two processes increment one memory with preconditions", async () => {
    const file = join(await tempDir(), "shared.db");
    const storage = createSqliteAdapter({ file });
    const store = await storage.createMemoryStore({ name: "counter" });
    await storage.createMemory(store.id, { path: "/counter.md", content: "0" });
    const workers = [runScript(WORKER, [file, store.id, "20"]), runScript(WORKER, [file, store.id, "20"])];
    const exits = await Promise.all(workers.map((worker) => worker.exited));
    for (const [i, exit] of exits.entries()) expect(exit.code, workers[i]?.stderr()).toBe(0);
    expect((await storage.getMemoryByPath(store.id, "/counter.md"))?.content).toBe("40");
    await storage.close();
  });

  it("keep every batch whole when the writer is killed mid-batch", async () => {
    const file = join(await tempDir(), "crash.db");
    const setup = createSqliteAdapter({ file });
    const store = await setup.createMemoryStore({ name: "crash" });
    await setup.close();
    for (const killAfter of [2, 5, 9]) {
      const writer = runScript(WRITER, [file, store.id]);
      await writer.waitForLine((text) => text === `committed ${killAfter}`);
      writer.process.kill("SIGKILL");
      expect((await writer.exited).signal, writer.stderr()).toBe("SIGKILL");
      // Every batch the writer printed had returned before it died; at most one more may have landed unprinted.
      const committed = Math.max(...writer.lines.map((text) => Number(text.split(" ")[1])));

      const reader = createSqliteAdapter({ file });
      const memories = (await reader.listMemories(store.id)).data;
      expect(memories.map((memory) => memory.path)).toEqual(
        Array.from({ length: BATCH_FILES }, (_, i) => `/batch/file-${i}.md`),
      );
      const batch = batchOf(memories[0]?.content ?? "");
      expect([committed, committed + 1]).toContain(batch);
      for (const [i, memory] of memories.entries()) expect(memory.content).toBe(batchContent(batch, i));
      await reader.close();
    }
  });
});
