import { createInMemoryAdapter, createNocturne, readAllMemories, type Session, type Tokenizer } from "@nocturne/core";
import { CONSOLIDATION_OUTPUT_NAMES, chunkTranscript, LINE_OVERHEAD_TOKENS } from "@nocturne/core/internals";
import { createScriptedLanguageModel } from "@nocturne/testing";
import { describe, expect, it } from "vitest";
import { packSessions } from "../../src/pipeline/pack-sessions.js";
import { sessionOf, storeWith } from "../helpers/fixtures.js";
import { ruleScript } from "../helpers/rule-script.js";

const words: Tokenizer = {
  count: (text) => text.split(/\s+/).filter(Boolean).length,
  split: (text, max) => {
    const all = text.split(/\s+/).filter(Boolean);
    const parts: string[] = [];
    for (let start = 0; start < all.length; start += max) parts.push(all.slice(start, start + max).join(" "));
    return parts;
  },
};

/** A session of user messages with these ids, each `size` words long. */
function session(id: string, eventIds: string[], size: number): Session {
  return {
    id,
    title: null,
    created_at: "2026-01-05T09:00:00.000Z",
    metadata: {},
    events: eventIds.map((eventId) => ({
      id: eventId,
      type: "user.message" as const,
      processed_at: "2026-01-05T09:00:00.000Z",
      content: [{ type: "text" as const, text: "word ".repeat(size).trim() }],
    })),
  };
}

describe("packSessions", () => {
  it("packs small sessions whole, in order, up to the budget; split sessions and clashing event ids stay apart", () => {
    const budget = 100;
    const sessions = [
      session("a", ["a1", "a2"], 4),
      session("b", ["b1"], 4),
      session("c", ["x1"], 4),
      session("big", ["g1", "g2", "g3", "g4"], 40),
      session("d", ["x1"], 4),
      session("e", ["e1"], 4),
    ];
    const chunks = packSessions(
      sessions.map((s) => chunkTranscript(s, words, budget)),
      budget,
    );

    expect(chunks.map((chunk) => chunk.key)).toEqual(["big#0", "big#1", "big#2", "big#3", "a#0+2", "d#0+1"]);
    expect(chunks.map((chunk) => [...new Set(chunk.lines.map((line) => line.sessionId))])).toEqual([
      ["big"],
      ["big"],
      ["big"],
      ["big"],
      ["a", "b", "c"],
      ["d", "e"],
    ]);
    const packed = chunks[4];
    expect(packed?.sessionId).toBe("a");
    expect(packed?.tokens).toBe(4 * (4 + LINE_OVERHEAD_TOKENS) + 3 * LINE_OVERHEAD_TOKENS);
    expect(packed?.tokens).toBe(budget);
    for (const chunk of chunks) expect(chunk.tokens).toBeLessThanOrEqual(budget);
  });
});

describe("a dream over small sessions", () => {
  it("reads them in one extraction call, and every fact still cites its own session's events", async () => {
    const storage = createInMemoryAdapter();
    const storeId = await storeWith(storage, { "/profile.md": "# Profile\n\n- I live in Berlin\n" });
    const sessions = [
      sessionOf("sesn_a", 10, ["Quick note: I prefer tabs, as before.", "The flaky login test failed again."]),
      sessionOf("sesn_b", 20, ["Big news, I moved to Lisbon last week!", "Ugh, flaky login test again."]),
      sessionOf("sesn_c", 30, ["By the way, we use pnpm for packages."]),
    ];
    for (const s of sessions) await storage.putSession(s);
    const model = createScriptedLanguageModel({ script: ruleScript });
    const nocturne = createNocturne({ storage, model });

    const created = await nocturne.dreams.create({
      inputs: [
        { type: "memory_store", memory_store_id: storeId },
        { type: "sessions", session_ids: sessions.map((s) => s.id) },
      ],
    });
    const dream = await nocturne.dreams.wait(created.id);
    expect(dream.status).toBe("completed");

    const transcriptCalls = model.calls.filter(
      (call) =>
        call.request.output?.name === CONSOLIDATION_OUTPUT_NAMES.extract &&
        call.request.messages[0]?.content.includes("<transcript "),
    );
    expect(transcriptCalls).toHaveLength(1);
    const prompt = transcriptCalls[0]?.request.messages[0]?.content ?? "";
    expect(prompt).toContain("it holds several sessions, one <transcript> block each");
    expect(prompt.match(/<transcript session_id="(sesn_\w)"/g)).toEqual([
      '<transcript session_id="sesn_a"',
      '<transcript session_id="sesn_b"',
      '<transcript session_id="sesn_c"',
    ]);

    const report = await nocturne.dreams.report(created.id);
    expect(report?.sessions.map((s) => [s.sessionId, s.chunks, s.facts])).toEqual([
      ["sesn_a", 1, 2],
      ["sesn_b", 1, 2],
      ["sesn_c", 1, 1],
    ]);
    const output = await readAllMemories(storage, dream.outputs[0]?.memory_store_id ?? "");
    const sources = output.flatMap((memory) =>
      (memory.lineage?.facts ?? []).map((fact) => [
        fact.line,
        fact.sources.map((s) => `${s.session_id}/${s.event_id}`),
      ]),
    );
    expect(sources).toEqual(
      expect.arrayContaining([
        ["User lives in Lisbon.", ["sesn_b/sesn_b_u0"]],
        ["The team uses pnpm as package manager.", ["sesn_c/sesn_c_u0"]],
      ]),
    );
    await nocturne.close();
  });
});
