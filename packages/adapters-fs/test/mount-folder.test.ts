import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createFsAdapter, type FsWarning } from "@nocturne/adapters-fs";
import { NocturneError } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { useTempDirs } from "./support/temp-dir.js";
import { treeSnapshot } from "./support/tree.js";

const tempDir = useTempDirs("nocturne-fs-mount");

/** A notes folder as a person keeps it: nested markdown, odd names, and things that are not memories. */
async function notesFolder(base: string): Promise<{ notes: string; outside: string }> {
  const notes = join(base, "notes");
  const outside = join(base, "outside");
  await mkdir(join(notes, "projects", "ledger"), { recursive: true });
  await mkdir(join(notes, ".obsidian"), { recursive: true });
  await mkdir(outside);
  await writeFile(join(notes, "preferences.md"), "# Preferences\n\n- Keep answers short.\n");
  await writeFile(join(notes, "projects", "ledger", "stack.md"), "\uFEFFStack: Node 20, PostgreSQL 14\r\n");
  await writeFile(join(notes, "café ☕.md"), "Ünïcödé name\n");
  await writeFile(join(notes, ".obsidian", "workspace.json"), "{}");
  await writeFile(join(notes, ".DS_Store"), Buffer.from([0, 1, 2, 255]));
  await writeFile(join(notes, "big.md"), "x".repeat(100 * 1024 + 1));
  await writeFile(join(notes, "image.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00]));
  await writeFile(join(outside, "private.md"), "outside the notes folder");
  await symlink(join(outside, "private.md"), join(notes, "escape.md"));
  await symlink(join(notes, "preferences.md"), join(notes, "prefs-link.md"));
  return { notes, outside };
}

describe("mounting a folder of notes", () => {
  it("reads it as a store and leaves every byte, name and timestamp as it was", async () => {
    const base = await tempDir();
    const { notes, outside } = await notesFolder(base);
    const before = await treeSnapshot(base);
    const warnings: FsWarning[] = [];
    const storage = createFsAdapter({ root: join(base, "state"), onWarning: (warning) => warnings.push(warning) });

    const store = await storage.mountFolder(notes);
    expect(store.name).toBe("notes");
    const listed = (await storage.listMemories(store.id)).data;
    expect(listed.map((memory) => memory.path)).toEqual([
      "/café ☕.md",
      "/preferences.md",
      "/prefs-link.md",
      "/projects/ledger/stack.md",
    ]);
    const stack = listed.find((memory) => memory.path === "/projects/ledger/stack.md");
    expect(stack?.content).toBe("\uFEFFStack: Node 20, PostgreSQL 14\r\n");
    expect(stack?.content_sha256).toBe(
      createHash("sha256")
        .update(await readFile(join(notes, "projects", "ledger", "stack.md")))
        .digest("hex"),
    );
    for (const memory of listed) expect(await storage.getMemory(store.id, memory.id)).toEqual(memory);
    expect((await storage.getMemoryByPath(store.id, "/prefs-link.md"))?.content).toContain("Keep answers short");
    expect(warnings.map((warning) => warning.path).sort()).toEqual(["/big.md", "/escape.md", "/image.png"]);
    expect(warnings.find((warning) => warning.path === "/escape.md")?.message).toContain(outside);

    const refused = await storage.getMemoryByPath(store.id, "/escape.md").then(
      () => null,
      (error: unknown) => error,
    );
    expect(NocturneError.isInstance(refused, "storage_permission_denied")).toBe(true);

    // Each write starts only once the previous one is checked, its rejection handler attached as it is created: a
    // write that fails while another is awaited would otherwise be an unhandled rejection (the cause of this test's
    // flakiness under load).
    const writes = [
      () => storage.createMemory(store.id, { path: "/new.md", content: "x" }),
      () => storage.updateMemory(store.id, listed[0]?.id ?? "", { content: "x" }),
      () => storage.deleteMemory(store.id, listed[0]?.id ?? ""),
      () => storage.writeMemories(store.id, [{ op: "upsert", path: "/preferences.md", content: "x" }]),
    ];
    for (const write of writes) {
      const error = await write().then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(NocturneError.isInstance(error, "storage_permission_denied")).toBe(true);
    }
    await storage.setMemoryStoreLock(store.id, "drm_reading");
    await storage.setMemoryStoreLock(store.id, null);
    await storage.close();

    expect(await treeSnapshot(base).then((tree) => withoutState(tree))).toEqual(withoutState(before));
    expect(await readdir(notes)).not.toContain(".nocturne");
  });

  it("gives the same store and the same memory ids every time the folder is mounted", async () => {
    const base = await tempDir();
    const { notes } = await notesFolder(base);
    const root = join(base, "state");
    const first = createFsAdapter({ root });
    const store = await first.mountFolder(notes, { name: "My notes" });
    const ids = (await first.listMemories(store.id)).data.map((memory) => memory.id);
    const second = createFsAdapter({ root });
    const again = await second.mountFolder(`${notes}/`);
    expect(again).toEqual(store);
    expect((await second.listMemories(store.id)).data.map((memory) => memory.id)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("forgets a mounted store on delete but never deletes its files", async () => {
    const base = await tempDir();
    const { notes } = await notesFolder(base);
    const before = await treeSnapshot(notes);
    const storage = createFsAdapter({ root: join(base, "state") });
    const store = await storage.mountFolder(notes);
    await storage.deleteMemoryStore(store.id);
    expect(await storage.getMemoryStore(store.id)).toBeNull();
    expect(await treeSnapshot(notes)).toEqual(before);
  });

  it("writes into a folder mounted writable, keeping its metadata in <folder>/.nocturne", async () => {
    const base = await tempDir();
    const { notes } = await notesFolder(base);
    const storage = createFsAdapter({ root: join(base, "state") });
    const store = await storage.mountFolder(notes, { readOnly: false });
    const prefs = await storage.getMemoryByPath(store.id, "/preferences.md");
    const updated = await storage.updateMemory(store.id, prefs?.id ?? "", { content: "# Preferences\n\n- Short.\n" });
    expect(updated.id).toBe(prefs?.id);
    expect(await readFile(join(notes, "preferences.md"), "utf8")).toBe("# Preferences\n\n- Short.\n");
    expect(await readdir(notes)).toContain(".nocturne");
    expect(await readFile(join(notes, ".DS_Store"))).toEqual(Buffer.from([0, 1, 2, 255]));
    const error = await storage.writeMemories(store.id, [{ op: "upsert", path: "/big.md", content: "small" }]).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(NocturneError.isInstance(error, "memory_path_conflict")).toBe(true);
    expect((await readFile(join(notes, "big.md"))).length).toBe(100 * 1024 + 1);
  });

  it("refuses a folder that does not exist with invalid_input", async () => {
    const storage = createFsAdapter({ root: await tempDir() });
    const error = await storage.mountFolder("/nonexistent/nocturne/notes").then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(NocturneError.isInstance(error, "invalid_input")).toBe(true);
  });
});

/** The tree without the adapter's own state folder, which is allowed to change. */
function withoutState(tree: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tree).filter(([path]) => path !== "state" && !path.startsWith("state/")));
}
