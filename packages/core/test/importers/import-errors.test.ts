import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  importTranscript,
  importTranscriptFile,
  listTranscriptFiles,
  NocturneError,
  type Session,
} from "@nocturne/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const FIXTURES = join(import.meta.dirname, "fixtures");

function caught(run: () => unknown): NocturneError {
  try {
    run();
  } catch (error) {
    if (NocturneError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected an error");
}

async function caughtAsync(run: () => Promise<unknown>): Promise<NocturneError> {
  try {
    await run();
  } catch (error) {
    if (NocturneError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected an error");
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nocturne-import-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("broken transcripts name the file and line", () => {
  it("stops at a truncated Claude Code line, or skips it with a warning when asked", async () => {
    const file = join(FIXTURES, "claude-code-broken.jsonl");
    const error = await caughtAsync(() => importTranscriptFile(file));
    expect(error.code).toBe("transcript_parse_error");
    expect(error.details).toMatchObject({ file, line: 3, reason: "invalid_line" });
    expect(error.message).toContain(`${file}:3:`);
    expect(error.message).toMatch(/Fix or delete that line/);

    const lenient = await importTranscriptFile(file, { onInvalidLine: "warn" });
    expect(lenient.warnings.map((warning) => warning.line)).toEqual([3, 6]);
    expect(lenient.warnings[0]?.message).toMatch(/not valid JSON.*skipped/);
    expect(lenient.warnings[1]?.message).toContain('unknown Claude Code line type "progress"');
    expect(lenient.session.title).toBe("Fix the flaky retry test");
    expect(lenient.session.events.map((event) => event.type)).toEqual([
      "user.message",
      "agent.tool_use",
      "agent.tool_result",
      "user.message",
    ]);
  });

  it("names the line of a hosted list item that is not an event", async () => {
    const file = join(FIXTURES, "hosted-broken.events.json");
    const error = await caughtAsync(() => importTranscriptFile(file));
    expect(error.details).toMatchObject({ line: 9, reason: "invalid_line" });
    const lenient = await importTranscriptFile(file, { onInvalidLine: "warn" });
    expect(lenient.session.events.map((event) => event.id)).toEqual(["sevt_01a", "sevt_01c"]);
    expect(lenient.warnings).toHaveLength(1);
  });

  it("names the line of a JSON syntax error", async () => {
    const error = await caughtAsync(() => importTranscriptFile(join(FIXTURES, "hosted-trailing-comma.events.txt")));
    expect(error.details).toMatchObject({ line: 7, reason: "invalid_json" });
  });

  it("names the line of an OpenAI message without a role", async () => {
    const error = await caughtAsync(() => importTranscriptFile(join(FIXTURES, "openai-missing-role.openai.json")));
    expect(error.details).toMatchObject({ line: 4, reason: "invalid_line" });
  });

  it("names the line of a session event that does not fit its type", async () => {
    const error = await caughtAsync(() => importTranscriptFile(join(FIXTURES, "nocturne-bad-event.session.json")));
    expect(error.details).toMatchObject({ line: 13, reason: "invalid_event" });
    expect(error.message).toContain("sevt_bad (agent.tool_use)");
  });

  it("rejects invalid UTF-8 and names the first bad line", async () => {
    const file = join(dir, "latin1.jsonl");
    const good = await readFile(join(FIXTURES, "claude-code-broken.jsonl"), "utf8");
    const first = good.split("\n").slice(0, 2).join("\n");
    await writeFile(
      file,
      Buffer.concat([Buffer.from(`${first}\n`), Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d, 0x0a])]),
    );
    const error = await caughtAsync(() => importTranscriptFile(file));
    expect(error.details).toMatchObject({ line: 3, reason: "invalid_utf8" });
    expect(error.message).toMatch(/UTF-8/);
  });

  it("rejects empty transcripts", () => {
    for (const text of ["", "  \n\n", "[]", '{"data": []}', '{"messages": []}']) {
      const error = caught(() =>
        importTranscript(text, { fileName: "empty.json", sessionTime: "2026-01-01T00:00:00Z" }),
      );
      expect(error.details, text).toMatchObject({ reason: "empty", file: "empty.json" });
    }
  });

  it("rejects a 20 MB single message and says what to do", () => {
    const huge = "x".repeat(20 * 1024 * 1024);
    const text = [JSON.stringify({ role: "user", content: "hello" }), JSON.stringify({ role: "user", content: huge })];
    const error = caught(() =>
      importTranscript(`[\n${text.join(",\n")}\n]`, { fileName: "big.json", sessionTime: "2026-01-01T00:00:00Z" }),
    );
    expect(error.details).toMatchObject({ reason: "event_too_large", line: 3 });
    expect(error.message).toMatch(/20\.0 MB.*Trim it/);
  });

  it("refuses OpenAI messages with no time to go by", () => {
    const error = caught(() => importTranscript('[{"role":"user","content":"hi"}]', { fileName: "chat.json" }));
    expect(error.details).toMatchObject({ reason: "missing_time" });
  });

  it("refuses content it does not recognise", () => {
    const error = caught(() => importTranscript('{"hello": "world"}', { fileName: "x.json" }));
    expect(error.details).toMatchObject({ reason: "unknown_format" });
    expect(caught(() => importTranscript("plain text notes\n", { fileName: "x.txt" })).details).toMatchObject({
      reason: "invalid_json",
      line: 1,
    });
  });

  it("keeps going past lossy parts with warnings", () => {
    const text = JSON.stringify([
      { role: "user", content: "run it" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "run", arguments: "{oops" } }],
      },
      { role: "tool", tool_call_id: "call_1", content: "done" },
    ]);
    const result = importTranscript(text, { fileName: "chat.json", sessionTime: "2026-01-01T00:00:00Z" });
    expect(result.warnings).toEqual([
      { file: "chat.json", line: 1, message: "tool call arguments are not valid JSON; kept as text" },
    ]);
    const use = result.session.events.find((event) => event.type === "agent.tool_use");
    expect(use && "input" in use && use.input).toEqual({ arguments: "{oops" });
  });
});

describe("round trips and file listing", () => {
  it("reads its own session JSON back unchanged", () => {
    const session: Session = {
      id: "sesn_roundtrip01",
      title: "Round trip",
      created_at: "2026-02-01T10:00:00.000Z",
      metadata: { team: "payments" },
      events: [
        {
          id: "e1",
          type: "user.message",
          processed_at: "2026-02-01T10:00:00.000Z",
          content: [{ type: "text", text: "hi" }],
        },
        {
          id: "e2",
          type: "agent.tool_use",
          processed_at: "2026-02-01T10:00:01.000Z",
          name: "bash",
          input: { cmd: "ls" },
        },
        {
          id: "e3",
          type: "agent.tool_result",
          processed_at: "2026-02-01T10:00:02.000Z",
          tool_use_id: "e2",
          content: "a\nb",
        },
        {
          id: "e4",
          type: "session.status_idle",
          processed_at: "2026-02-01T10:00:03.000Z",
          stop_reason: { type: "end_turn" },
        },
      ],
    };
    const result = importTranscript(JSON.stringify(session), { fileName: "rt.json" });
    expect(result.format).toBe("nocturne-session");
    expect(result.session).toEqual({
      ...session,
      metadata: {
        team: "payments",
        source_format: "nocturne-session",
        source_file: "rt.json",
        time_source: "transcript",
      },
    });
  });

  it("lists transcript files in folders, sorted, skipping hidden and other files", async () => {
    const root = join(dir, "listing");
    await mkdir(join(root, "b"), { recursive: true });
    await mkdir(join(root, ".cache"), { recursive: true });
    for (const name of ["z.json", "a.jsonl", "notes.md", ".hidden.json", "b/c.ndjson", ".cache/x.json"]) {
      await writeFile(join(root, name), "{}");
    }
    expect(await listTranscriptFiles([root, join(root, "z.json")])).toEqual([
      join(root, "a.jsonl"),
      join(root, "b/c.ndjson"),
      join(root, "z.json"),
    ]);
    const missing = await caughtAsync(() => listTranscriptFiles([join(root, "nope")]));
    expect(missing.code).toBe("invalid_input");
    expect(missing.message).toContain("no such file or folder");
  });
});
