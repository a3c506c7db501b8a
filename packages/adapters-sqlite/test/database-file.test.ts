import { createRequire } from "node:module";
import { join } from "node:path";
import { createSqliteAdapter, SCHEMA_VERSION } from "@nocturne/adapters-sqlite";
import { NocturneError } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { useTempDirs } from "../../adapters-fs/test/support/temp-dir.js";
import { prefixEnd } from "../src/prefix-range.js";
import { toStorageError } from "../src/sqlite-errors.js";

const tempDir = useTempDirs("nocturne-sqlite-file");
const Database = createRequire(import.meta.url)("better-sqlite3") as typeof import("better-sqlite3");

async function failure(promise: Promise<unknown>): Promise<NocturneError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!NocturneError.isInstance(error)) throw new Error(`expected a NocturneError, got ${String(error)}`);
  return error;
}

describe("the database file", () => {
  it("is created with its folder, in WAL mode, at the current schema version", async () => {
    const file = join(await tempDir(), "nested", "folder", "nocturne.db");
    const storage = createSqliteAdapter(file);
    await storage.createMemoryStore({ name: "s" });
    await storage.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(raw.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    const tables = raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(["dreams", "memories", "memory_stores", "memory_versions", "session_parts", "sessions"]);
    const plan = raw
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM memories WHERE store_id = ? AND path >= ? AND path < ? ORDER BY path")
      .all("s", "/a/", "/a0") as Array<{ detail: string }>;
    expect(plan.map((step) => step.detail).join(" ")).toContain("USING INDEX memories_store_path");
    raw.close();
  });

  it("reopens without migrating again and keeps the data", async () => {
    const file = join(await tempDir(), "nocturne.db");
    const first = createSqliteAdapter({ file });
    const store = await first.createMemoryStore({ name: "kept" });
    await first.close();
    const second = createSqliteAdapter({ file });
    expect(await second.getMemoryStore(store.id)).toEqual(store);
    await second.close();
  });

  it("refuses a database written by a newer schema", async () => {
    const file = join(await tempDir(), "future.db");
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    let error: unknown;
    try {
      createSqliteAdapter({ file });
    } catch (thrown) {
      error = thrown;
    }
    expect(NocturneError.isInstance(error, "storage_error")).toBe(true);
    expect((error as NocturneError).message).toContain("Upgrade the package");
  });

  it("refuses writes on a read-only connection with storage_permission_denied", async () => {
    const file = join(await tempDir(), "ro.db");
    const writer = createSqliteAdapter({ file });
    const store = await writer.createMemoryStore({ name: "s" });
    await writer.close();
    const reader = createSqliteAdapter({ file, readonly: true });
    expect(await reader.getMemoryStore(store.id)).toMatchObject({ name: "s" });
    const error = await failure(reader.createMemory(store.id, { path: "/a.md", content: "" }));
    expect(error.code).toBe("storage_permission_denied");
    expect(error.details).toMatchObject({ sqlite_code: expect.stringMatching(/^SQLITE_READONLY/) });
    await reader.close();
  });

  it("reports a database that cannot grow as storage_full", async () => {
    const raw = new Database(":memory:");
    raw.exec("CREATE TABLE t (x TEXT)");
    raw.pragma("max_page_count = 2");
    let thrown: unknown;
    try {
      raw.prepare("INSERT INTO t VALUES (?)").run("x".repeat(64 * 1024));
    } catch (error) {
      thrown = error;
    }
    raw.close();
    const mapped = toStorageError(thrown, "write memories", ":memory:");
    expect(mapped.code).toBe("storage_full");
    expect(mapped.cause).toBe(thrown);
  });

  it("names the fix when better-sqlite3's native addon was never built (pnpm 10 skips build scripts)", () => {
    const thrown = new Error(
      "Could not locate the bindings file. Tried:\n → /x/node_modules/better-sqlite3/build/better_sqlite3.node",
    );
    const mapped = toStorageError(thrown, "open the database", "/x/nocturne.db");
    expect(mapped.code).toBe("storage_error");
    expect(mapped.cause).toBe(thrown);
    expect(mapped.message).toContain("pnpm approve-builds");
    expect(mapped.message).toContain("onlyBuiltDependencies");
    expect(mapped.message).not.toContain("build/better_sqlite3.node"); // the long list of paths tried stays in cause
  });

  it("reports a database locked by another connection as storage_busy", async () => {
    const file = join(await tempDir(), "busy.db");
    const storage = createSqliteAdapter({ file, busyTimeoutMs: 20 });
    const store = await storage.createMemoryStore({ name: "s" });
    const other = new Database(file);
    other.exec("BEGIN IMMEDIATE");
    const error = await failure(storage.createMemory(store.id, { path: "/a.md", content: "" }));
    expect(error.code).toBe("storage_busy");
    expect(error.retryable).toBe(true);
    other.exec("ROLLBACK");
    other.close();
    expect((await storage.createMemory(store.id, { path: "/a.md", content: "" })).path).toBe("/a.md");
    await storage.close();
  });
});

describe("prefix ranges", () => {
  it("bound exactly the strings that start with the prefix, in byte order", () => {
    expect(prefixEnd("")).toBeNull();
    expect(prefixEnd("/a/")).toBe("/a0");
    expect(prefixEnd("/caf\u00e9")).toBe("/caf\u00ea");
    expect(prefixEnd("/x\ud7ff")).toBe("/x\ue000");
    expect(prefixEnd("/x\u{10ffff}")).toBe("/y");
    expect(prefixEnd("\u{10ffff}\u{10ffff}")).toBeNull();
  });
});
