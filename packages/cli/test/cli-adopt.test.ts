import { type ChildProcess, spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFsAdapter } from "@nocturne/adapters-fs";
import { type MemoryVersion, readAllMemories } from "@nocturne/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { writeCompletionMarker } from "../src/files/completion-marker.js";
import { cliInProcess, lastJson, ROOT, spawnCli, treeHashes } from "./support/run-cli.js";

const DREAM_ID = "drm_adopttest0000000000000000";

let dir: string;
let memory: string;
let from: string;
const children: ChildProcess[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nocturne-adopt-"));
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A memory folder with a hand-written file, a hand-edited one and hidden entries, and a dream output for it. */
async function setUp(name: string, extra = 0): Promise<void> {
  memory = join(dir, `${name}-memory`);
  from = join(dir, `${name}-out`);
  await cp(join(ROOT, "examples/data/memory"), memory, { recursive: true });
  await writeFile(join(memory, "hand-written.md"), "- Written by hand, never seen by Nocturne.\n");
  await writeFile(join(memory, "notes.md"), "- Edited by hand.\n");
  await mkdir(join(memory, ".git"));
  await writeFile(join(memory, ".git", "HEAD"), "ref: refs/heads/main\n");
  await mkdir(join(memory, ".vscode"));
  await writeFile(join(memory, ".vscode", "settings.json"), "{}\n");
  await mkdir(join(from, "projects"), { recursive: true });
  await mkdir(join(from, "new"), { recursive: true });
  await mkdir(join(from, ".nocturne"));
  const files: Record<string, string> = {
    "notes.md": "- Consolidated notes.\n",
    "preferences.md": "- Prefers short answers.\n",
    "projects/ledger-api.md": "- The ledger API uses Postgres.\n",
    "new/insight.md": "- A new insight.\n",
  };
  for (let i = 0; i < extra; i++) files[`new/fact-${String(i).padStart(3, "0")}.md`] = `- Fact ${i}.\n`;
  for (const [file, content] of Object.entries(files)) await writeFile(join(from, file), content);
  await writeCompletionMarker(from, {
    version: 1,
    dream_id: DREAM_ID,
    status: "completed",
    completed_at: new Date().toISOString(),
    files: Object.keys(files),
  });
}

/** The folder's files, the adapter's `.nocturne/` left out. */
async function visible(folder: string): Promise<Record<string, string>> {
  const hashes = await treeHashes(folder);
  return Object.fromEntries(Object.entries(hashes).filter(([name]) => !name.startsWith(".nocturne/")));
}

/** The memory folder as the fs adapter reads it: its memories and every version, newest first. */
async function readStore(folder: string): Promise<{ paths: Map<string, string>; versions: MemoryVersion[] }> {
  const root = await mkdtemp(join(dir, "root-"));
  const adapter = createFsAdapter({ root });
  try {
    const store = await adapter.mountFolder(folder, { readOnly: false });
    const memories = await readAllMemories(adapter, store.id);
    const page = await adapter.memoryVersions.list(store.id, { limit: 1000 });
    expect(page.next_cursor).toBeNull();
    return { paths: new Map(memories.map((m) => [m.id, m.content_sha256])), versions: page.data };
  } finally {
    await adapter.close();
  }
}

describe("nocturne adopt writes through the store, every change a version", () => {
  it("records each change as a version by the dream, leaves hidden entries alone, and undoes byte for byte", async () => {
    await setUp("versions");
    const original = await visible(memory);
    const adopted = await cliInProcess(["adopt", "--from", from, "--memory", memory, "--yes", "--json"]);
    expect(adopted.code, adopted.stderr).toBe(0);
    const result = lastJson(adopted.stdout) as { added: string[]; changed: string[]; removed: string[] };
    expect(result.added).toEqual(["/new/insight.md"]);
    expect(result.changed.sort()).toEqual(["/notes.md", "/preferences.md", "/projects/ledger-api.md"]);
    expect(result.removed.sort()).toEqual([
      "/debugging/2026-09-03-flaky-invoice-test.md",
      "/hand-written.md",
      "/profile.md",
    ]);
    const after = await visible(memory);
    expect(after[".git/HEAD"]).toBe(original[".git/HEAD"]);
    expect(after[".vscode/settings.json"]).toBe(original[".vscode/settings.json"]);

    const { versions } = await readStore(memory);
    const byDream = versions.filter((v) => v.created_by?.type === "dream_actor" && v.created_by.dream_id === DREAM_ID);
    const operations = (op: string) =>
      byDream
        .filter((v) => v.operation === op)
        .map((v) => v.path)
        .sort();
    expect(operations("created")).toEqual(result.added);
    expect(operations("modified")).toEqual(result.changed.sort());
    expect(operations("deleted")).toEqual(result.removed.sort());
    // What the adapter never saw (a hand-written file, one edited since metadata without versions) comes first.
    const unseen = versions.filter((v) => v.created_by === null).map((v) => `${v.operation} ${v.path}`);
    expect(unseen).toContain("created /hand-written.md");
    expect(unseen).toContain("created /notes.md");

    const adoptedContent = await readFile(join(memory, "preferences.md"));
    await writeFile(join(memory, "preferences.md"), "- Edited by hand after the adopt.\n");
    const lossy = await cliInProcess(["adopt", "--undo", DREAM_ID, "--memory", memory, "--yes"]);
    expect(lossy.code).toBe(2);
    expect(lossy.stderr).toMatch(/error \[conflict\].*\/preferences\.md was edited after dream/);
    await writeFile(join(memory, "preferences.md"), adoptedContent);

    const undo = await cliInProcess(["adopt", "--undo", DREAM_ID, "--memory", memory, "--yes", "--json"]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(await visible(memory)).toEqual(original);
    const again = await cliInProcess(["adopt", "--undo", DREAM_ID, "--memory", memory, "--yes"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("error [conflict]");
  });

  it("refuses while another live process holds the folder (conflict), and takes over a dead one's claim", async () => {
    await setUp("claimed");
    const holder = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    children.push(holder);
    await mkdir(join(memory, ".nocturne"), { recursive: true });
    const claim = join(memory, ".nocturne", "adopting.json");
    await writeFile(claim, JSON.stringify({ pid: holder.pid, dream_id: "drm_other" }));
    const original = await treeHashes(memory);
    const refused = await cliInProcess(["adopt", "--from", from, "--memory", memory, "--yes", "--json"]);
    expect(refused.code).toBe(2);
    expect(lastJson(refused.stdout)).toMatchObject({ error: { code: "conflict" } });
    expect(refused.stderr).toContain(`process ${holder.pid}, dream drm_other`);
    expect(await treeHashes(memory)).toEqual(original);

    const exited = new Promise((resolve) => holder.once("exit", resolve));
    holder.kill("SIGKILL");
    await exited;
    const adopted = await cliInProcess(["adopt", "--from", from, "--memory", memory, "--yes", "--json"]);
    expect(adopted.code, adopted.stderr).toBe(0);
  });

  it("killed (SIGKILL) after its first change, leaves each file as before or after, with versions to match", async () => {
    await setUp("killed", 120);
    const original = await visible(memory);
    const planned = await visible(from);
    const { child, done } = spawnCli(["adopt", "--from", from, "--memory", memory, "--yes"], (text, running) => {
      // Stopped at once on the first change it reports, then killed: it cannot finish in between.
      if (/^(created|modified|deleted) \//m.test(text) && !running.killed) {
        running.kill("SIGSTOP");
        running.kill("SIGKILL");
      }
    });
    children.push(child);
    const killed = await done;
    expect(killed.signal).toBe("SIGKILL");

    const now = await visible(memory);
    const names = new Set(
      [...Object.keys(original), ...Object.keys(planned)].filter((n) => !n.startsWith(".nocturne")),
    );
    let before = 0;
    let changed = 0;
    for (const name of names) {
      if (name.startsWith(".git/") || name.startsWith(".vscode/")) {
        expect(now[name], name).toBe(original[name]);
        continue;
      }
      const state = now[name] === original[name] ? "before" : now[name] === planned[name] ? "after" : "neither";
      expect(state, name).not.toBe("neither");
      if (state === "before" && original[name] !== planned[name]) before++;
      if (state === "after" && original[name] !== planned[name]) changed++;
    }
    expect(changed).toBeGreaterThan(0);
    expect(before).toBeGreaterThan(0);
    // Every memory's newest version holds what the folder holds; deleted ones end with a `deleted` version.
    const store = await readStore(memory);
    const newest = new Map<string, MemoryVersion>();
    for (const version of store.versions) if (!newest.has(version.memory_id)) newest.set(version.memory_id, version);
    for (const [id, sha] of store.paths) {
      const version = newest.get(id);
      if (version) expect(version.content_sha256, version.path ?? id).toBe(sha);
    }
    for (const [id, version] of newest) if (!store.paths.has(id)) expect(version.operation).toBe("deleted");

    const resumed = await cliInProcess(["adopt", "--from", from, "--memory", memory, "--yes"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const undo = await cliInProcess(["adopt", "--undo", DREAM_ID, "--memory", memory, "--yes"]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(await visible(memory)).toEqual(original);
  });
});
