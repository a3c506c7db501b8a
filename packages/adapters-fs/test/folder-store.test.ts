import { mkdir, readdir, readFile, stat, symlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createFsAdapter } from "@nocturne/adapters-fs";
import { NocturneError } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { useTempDirs } from "./support/temp-dir.js";
import { treeSnapshot } from "./support/tree.js";

const tempDir = useTempDirs("nocturne-fs-store");

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!NocturneError.isInstance(error)) throw new Error(`expected a NocturneError, got ${String(error)}`);
  return error.code;
}

describe("a store folder", () => {
  it("holds each memory as a plain file with its exact bytes, and its metadata beside it", async () => {
    const base = await tempDir();
    const storage = createFsAdapter({ root: join(base, "state") });
    const out = join(base, "out");
    const store = await storage.createMemoryStoreAt(out, { name: "Consolidated" });
    const content = "\uFEFF# Editor\r\n\n- Tabs, 4 wide 😀\n\twith a tab, no newline at the end";
    const memory = await storage.createMemory(store.id, { path: "/preferences/editor.md", content });

    expect(await readFile(join(out, "preferences", "editor.md"))).toEqual(Buffer.from(content, "utf8"));
    expect((await readdir(out)).sort()).toEqual([".nocturne", "preferences"]);
    const identity = JSON.parse(await readFile(join(out, ".nocturne", "store.json"), "utf8"));
    expect(identity.id).toBe(store.id);
    const mtime = (await stat(join(out, "preferences", "editor.md"))).mtime.toISOString();
    expect(mtime).toBe(memory.updated_at);
    expect(await storage.folderOf(store.id)).toBe(out);
  });

  it("follows moves and deletes on disk, pruning folders left empty", async () => {
    const base = await tempDir();
    const storage = createFsAdapter({ root: base });
    const store = await storage.createMemoryStore({ name: "s" });
    const folder = await storage.folderOf(store.id);
    const memory = await storage.createMemory(store.id, { path: "/a/b/c.md", content: "c" });
    await storage.createMemory(store.id, { path: "/a/keep.md", content: "k" });
    await storage.updateMemory(store.id, memory.id, { path: "/moved/c.md" });
    expect(await readdir(join(folder, "a"))).toEqual(["keep.md"]);
    expect(await readFile(join(folder, "moved", "c.md"), "utf8")).toBe("c");
    await storage.deleteMemory(store.id, memory.id);
    expect((await readdir(folder)).sort()).toEqual([".nocturne", "a"]);
  });

  it("takes a person's edit as the memory's new content, keeping its id and creation time", async () => {
    const base = await tempDir();
    const storage = createFsAdapter({ root: base });
    const store = await storage.createMemoryStore({ name: "s" });
    const memory = await storage.createMemory(store.id, { path: "/profile.md", content: "Lives in Lisbon.\n" });
    const file = join(await storage.folderOf(store.id), "profile.md");
    await writeFile(file, "Lives in Berlin.\n");
    const editedAt = new Date(Date.parse(memory.created_at) + 60_000);
    await utimes(file, editedAt, editedAt);

    const read = await storage.getMemory(store.id, memory.id);
    expect(read).toMatchObject({ id: memory.id, content: "Lives in Berlin.\n", created_at: memory.created_at });
    expect(read?.updated_at).toBe(editedAt.toISOString());
    expect(read?.content_sha256).not.toBe(memory.content_sha256);
    const updated = await storage.updateMemory(store.id, memory.id, {
      content: "Lives in Berlin since October.\n",
      precondition: { content_sha256: read?.content_sha256 ?? "" },
    });
    expect(updated.id).toBe(memory.id);
  });

  it("reads a file dropped into the folder as a memory whose id stays the same", async () => {
    const base = await tempDir();
    const storage = createFsAdapter({ root: base });
    const store = await storage.createMemoryStore({ name: "s" });
    const folder = await storage.folderOf(store.id);
    await mkdir(join(folder, "inbox"));
    await writeFile(join(folder, "inbox", "note.md"), "dropped in by hand\n");
    const [listed] = (await storage.listMemories(store.id)).data;
    expect(listed).toMatchObject({ path: "/inbox/note.md", content: "dropped in by hand\n" });
    const modified = (await stat(join(folder, "inbox", "note.md"))).mtime.toISOString();
    expect(listed?.updated_at).toBe(modified);

    const again = createFsAdapter({ root: base });
    expect((await again.getMemoryByPath(store.id, "/inbox/note.md"))?.id).toBe(listed?.id);
    expect((await again.getMemory(store.id, listed?.id ?? ""))?.path).toBe("/inbox/note.md");
    const updated = await again.updateMemory(store.id, listed?.id ?? "", { content: "now managed\n" });
    expect(updated.id).toBe(listed?.id);
    expect(updated.created_at).toBe(listed?.created_at);
  });

  it("refuses to create a store in a folder that exists, writing nothing into it", async () => {
    const base = await tempDir();
    const existing = join(base, "existing");
    await mkdir(existing);
    await writeFile(join(existing, "mine.md"), "user data");
    const before = await treeSnapshot(existing);
    const storage = createFsAdapter({ root: join(base, "state") });
    expect(await codeOf(storage.createMemoryStoreAt(existing, { name: "x" }))).toBe("invalid_input");
    expect(await treeSnapshot(existing)).toEqual(before);
    expect((await storage.listMemoryStores()).data).toEqual([]);
  });

  it("places a dream's output store where the storeFolder option says", async () => {
    const base = await tempDir();
    const out = join(base, "dream-output");
    const storage = createFsAdapter({
      root: join(base, "state"),
      storeFolder: (input) => (input.metadata.nocturne_dream_id ? out : undefined),
    });
    const plain = await storage.createMemoryStore({ name: "plain" });
    const output = await storage.createMemoryStore({ name: "out", metadata: { nocturne_dream_id: "drm_x" } });
    expect(await storage.folderOf(plain.id)).toBe(join(base, "state", "stores", plain.id));
    expect(await storage.folderOf(output.id)).toBe(out);
  });

  it("deletes the folder of a store it created", async () => {
    const base = await tempDir();
    const storage = createFsAdapter({ root: join(base, "state") });
    const out = join(base, "out");
    const store = await storage.createMemoryStoreAt(out, { name: "x" });
    await storage.createMemory(store.id, { path: "/a.md", content: "a" });
    await storage.deleteMemoryStore(store.id);
    expect(await stat(out).catch(() => null)).toBeNull();
  });

  it("refuses hidden names and names too long for a file with invalid_memory_path", async () => {
    const storage = createFsAdapter({ root: await tempDir() });
    const store = await storage.createMemoryStore({ name: "s" });
    for (const path of ["/.git/config", "/notes/.hidden.md", "/.nocturne/store.json", `/${"n".repeat(256)}`]) {
      expect(await codeOf(storage.createMemory(store.id, { path, content: "" }))).toBe("invalid_memory_path");
    }
    expect(await codeOf(storage.getMemoryByPath(store.id, "/.nocturne/store.json"))).toBe("invalid_memory_path");
    await storage.createMemory(store.id, { path: `/${"n".repeat(255)}`, content: "a name of 255 bytes is fine" });
  });

  it("never writes through a symbolic link, inside the folder or out of it", async () => {
    const base = await tempDir();
    const outside = join(base, "outside");
    await mkdir(outside);
    await writeFile(join(outside, "secret.md"), "outside the store");
    const storage = createFsAdapter({ root: join(base, "state") });
    const store = await storage.createMemoryStore({ name: "s" });
    const folder = await storage.folderOf(store.id);
    await storage.createMemory(store.id, { path: "/real/inside.md", content: "inside" });
    await symlink(outside, join(folder, "escape"));
    await symlink(join(folder, "real"), join(folder, "alias"));
    const before = await treeSnapshot(outside);

    for (const path of ["/escape/new.md", "/escape/secret.md", "/alias/new.md"]) {
      expect(await codeOf(storage.createMemory(store.id, { path, content: "x" }))).toBe("storage_permission_denied");
    }
    expect(
      await codeOf(storage.writeMemories(store.id, [{ op: "upsert", path: "/escape/secret.md", content: "x" }])),
    ).toBe("storage_permission_denied");
    expect(await codeOf(storage.getMemoryByPath(store.id, "/escape/secret.md"))).toBe("storage_permission_denied");
    const aliased = await storage.getMemoryByPath(store.id, "/alias/inside.md");
    expect(aliased?.content).toBe("inside");
    expect(await codeOf(storage.updateMemory(store.id, aliased?.id ?? "", { content: "y" }))).toBe(
      "storage_permission_denied",
    );
    expect(await treeSnapshot(outside)).toEqual(before);
    expect(await readFile(join(folder, "real", "inside.md"), "utf8")).toBe("inside");
  });

  it("keeps sessions and dream records as files under the root, whatever their ids", async () => {
    const base = await tempDir();
    const root = join(base, "state");
    const storage = createFsAdapter({ root });
    const session = {
      id: "../../escape",
      title: null,
      created_at: "2026-03-01T09:30:00Z",
      metadata: {},
      events: [],
    };
    await storage.putSession(session);
    expect(await readdir(base)).toEqual(["state"]);
    expect(await readdir(join(root, "sessions"))).toEqual(["%2E%2E%2F%2E%2E%2Fescape.json"]);
    expect(JSON.parse(await readFile(join(root, "sessions", "%2E%2E%2F%2E%2E%2Fescape.json"), "utf8"))).toEqual(
      session,
    );
  });
});
