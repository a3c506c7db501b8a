import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createInMemoryAdapter,
  importTranscript,
  importTranscriptFile,
  NocturneError,
  type SessionWriter,
  type StorageAdapter,
  stageTranscriptFile,
  storeTranscriptFile,
} from "@nocturne/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nocturne-stream-import-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A Claude Code transcript over 8 MiB (so it is streamed): multibyte text, a summary, repeats, bookkeeping. */
function bigTranscript(options: { sessionId?: boolean; extra?: string[] } = {}): string {
  const rows: string[] = [JSON.stringify({ type: "summary", summary: "Ünïcödé session ☕", leafUuid: "x" })];
  const start = Date.parse("2026-01-01T00:00:00Z");
  for (let index = 0; index < 52_000; index++) {
    const role = index % 2 === 0 ? "user" : "assistant";
    rows.push(
      JSON.stringify({
        type: role,
        uuid: `u-${index}`,
        ...(options.sessionId === false ? {} : { sessionId: "sess-stream" }),
        timestamp: new Date(start + index * 1000).toISOString(),
        isSidechain: index % 97 === 0,
        message: { role, content: `${role === "user" ? "ok" : "done"} ${index} — ☕ü漢字🙂 ${"x".repeat(index % 40)}` },
      }),
    );
    if (index % 1000 === 0) rows.push(JSON.stringify({ type: "file-history-snapshot", snapshot: {} }));
    if (index % 5000 === 1) rows.push(rows[rows.length - 1] ?? "");
  }
  rows.push(...(options.extra ?? []));
  return `\uFEFF${rows.join("\n")}\n`;
}

async function both(name: string, text: string | Buffer) {
  const file = join(dir, name);
  await writeFile(file, text);
  const bytes = await readFile(file);
  expect(bytes.length).toBeGreaterThan(8 * 1024 * 1024);
  const streamed = await importTranscriptFile(file).then(
    (value) => value,
    (error: unknown) => error,
  );
  const { mtime } = await import("node:fs/promises").then((fs) => fs.stat(file));
  const whole = (() => {
    try {
      return importTranscript(bytes, { fileName: file, fileModifiedAt: mtime });
    } catch (error) {
      return error;
    }
  })();
  return { streamed, whole };
}

describe("a large Claude Code transcript is imported as a stream", () => {
  it("with exactly the result of reading it whole (session, metadata, warnings, fallback id)", async () => {
    for (const sessionId of [true, false]) {
      const { streamed, whole } = await both(`big-${sessionId}.jsonl`, bigTranscript({ sessionId }));
      expect(NocturneError.isInstance(streamed)).toBe(false);
      expect(streamed).toEqual(whole);
    }
  });

  it("with the same typed errors: a broken line, JSON nested too deep, bytes that are not UTF-8", async () => {
    const broken = await both("broken.jsonl", bigTranscript({ extra: ['{"type": "user", "uuid"'] }));
    expect(broken.streamed).toMatchObject({ code: "transcript_parse_error", details: { reason: "invalid_line" } });
    expect(broken.streamed).toEqual(broken.whole);

    const deep = `{"type":"user","uuid":"d","timestamp":"2026-02-01T00:00:00Z","message":{"role":"user","content":${"[".repeat(600)}${"]".repeat(600)}}}`;
    const tooDeep = await both("deep.jsonl", bigTranscript({ extra: [deep] }));
    expect(tooDeep.streamed).toMatchObject({ code: "transcript_parse_error", details: { reason: "too_deep" } });
    expect((tooDeep.streamed as NocturneError).details.line).toBe((tooDeep.whole as NocturneError).details.line);

    const text = Buffer.from(bigTranscript());
    const latin1 = Buffer.concat([text.subarray(0, 5_000_000), Buffer.from([0xff, 0xfe]), text.subarray(5_000_000)]);
    const invalid = await both("latin1.jsonl", latin1);
    expect(invalid.streamed).toMatchObject({ code: "transcript_parse_error", details: { reason: "invalid_utf8" } });
    expect(invalid.streamed).toEqual(invalid.whole);
  });
});

/** The in-memory adapter, counting the events each append of its session writers carried. */
function countingStorage(): { storage: StorageAdapter; appends: number[] } {
  const storage = createInMemoryAdapter();
  const appends: number[] = [];
  const open = storage.openSessionWriter.bind(storage);
  storage.openSessionWriter = async (): Promise<SessionWriter> => {
    const writer = await open();
    return {
      append: (events) => {
        appends.push(events.length);
        return writer.append(events);
      },
      commit: (header) => writer.commit(header),
      abort: () => writer.abort(),
    };
  };
  return { storage, appends };
}

describe("a large Claude Code transcript stored as it is read (storeTranscriptFile)", () => {
  it("stores exactly the session of reading it whole, in batches, visible only at commit", async () => {
    const file = join(dir, "stored.jsonl");
    await writeFile(file, bigTranscript());
    const whole = await importTranscriptFile(file);
    const { storage, appends } = countingStorage();
    const staged = await stageTranscriptFile(storage, file);
    expect(appends.length).toBeGreaterThan(5);
    expect(appends.reduce((sum, count) => sum + count, 0)).toBe(whole.session.events.length);
    expect(Math.max(...appends)).toBeLessThan(whole.session.events.length / 5);
    expect(await storage.getSession(whole.session.id)).toBeNull();
    const { events: _events, ...header } = whole.session;
    expect(staged).toMatchObject({
      session: header,
      eventCount: whole.session.events.length,
      warnings: whole.warnings,
    });
    expect(await staged.commit()).toEqual({
      id: header.id,
      title: header.title,
      created_at: header.created_at,
      event_count: whole.session.events.length,
    });
    const read = await storage.getSession(whole.session.id);
    expect(read).toEqual(whole.session);
    const reference = createInMemoryAdapter();
    await reference.putSession(whole.session);
    const same = JSON.stringify(read) === JSON.stringify(await reference.getSession(whole.session.id));
    expect(same, "stored JSON differs from the session put whole").toBe(true);
  });

  it("leaves nothing stored when the file turns out broken midway, and stores small files whole", async () => {
    const file = join(dir, "stored-broken.jsonl");
    await writeFile(file, bigTranscript({ extra: ['{"type": "user", "uuid"'] }));
    const { storage, appends } = countingStorage();
    const failed = await storeTranscriptFile(storage, file).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failed).toMatchObject({ code: "transcript_parse_error", details: { reason: "invalid_line" } });
    expect(appends.length).toBeGreaterThan(5);
    expect((await storage.listSessions()).data).toEqual([]);

    const small = join(dir, "small.jsonl");
    await writeFile(small, bigTranscript().split("\n").slice(0, 40).join("\n"));
    const stored = await storeTranscriptFile(storage, small);
    expect(await storage.getSession(stored.session.id)).toEqual((await importTranscriptFile(small)).session);
  });
});
