import type { Session, Tokenizer } from "@nocturne/core";
import { createTiktokenTokenizer } from "@nocturne/core";
import { chunkTranscript } from "@nocturne/core/internals";
import { describe, expect, it } from "vitest";

const tokenizer = createTiktokenTokenizer();
const at = "2026-01-05T09:00:00.000Z";

function message(id: string, text: string, type: "user.message" | "agent.message" = "user.message") {
  return { id, type, processed_at: at, content: [{ type: "text" as const, text }] };
}

function session(events: Session["events"]): Session {
  return { id: "sesn_1", title: null, created_at: at, metadata: {}, events };
}

describe("chunkTranscript", () => {
  it("keeps every chunk within the token budget and every event id, in order", () => {
    const events = Array.from({ length: 60 }, (_, i) => message(`e${i}`, `message number ${i} ${"word ".repeat(30)}`));
    const chunks = chunkTranscript(session(events), tokenizer, 200);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.tokens).toBeLessThanOrEqual(200);
    expect(chunks.flatMap((chunk) => chunk.lines.map((line) => line.eventId))).toEqual(events.map((e) => e.id));
    expect(chunks.map((chunk) => chunk.key)).toEqual(chunks.map((_, i) => `sesn_1#${i}`));
  });

  it("never separates a tool call from its result when they fit together", () => {
    const filler = (i: number) => message(`f${i}`, "filler ".repeat(40));
    const events: Session["events"] = [
      filler(0),
      filler(1),
      { id: "tu1", type: "agent.tool_use", processed_at: at, name: "read_file", input: { path: "a.ts" } },
      filler(2),
      { id: "tr1", type: "agent.tool_result", processed_at: at, tool_use_id: "tu1", content: "file body ".repeat(20) },
      filler(3),
    ];
    for (const budget of [140, 180, 260, 400]) {
      const chunks = chunkTranscript(session(events), tokenizer, budget);
      const chunkOf = (id: string) => chunks.findIndex((chunk) => chunk.lines.some((line) => line.eventId === id));
      expect(chunkOf("tu1")).toBe(chunkOf("tr1"));
    }
  });

  it("splits an oversized event into parts that lose nothing and keep the event id", () => {
    const text = Array.from({ length: 2000 }, (_, i) => `token${i} ünïcödé 🚀`).join(" ");
    const chunks = chunkTranscript(session([message("big", text), message("small", "hi")]), tokenizer, 300);
    const parts = chunks.flatMap((chunk) => chunk.lines).filter((line) => line.eventId === "big");
    expect(parts.length).toBeGreaterThan(10);
    expect(parts.map((line) => line.part)).toEqual(parts.map((_, i) => i));
    expect(parts.map((line) => line.text).join("")).toBe(text);
    for (const chunk of chunks) expect(chunk.tokens).toBeLessThanOrEqual(300);
  });

  it("reads messages and tool traffic, and skips events the pipeline does not read", () => {
    const events: Session["events"] = [
      message("u", "I prefer tabs"),
      { id: "s", type: "session.status_idle", processed_at: at },
      { id: "t", type: "agent.thinking", processed_at: at, content: [{ type: "text", text: "hmm" }] },
      {
        id: "tr",
        type: "agent.tool_result",
        processed_at: at,
        tool_use_id: "nope",
        content: [{ type: "text", text: "boom" }],
        is_error: true,
      },
    ];
    const lines = chunkTranscript(session(events), tokenizer, 1000).flatMap((chunk) => chunk.lines);
    expect(lines.map((line) => [line.eventId, line.role, line.text])).toEqual([
      ["u", "user", "I prefer tabs"],
      ["tr", "tool", "error: boom"],
    ]);
  });

  it("uses whatever tokenizer it is given", () => {
    const words: Tokenizer = { count: (text) => text.split(/\s+/).filter(Boolean).length, split: (text) => [text] };
    const chunks = chunkTranscript(session([message("a", "one two three"), message("b", "four five")]), words, 20);
    expect(chunks).toHaveLength(2);
    expect(chunks[0]?.tokens).toBe(15);
  });
});
