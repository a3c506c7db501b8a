import { spawnSync } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { createFsAdapter } from "@nocturne/adapters-fs";
import { NocturneError } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { runScript } from "./support/child.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs("nocturne-fs-lock");
const WORKER = new URL("./fixtures/counter-worker.ts", import.meta.url).pathname;

function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid as number;
}

describe("the per-store write lock", () => {
  it("takes over a lock left by a process that died", async () => {
    const root = await tempDir();
    const storage = createFsAdapter({ root, lockTimeoutMs: 60_000 });
    const store = await storage.createMemoryStore({ name: "s" });
    const lockFile = join(await storage.folderOf(store.id), ".nocturne", "lock");
    const owner = { pid: deadPid(), host: hostname(), token: "left-behind", acquired_at: new Date().toISOString() };
    await writeFile(lockFile, JSON.stringify(owner));
    const memory = await storage.createMemory(store.id, { path: "/after.md", content: "written" });
    expect(memory.content).toBe("written");
    expect(await readdir(join(await storage.folderOf(store.id), ".nocturne"))).not.toContain("lock");
  });

  it("makes a writer wait for a live lock, then fail with storage_busy", async () => {
    const root = await tempDir();
    const storage = createFsAdapter({ root, lockTimeoutMs: 150 });
    const store = await storage.createMemoryStore({ name: "s" });
    const lockFile = join(await storage.folderOf(store.id), ".nocturne", "lock");
    const owner = { pid: process.pid, host: hostname(), token: "someone-else", acquired_at: new Date().toISOString() };
    await writeFile(lockFile, JSON.stringify(owner));
    const error = await storage.createMemory(store.id, { path: "/blocked.md", content: "" }).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(NocturneError.isInstance(error, "storage_busy")).toBe(true);
    expect((error as NocturneError).retryable).toBe(true);
    expect((error as NocturneError).message).toContain(`process ${process.pid}`);
    expect(JSON.parse(await readFile(lockFile, "utf8")).token).toBe("someone-else");
    expect(await storage.getMemoryByPath(store.id, "/blocked.md")).toBeNull();
  });

  it("loses no update when two processes increment one memory with preconditions", async () => {
    const root = await tempDir();
    const storage = createFsAdapter({ root });
    const store = await storage.createMemoryStore({ name: "counter" });
    await storage.createMemory(store.id, { path: "/counter.md", content: "0" });
    const workers = [runScript(WORKER, [root, store.id, "15"]), runScript(WORKER, [root, store.id, "15"])];
    const exits = await Promise.all(workers.map((worker) => worker.exited));
    for (const [i, exit] of exits.entries()) expect(exit.code, workers[i]?.stderr()).toBe(0);
    for (const worker of workers) expect(worker.lines.at(-1)).toMatch(/^done \d+$/);
    expect((await storage.getMemoryByPath(store.id, "/counter.md"))?.content).toBe("30");
  });
});
