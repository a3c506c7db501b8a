import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createFsAdapter } from "@nocturne/adapters-fs";
import { describe, expect, it } from "vitest";
import { BATCH_FILES, batchContent, batchOf } from "./fixtures/batch-content.js";
import { runScript } from "./support/child.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs("nocturne-fs-crash");
const WRITER = new URL("./fixtures/batch-writer.ts", import.meta.url).pathname;

describe("a writer killed mid-batch", () => {
  it("leaves every batch whole: all of its memories or none, each file complete", async () => {
    const root = await tempDir();
    const setup = createFsAdapter({ root });
    const store = await setup.createMemoryStore({ name: "crash" });
    const folder = await setup.folderOf(store.id);
    for (const killAfter of [2, 5, 9]) {
      const writer = runScript(WRITER, [root, store.id]);
      await writer.waitForLine((text) => text === `committed ${killAfter}`);
      writer.process.kill("SIGKILL");
      expect((await writer.exited).signal, writer.stderr()).toBe("SIGKILL");
      // Every batch the writer printed had returned before it died; at most one more may have landed unprinted.
      const committed = Math.max(...writer.lines.map((text) => Number(text.split(" ")[1])));

      const reader = createFsAdapter({ root });
      const memories = (await reader.listMemories(store.id, { path_prefix: "/batch/" })).data;
      expect(memories.map((memory) => memory.path)).toEqual(
        Array.from({ length: BATCH_FILES }, (_, i) => `/batch/file-${i}.md`),
      );
      const batch = batchOf(memories[0]?.content ?? "");
      expect([committed, committed + 1]).toContain(batch);
      for (const [i, memory] of memories.entries()) expect(memory.content).toBe(batchContent(batch, i));
      expect(await readdir(join(folder, ".nocturne", "journal"))).toEqual([]);
      expect((await readdir(folder)).sort()).toEqual([".nocturne", "batch"]);
      await reader.writeMemories(store.id, []);
      expect(await readdir(join(folder, ".nocturne", "tmp"))).toEqual([]);
    }
  });

  it("finishes a journal left half-applied before anyone reads the store", async () => {
    const root = await tempDir();
    const storage = createFsAdapter({ root });
    const store = await storage.createMemoryStore({ name: "replay" });
    const folder = await storage.folderOf(store.id);
    await storage.createMemory(store.id, { path: "/old.md", content: "to be removed by the batch" });
    const meta = (path: string, content: string) => ({
      id: `mem_replay${path.length}`,
      path,
      created_at: "2026-03-01T10:00:00.000Z",
      updated_at: "2026-03-01T10:00:00.000Z",
      content_sha256: sha256Of(content),
    });
    const ops = [
      { op: "remove", path: "/old.md" },
      { op: "put", path: "/a.md", content: "A", meta: meta("/a.md", "A") },
      { op: "put", path: "/deep/b.md", content: "B", meta: meta("/deep/b.md", "B") },
    ];
    await writeFile(
      join(folder, ".nocturne", "journal", "000000000000001-dead.json"),
      JSON.stringify({ version: 1, ops }),
    );
    await writeFile(join(folder, "a.md"), "A");

    const reader = createFsAdapter({ root });
    const listed = (await reader.listMemories(store.id)).data;
    expect(listed.map((memory) => [memory.path, memory.content, memory.id])).toEqual([
      ["/a.md", "A", "mem_replay5"],
      ["/deep/b.md", "B", "mem_replay10"],
    ]);
    expect(await readFile(join(folder, "deep", "b.md"), "utf8")).toBe("B");
    expect(await readdir(join(folder, ".nocturne", "journal"))).toEqual([]);
  });
});

function sha256Of(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}
