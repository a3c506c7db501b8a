import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createFsAdapter } from "@nocturne/adapters-fs";
import { createNocturne, createOfflineConsolidationModel, readAllMemories } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import {
  assertWholeMarkdown,
  copyExampleMemory,
  dreamInputs,
  importExampleSessions,
  inputFingerprint,
} from "./support/example-data.js";
import { useTempDirs } from "./support/temp-dir.js";
import { treeSnapshot } from "./support/tree.js";

const tempDir = useTempDirs("nocturne-fs-dream");

describe("a full dream on folders", () => {
  it("reads a mounted notes folder, writes plain markdown files, and survives a restart", async () => {
    const base = await tempDir();
    const notes = join(base, "notes");
    const out = join(base, "out");
    const root = join(base, "state");
    await copyExampleMemory(notes);
    const notesBefore = await treeSnapshot(notes);
    const open = () =>
      createFsAdapter({ root, storeFolder: (input) => (input.metadata.nocturne_dream_id ? out : undefined) });

    const storage = open();
    const input = await storage.mountFolder(notes);
    const sessionIds = await importExampleSessions(storage);
    const before = await inputFingerprint(storage, input.id, sessionIds);
    const nocturne = createNocturne({ storage, model: createOfflineConsolidationModel() });
    const created = await nocturne.dreams.create({ inputs: dreamInputs(input.id, sessionIds) });
    const dream = await nocturne.dreams.wait(created.id);
    expect(dream.status, JSON.stringify(dream.error)).toBe("completed");
    const outputId = dream.outputs[0]?.memory_store_id ?? "";
    expect(await storage.folderOf(outputId)).toBe(out);

    const written = await readAllMemories(storage, outputId);
    expect(written.length).toBeGreaterThanOrEqual(3);
    assertWholeMarkdown(written);
    for (const memory of written) {
      const onDisk = await readFile(join(out, ...memory.path.slice(1).split("/")), "utf8");
      expect(onDisk).toBe(memory.content);
      expect(onDisk).toMatch(/^# .+\n\n/);
    }
    expect(written.filter((memory) => /\n- \S/.test(memory.content)).length).toBeGreaterThanOrEqual(3);
    const visible = (await readdir(out)).filter((name) => !name.startsWith("."));
    expect(visible.every((name) => name.endsWith(".md") || !name.includes("."))).toBe(true);
    expect(await inputFingerprint(storage, input.id, sessionIds)).toBe(before);
    expect(await treeSnapshot(notes)).toEqual(notesBefore);
    await nocturne.close();

    const reopened = open();
    const later = createNocturne({ storage: reopened, model: createOfflineConsolidationModel() });
    expect(await later.recover()).toEqual([]);
    expect(await later.dreams.retrieve(dream.id)).toEqual(dream);
    expect((await later.dreams.list()).data.map((listed) => listed.id)).toEqual([dream.id]);
    const report = await later.dreams.report(dream.id);
    expect(report?.status).toBe("completed");
    expect(report?.outputs.map((output) => output.path).sort()).toEqual(written.map((memory) => memory.path).sort());
    expect(await readAllMemories(reopened, outputId)).toEqual(written);
    expect((await reopened.archiveMemoryStore(outputId)).archived_at).not.toBeNull();
    await later.close();
  });
});
