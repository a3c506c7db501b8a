import { open, readdir, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createFsAdapter } from "@nocturne/adapters-fs";
import { sessionWriterFor } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { tempName } from "../src/temp-files.js";
import { runScript } from "./support/child.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs("nocturne-fs-leftovers");
const CHILD = new URL("./fixtures/leftover-writer.ts", import.meta.url).pathname;

const temps = async (dir: string) => (await readdir(dir)).filter((name) => name.startsWith(".tmp-")).sort();

describe("temporary files a killed writer left", () => {
  it("are removed by the next adapter to open the folder; a live writer's files and recent unknown ones stay", async () => {
    const root = await tempDir();
    const setup = createFsAdapter({ root });
    const store = await setup.createMemoryStore({ name: "leftovers" });
    const folder = await setup.folderOf(store.id);
    await setup.close();

    const child = runScript(CHILD, [root, folder]);
    await child.waitForLine((line) => line === "ready");
    const sessions = join(root, "sessions");
    const storeTmp = join(folder, ".nocturne", "tmp");
    const meta = join(folder, ".nocturne");
    expect(await temps(sessions)).toHaveLength(1);
    expect(await temps(storeTmp)).toHaveLength(1);
    expect(await temps(meta)).toHaveLength(1);
    const whileWriting = createFsAdapter({ root });
    expect((await whileWriting.listSessions()).data).toEqual([]);
    expect(await temps(sessions), "a live writer's file was removed").toHaveLength(1);
    await whileWriting.close();
    child.process.kill("SIGKILL");
    expect((await child.exited).signal, child.stderr()).toBe("SIGKILL");

    const live = tempName();
    const own = await open(join(storeTmp, live), "wx");
    const oldUnknown = ".tmp-0123456789abcdef";
    const recentUnknown = ".tmp-fedcba9876543210";
    const otherHostOld = ".tmp-00000000-1-aaaaaaaaaaaaaaaa";
    const otherHostRecent = ".tmp-00000000-1-bbbbbbbbbbbbbbbb";
    for (const name of [oldUnknown, recentUnknown, otherHostOld, otherHostRecent])
      await writeFile(join(storeTmp, name), "x");
    const longAgo = new Date(Date.now() - 11 * 60_000);
    for (const name of [oldUnknown, otherHostOld]) await utimes(join(storeTmp, name), longAgo, longAgo);

    try {
      const reopened = createFsAdapter({ root });
      expect((await reopened.listSessions()).data).toEqual([]);
      expect(await temps(sessions)).toEqual([]);
      expect(await temps(meta)).toEqual([]);
      expect(await temps(storeTmp)).toEqual([live, otherHostRecent, recentUnknown].sort());
      await reopened.close();
    } finally {
      await own.close();
    }
  });

  it("a session written in parts is one JSON file, events first, read back in the schema's order", async () => {
    const root = await tempDir();
    const storage = createFsAdapter({ root });
    const writer = await sessionWriterFor(storage);
    const events = Array.from({ length: 1_200 }, (_, i) => ({
      id: `evt_${i}`,
      type: "agent.message" as const,
      processed_at: "2026-03-01T09:30:00.000Z",
      content: [{ type: "text", text: `a\nb\u2028c ${i}` }],
    }));
    await writer.append(events);
    expect(await temps(join(root, "sessions"))).toHaveLength(1);
    await writer.commit({ id: "sesn_file", title: "t", created_at: "2026-03-01T09:30:00Z" });
    expect(await readdir(join(root, "sessions"))).toEqual(["sesn_file.json"]);
    const text = await readFile(join(root, "sessions", "sesn_file.json"), "utf8");
    expect(text.split("\n")).toHaveLength(1_200 + 3);
    expect(Object.keys(JSON.parse(text))).toEqual(["events", "id", "title", "created_at", "metadata"]);
    const read = await storage.getSession("sesn_file");
    expect(Object.keys(read ?? {})).toEqual(["id", "title", "created_at", "metadata", "events"]);
    expect(read?.events).toEqual(events);
    const open2 = await storage.openSessionWriter();
    await open2.append(events.slice(0, 1_100));
    await storage.close();
    expect(await readdir(join(root, "sessions"))).toEqual(["sesn_file.json"]);
  });
});
