import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createFsAdapter } from "@nocturne/adapters-fs";
import { createNocturne, createOfflineConsolidationModel, NocturneError, readAllMemories } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { runScript } from "./support/child.js";
import {
  assertWholeMarkdown,
  copyExampleMemory,
  dreamInputs,
  importExampleSessions,
  inputFingerprint,
} from "./support/example-data.js";
import { useTempDirs } from "./support/temp-dir.js";
import { treeSnapshot } from "./support/tree.js";

const tempDir = useTempDirs("nocturne-fs-dream-crash");
const CHILD = new URL("./fixtures/dream-child.ts", import.meta.url).pathname;

/** The memories the same dream writes when nothing goes wrong, by path. */
async function referenceOutput(base: string, notes: string): Promise<Map<string, string>> {
  const storage = createFsAdapter({ root: join(base, "reference") });
  const input = await storage.mountFolder(notes);
  const sessionIds = await importExampleSessions(storage);
  const nocturne = createNocturne({ storage, model: createOfflineConsolidationModel() });
  const dream = await nocturne.dreams.wait(
    (await nocturne.dreams.create({ inputs: dreamInputs(input.id, sessionIds) })).id,
  );
  const written = await readAllMemories(storage, dream.outputs[0]?.memory_store_id ?? "");
  await nocturne.close();
  return new Map(written.map((memory) => [memory.path, memory.content]));
}

describe("a dream killed while writing its output folder", () => {
  it("leaves whole files, an untouched input, and a dream that recover() fails", async () => {
    const base = await tempDir();
    const notes = join(base, "notes");
    const out = join(base, "out");
    const root = join(base, "state");
    await copyExampleMemory(notes);
    const notesBefore = await treeSnapshot(notes);
    const setup = createFsAdapter({ root });
    const input = await setup.mountFolder(notes);
    const sessionIds = await importExampleSessions(setup);
    const before = await inputFingerprint(setup, input.id, sessionIds);
    await setup.close();

    const child = runScript(CHILD, [root, out, input.id, sessionIds.join(",")]);
    const dreamId = (await child.waitForLine((line) => line.startsWith("dream "))).slice("dream ".length);
    await child.waitForLine(
      (line) => child.lines.filter((seen) => seen.startsWith("writing ")).length === 3 && line.startsWith("writing "),
    );
    child.process.kill("SIGKILL");
    expect((await child.exited).signal, child.stderr()).toBe("SIGKILL");

    const storage = createFsAdapter({ root });
    const running = await storage.getDreamRecord(dreamId);
    expect(running?.dream.status).toBe("running");
    const outputId = running?.dream.outputs[0]?.memory_store_id ?? "";
    const locked = await storage.deleteMemoryStore(outputId).then(
      () => null,
      (error: unknown) => error,
    );
    expect(NocturneError.isInstance(locked, "memory_store_locked")).toBe(true);

    const nocturne = createNocturne({ storage, model: createOfflineConsolidationModel() });
    const recovered = await nocturne.recover();
    expect(recovered.map((dream) => dream.id)).toEqual([dreamId]);
    const failed = await nocturne.dreams.retrieve(dreamId);
    expect(failed.status).toBe("failed");
    expect(failed.error?.type).toBe("internal_error");
    expect(failed.error?.message).toMatch(/stopped before it finished/);
    expect(failed.error?.message).toContain(outputId);
    expect((await nocturne.dreams.report(dreamId))?.status).toBe("failed");

    const partial = await readAllMemories(storage, outputId);
    expect([2, 3]).toContain(partial.length);
    assertWholeMarkdown(partial);
    const reference = await referenceOutput(base, notes);
    for (const memory of partial) {
      expect(memory.content).toBe(reference.get(memory.path));
      expect(await readFile(join(out, ...memory.path.slice(1).split("/")), "utf8")).toBe(memory.content);
    }
    expect(await readdir(join(out, ".nocturne", "journal")).catch(() => [])).toEqual([]);
    expect(await inputFingerprint(storage, input.id, sessionIds)).toBe(before);
    expect(await treeSnapshot(notes)).toEqual(notesBefore);
    expect((await storage.archiveMemoryStore(outputId)).archived_at).not.toBeNull();
    expect(await nocturne.recover()).toEqual([]);
    await nocturne.close();
  });
});
