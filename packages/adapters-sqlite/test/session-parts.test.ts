import { readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { createSqliteAdapter, MIGRATIONS } from "@nocturne/adapters-sqlite";
import { type SessionEvent, sessionWriterFor } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { runScript } from "../../adapters-fs/test/support/child.js";
import { useTempDirs } from "../../adapters-fs/test/support/temp-dir.js";

const tempDir = useTempDirs("nocturne-sqlite-parts");
const CHILD = new URL("./fixtures/session-writer-child.ts", import.meta.url).pathname;
const Database = createRequire(import.meta.url)("better-sqlite3") as typeof import("better-sqlite3");

const header = (id: string) => ({ id, title: null, created_at: "2026-03-01T09:30:00Z", metadata: {} });
const events = (count: number, prefix = "evt"): SessionEvent[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `${prefix}_${i}`,
    type: "agent.message" as const,
    processed_at: "2026-03-01T09:30:00.000Z",
    content: [{ type: "text", text: `${prefix} ${i}` }],
  }));

function partRows(file: string): number {
  const raw = new Database(file, { readonly: true });
  try {
    return raw.prepare("SELECT count(*) FROM session_parts").pluck().get() as number;
  } finally {
    raw.close();
  }
}

describe("sessions written in parts on SQLite", () => {
  it("stage without locking the database, and leave nothing when the writer is killed before commit", async () => {
    const dir = await tempDir();
    const file = join(dir, "nocturne.db");
    const storage = createSqliteAdapter({ file, busyTimeoutMs: 200 });
    const child = runScript(CHILD, [file]);
    await child.waitForLine((line) => line === "staged");
    await storage.putSession({ ...header("sesn_other"), events: events(2) });
    expect(await storage.getSession("sesn_killed")).toBeNull();
    child.process.kill("SIGKILL");
    expect((await child.exited).signal, child.stderr()).toBe("SIGKILL");
    expect(await storage.getSession("sesn_killed")).toBeNull();
    expect((await storage.listSessions()).data.map((summary) => summary.id)).toEqual(["sesn_other"]);
    await storage.close();
    expect(partRows(file)).toBe(0);
    expect((await readdir(dir)).filter((name) => !name.startsWith("nocturne.db"))).toEqual([]);
  });

  it("keep no parts of a session once it is replaced or deleted", async () => {
    const file = join(await tempDir(), "nocturne.db");
    const storage = createSqliteAdapter({ file });
    const write = async (count: number, prefix: string) => {
      const writer = await sessionWriterFor(storage);
      await writer.append(events(count, prefix));
      await writer.commit(header("sesn_cycle"));
    };
    await write(2_500, "first");
    expect(partRows(file)).toBe(3);
    await write(1_200, "second");
    expect(partRows(file)).toBe(2);
    expect((await storage.getSession("sesn_cycle"))?.events).toEqual(events(1_200, "second"));
    await storage.putSession({ ...header("sesn_cycle"), events: events(3, "whole") });
    expect(partRows(file)).toBe(0);
    await write(1_001, "third");
    await storage.deleteSession("sesn_cycle");
    expect(partRows(file)).toBe(0);
    const aborted = await sessionWriterFor(storage);
    await aborted.append(events(2_000, "aborted"));
    await aborted.abort();
    expect(partRows(file)).toBe(0);
    await storage.close();
  });

  it("migrate a version 2 database, whose sessions read back as they were", async () => {
    const file = join(await tempDir(), "old.db");
    const raw = new Database(file);
    for (const step of MIGRATIONS.slice(0, 2)) raw.exec(step);
    raw.pragma("user_version = 2");
    const old = { ...header("sesn_old"), events: events(3) };
    raw
      .prepare("INSERT INTO sessions (id, title, created_at, event_count, body) VALUES (?, ?, ?, ?, ?)")
      .run(old.id, old.title, old.created_at, 3, JSON.stringify(old));
    raw.close();
    const storage = createSqliteAdapter({ file });
    expect(await storage.getSession("sesn_old")).toEqual(old);
    await storage.close();
  });
});
