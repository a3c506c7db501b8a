import type { SynthesisFact, Tokenizer } from "@nocturne/core";
import { batchMemories, batchSynthesisFacts } from "@nocturne/core/internals";
import { describe, expect, it } from "vitest";

const words: Tokenizer = { count: (text) => text.split(/\s+/).filter(Boolean).length, split: (text) => [text] };

describe("batching model input to the chunk budget", () => {
  it("splits synthesis input into batches within budget, related facts together, nothing lost", () => {
    const facts: SynthesisFact[] = Array.from({ length: 40 }, (_, i) => ({
      key: `k${String(i).padStart(2, "0")}`,
      topic: i % 2 === 0 ? "tooling" : "profile",
      statement: "one two three four five six seven eight",
      kind: "fact",
      evidence: [{ session_id: `s${i % 3}`, event_id: `e${i}` }],
    }));
    const batches = batchSynthesisFacts(facts, words, 200);
    const perFact = 8 + 12 * 3;
    expect(batches.length).toBe(40 / Math.floor(200 / perFact));
    for (const batch of batches) expect(batch.length * perFact).toBeLessThanOrEqual(200);
    expect(
      batches
        .flat()
        .map((f) => f.key)
        .sort(),
    ).toEqual(facts.map((f) => f.key).sort());
    const topicsPerBatch = batches.map((batch) => new Set(batch.map((f) => f.topic)).size);
    expect(topicsPerBatch.every((n) => n === 1)).toBe(true);
  });

  it("groups memories into extraction batches, an oversized memory alone", () => {
    const memory = (id: string, size: number) => ({
      id,
      path: `/${id}.md`,
      content: "w ".repeat(size),
      updatedAt: "2026-01-01T00:00:00.000Z",
    });
    const batches = batchMemories([memory("a", 30), memory("b", 30), memory("big", 500), memory("c", 10)], words, 100);
    expect(batches.map((batch) => batch.map((m) => m.id))).toEqual([["a", "b"], ["big"], ["c"]]);
  });
});
