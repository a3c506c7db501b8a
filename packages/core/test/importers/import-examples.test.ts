import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { importTranscriptFile, listTranscriptFiles, Session, type SessionEvent } from "@nocturne/core";
import { describe, expect, it } from "vitest";

const SESSIONS = join(import.meta.dirname, "../../../../examples/data/sessions");

function texts(events: SessionEvent[], type: string): string[] {
  return events
    .filter((event) => event.type === type)
    .flatMap((event) => ("content" in event && Array.isArray(event.content) ? event.content : []))
    .flatMap((block) => (block.type === "text" && "text" in block ? [String(block.text)] : []));
}

describe("importing the example transcripts", () => {
  it("reads all twelve files in the four formats, each a valid session", async () => {
    const files = await listTranscriptFiles([SESSIONS]);
    expect(files).toHaveLength(12);
    const results = await Promise.all(files.map((file) => importTranscriptFile(file)));
    const formats = results.map((result) => result.format);
    expect(new Set(formats)).toEqual(
      new Set(["nocturne-session", "hosted-events", "claude-code-jsonl", "openai-messages"]),
    );
    for (const result of results) {
      expect(Session.safeParse(result.session).success).toBe(true);
      expect(result.warnings).toEqual([]);
      expect(result.session.metadata.source_format).toBe(result.format);
    }
    expect(new Set(results.map((result) => result.session.id)).size).toBe(12);
  });

  it("reads Claude Code JSONL: summary as title, sidechain prompts as the agent's words, resumed lines once", async () => {
    const { session, format } = await importTranscriptFile(
      join(SESSIONS, "2026-09-12-integration-tests.claude-code.jsonl"),
    );
    expect(format).toBe("claude-code-jsonl");
    expect(session.id).toBe("4036ff1d-7122-4757-aa1a-45afd9c1a370");
    expect(session.title).toBe("Integration tests failing with ECONNREFUSED on port 5433");
    const user = texts(session.events, "user.message");
    expect(user[0]).toContain("ECONNREFUSED 127.0.0.1:5433");
    expect(user.some((text) => text.startsWith("Search the repository"))).toBe(false);
    expect(texts(session.events, "agent.message")).toContain(
      "Search the repository for where the integration test database port 5433 is configured and report the files.",
    );
    expect(texts(session.events, "system.message")[0]).toMatch(/^Caveat:/);
    expect(texts(session.events, "agent.thinking")).toHaveLength(1);
    expect(session.metadata.repeated_lines).toBe("2");
    expect(session.metadata.bookkeeping_lines).toBe("1");
    const lines = (await readFile(join(SESSIONS, "2026-09-12-integration-tests.claude-code.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { uuid?: string });
    const uuids = lines.flatMap((line) => (line.uuid ? [line.uuid] : []));
    expect(uuids.length - new Set(uuids).size).toBe(2);
    const ids = session.events.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("pairs every tool result with its call, in every format", async () => {
    let paired = 0;
    for (const file of await listTranscriptFiles([SESSIONS])) {
      const { session } = await importTranscriptFile(file);
      const calls = new Set(session.events.filter((event) => event.type.endsWith("tool_use")).map((event) => event.id));
      const results = session.events.filter((event) => event.type.endsWith("tool_result"));
      for (const result of results) {
        expect(calls.has(String((result as { tool_use_id: string }).tool_use_id)), `${file} ${result.id}`).toBe(true);
        paired++;
      }
    }
    expect(paired).toBeGreaterThan(20);
  });

  it("maps hosted MCP and custom tool results onto tool_use_id", async () => {
    const { session } = await importTranscriptFile(join(SESSIONS, "2026-10-23-rounding-bug.events.json"));
    const custom = session.events.find((event) => event.type === "user.custom_tool_result");
    const call = session.events.find((event) => event.type === "agent.custom_tool_use");
    expect(custom && "tool_use_id" in custom && custom.tool_use_id).toBe(call?.id);
    expect(session.title).toBe("2026-10-23-rounding-bug");
    expect(session.created_at).toBe("2026-10-23T14:00:01.425Z");
  });

  it("times OpenAI messages by the file's modification time and says so", async () => {
    const file = join(SESSIONS, "webhook-retries.openai.json");
    const { session, timeSource } = await importTranscriptFile(file);
    expect(timeSource).toBe("file_mtime");
    expect(session.metadata.time_source).toBe("file_mtime");
    expect(session.created_at).toBe((await stat(file)).mtime.toISOString());
    const explicit = await importTranscriptFile(file, { sessionTime: "2026-10-30T09:00:00Z" });
    expect(explicit.timeSource).toBe("option");
    expect(explicit.session.created_at).toBe("2026-10-30T09:00:00.000Z");
    expect(explicit.session.events.map((event) => event.processed_at)).toEqual(
      [...explicit.session.events.keys()].map((i) => new Date(Date.parse("2026-10-30T09:00:00Z") + i).toISOString()),
    );
    const use = explicit.session.events.find((event) => event.type === "agent.tool_use");
    expect(use && "input" in use && use.input).toEqual({ path: "src/webhooks/stripe.ts" });
  });
});
