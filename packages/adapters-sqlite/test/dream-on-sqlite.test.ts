import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { createSqliteAdapter } from "@nocturne/adapters-sqlite";
import { createNocturne, createOfflineConsolidationModel, NocturneError, readAllMemories } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { runScript } from "../../adapters-fs/test/support/child.js";
import {
  assertWholeMarkdown,
  dreamInputs,
  importExampleSessions,
  inputFingerprint,
  loadExampleMemory,
} from "../../adapters-fs/test/support/example-data.js";
import { useTempDirs } from "../../adapters-fs/test/support/temp-dir.js";

const tempDir = useTempDirs("nocturne-sqlite-dream");
const CHILD = new URL("./fixtures/dream-child.ts", import.meta.url).pathname;

async function setup(file: string) {
  const storage = createSqliteAdapter({ file });
  const storeId = await loadExampleMemory(storage);
  const sessionIds = await importExampleSessions(storage);
  const before = await inputFingerprint(storage, storeId, sessionIds);
  return { storage, storeId, sessionIds, before };
}

async function runToEnd(file: string, storeId: string, sessionIds: string[]) {
  const storage = createSqliteAdapter({ file });
  const nocturne = createNocturne({ storage, model: createOfflineConsolidationModel() });
  const created = await nocturne.dreams.create({ inputs: dreamInputs(storeId, sessionIds) });
  const dream = await nocturne.dreams.wait(created.id);
  const written = await readAllMemories(storage, dream.outputs[0]?.memory_store_id ?? "");
  await nocturne.close();
  return { dream, written };
}

describe("dreams on a SQLite file", () => {
  it("runs a full dream and finds it again after a restart", async () => {
    const file = join(await tempDir(), "nocturne.db");
    const { storage, storeId, sessionIds, before } = await setup(file);
    await storage.close();
    const { dream, written } = await runToEnd(file, storeId, sessionIds);
    expect(dream.status, JSON.stringify(dream.error)).toBe("completed");
    expect(written.length).toBeGreaterThanOrEqual(3);
    assertWholeMarkdown(written);

    const reopened = createSqliteAdapter({ file });
    const later = createNocturne({ storage: reopened, model: createOfflineConsolidationModel() });
    expect(await later.recover()).toEqual([]);
    expect(await later.dreams.retrieve(dream.id)).toEqual(dream);
    expect((await later.dreams.list()).data.map((listed) => listed.id)).toEqual([dream.id]);
    expect((await later.dreams.report(dream.id))?.outputs).toHaveLength(written.length);
    expect(await inputFingerprint(reopened, storeId, sessionIds)).toBe(before);
    expect((await reopened.archiveMemoryStore(dream.outputs[0]?.memory_store_id ?? "")).archived_at).not.toBeNull();
    await later.close();
  });

  it("keeps the output whole and the input untouched when the dream is killed mid-write", async () => {
    const dir = await tempDir();
    const file = join(dir, "nocturne.db");
    const { storage, storeId, sessionIds, before } = await setup(file);
    await storage.close();
    await copyFile(file, join(dir, "reference.db"));

    const child = runScript(CHILD, [file, storeId, sessionIds.join(",")]);
    const dreamId = (await child.waitForLine((line) => line.startsWith("dream "))).slice("dream ".length);
    await child.waitForLine(
      (line) => line.startsWith("writing ") && child.lines.filter((seen) => seen.startsWith("writing ")).length === 3,
    );
    child.process.kill("SIGKILL");
    expect((await child.exited).signal, child.stderr()).toBe("SIGKILL");

    const reopened = createSqliteAdapter({ file });
    const running = await reopened.getDreamRecord(dreamId);
    expect(running?.dream.status).toBe("running");
    const outputId = running?.dream.outputs[0]?.memory_store_id ?? "";
    const locked = await reopened.deleteMemoryStore(outputId).then(
      () => null,
      (error: unknown) => error,
    );
    expect(NocturneError.isInstance(locked, "memory_store_locked")).toBe(true);

    const nocturne = createNocturne({ storage: reopened, model: createOfflineConsolidationModel() });
    expect((await nocturne.recover()).map((dream) => dream.id)).toEqual([dreamId]);
    const failed = await nocturne.dreams.retrieve(dreamId);
    expect(failed.status).toBe("failed");
    expect(failed.error?.type).toBe("internal_error");
    expect(failed.error?.message).toMatch(/stopped before it finished/);

    const partial = await readAllMemories(reopened, outputId);
    expect([2, 3]).toContain(partial.length);
    assertWholeMarkdown(partial);
    const reference = await runToEnd(join(dir, "reference.db"), storeId, sessionIds);
    const expected = new Map(reference.written.map((memory) => [memory.path, memory.content]));
    for (const memory of partial) expect(memory.content).toBe(expected.get(memory.path));
    expect(await inputFingerprint(reopened, storeId, sessionIds)).toBe(before);
    expect((await reopened.archiveMemoryStore(outputId)).archived_at).not.toBeNull();
    expect(await nocturne.recover()).toEqual([]);
    await nocturne.close();
  });
});
