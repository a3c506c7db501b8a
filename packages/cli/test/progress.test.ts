import type { DreamEvent } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { createProgress } from "../src/progress.js";

const base = { dream_id: "drm_1", at: "2026-11-01T00:00:00.000Z" };
const events: DreamEvent[] = [
  { ...base, seq: 0, type: "stage", stage: "extract" },
  { ...base, seq: 1, type: "chunk", chunk_key: "s#0", session_id: "s\u001b[31m", done: 1, total: 2, facts: 3 },
  {
    ...base,
    seq: 2,
    type: "usage",
    usage: { input_tokens: 12_400, output_tokens: 800, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  },
  { ...base, seq: 3, type: "memory.written", memory_id: "mem_1", path: "/profile.md" },
];

function capture(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, columns: 200, write: (text: string) => writes.push(text) }, writes };
}

describe("progress display", () => {
  it("rewrites one live line on a terminal: stage, chunks done/total, tokens, elapsed", () => {
    const { stream, writes } = capture(true);
    const progress = createProgress(stream);
    for (const event of events) progress.update(event);
    progress.stop();
    const last = writes.at(-2) ?? "";
    expect(last.startsWith("\r\u001b[2K")).toBe(true);
    expect(last).toMatch(/extract\s+chunks 1\/2 {2}facts 3 {2}written 1 {2}tokens 12k in \/ 800 out {2}00:00$/);
    expect(writes.at(-1)).toBe("\n");
  });

  it("prints plain lines elsewhere, with terminal escapes from transcripts neutralized", () => {
    const { stream, writes } = capture(false);
    const progress = createProgress(stream);
    for (const event of events) progress.update(event);
    progress.stop();
    expect(writes).toEqual([
      "[00:00] stage extract\n",
      "[00:00] chunk 1/2 of s?[31m: 3 facts\n",
      "[00:00] wrote /profile.md\n",
      "[00:00] tokens 12400 in / 800 out · 3 facts · 1 memories written\n",
    ]);
  });
});
