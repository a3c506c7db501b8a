import {
  type Chunk,
  createOfflineConsolidationModel,
  ExtractedFact,
  JudgeVerdict,
  NocturneError,
  ProposedInsight,
  type SynthesisFact,
} from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { callContext, chunkOf, line, memory } from "./support.js";

/** A small deterministic PRNG (mulberry32) so the generated corpus is the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  "Remember that I prefer tabs.",
  "from now on use pnpm",
  "We switched to Vitest from Jest.",
  "I moved to Lisbon last week.",
  "can you look at the failing test?",
  "today the build failed again with ECONNREFUSED",
  "Never push to main on Fridays.",
  "ok thanks",
  "my timezone is Europe/Berlin",
  "Here is the diff, please review it carefully and tell me what you think about the approach overall.",
  "TypeError: x is not a function\n    at run (/app/src/run.ts:3:9)",
  "```\nwe use yarn\n```",
  "> I prefer spaces",
  "Keep your answers short, and always cite the file you changed.",
];

function generatedChunk(seed: number, sessionId: string, events: number): Chunk {
  const next = random(seed);
  const lines = Array.from({ length: events }, (_, index) => {
    const parts = Array.from({ length: 1 + Math.floor(next() * 4) }, () => PIECES[Math.floor(next() * PIECES.length)]);
    const role = next() < 0.6 ? "user" : next() < 0.5 ? "agent" : "tool";
    return line(sessionId, index, parts.join(next() < 0.5 ? " " : "\n"), role);
  });
  return chunkOf(sessionId, lines);
}

describe("offline model: the ConsolidationModel contract", () => {
  it("is offline, named 'offline', and never reports usage", async () => {
    const model = createOfflineConsolidationModel();
    expect(model.id).toBe("offline");
    expect(model.offline).toBe(true);
    const context = callContext();
    const facts = await model.extract({ type: "transcript", chunk: generatedChunk(1, "sesn_u", 30) }, context);
    await model.extract({ type: "memories", memories: [memory("mem_1", "/a.md", "- I prefer tabs")] }, context);
    await model.judge(
      [{ id: "p", left: { key: "a", statements: ["x y"] }, right: { key: "b", statements: ["x z"] } }],
      context,
    );
    await model.synthesize([], context);
    expect(facts.length).toBeGreaterThan(0);
    expect(context.usageCalls).toEqual([]);
  });

  it("rejects unknown or out-of-range options with invalid_input", () => {
    const bad = [{ maxInsights: -1 }, { recurringProblemSessions: 1 }, { temperature: 0 } as never];
    for (const options of bad) {
      let error: unknown;
      try {
        createOfflineConsolidationModel(options);
      } catch (thrown) {
        error = thrown;
      }
      expect(NocturneError.isInstance(error, "invalid_input")).toBe(true);
      expect((error as Error).message).toMatch(/Invalid offline model options/);
    }
  });

  it("stops with 'aborted' when the call's signal is already aborted", async () => {
    const model = createOfflineConsolidationModel();
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    const context = { ...callContext(), signal: controller.signal };
    await expect(model.extract({ type: "transcript", chunk: generatedChunk(2, "s", 2) }, context)).rejects.toSatisfy(
      (error) => NocturneError.isInstance(error, "aborted"),
    );
    await expect(model.judge([], context)).rejects.toSatisfy((error) => NocturneError.isInstance(error, "aborted"));
    await expect(model.synthesize([], context)).rejects.toSatisfy((error) =>
      NocturneError.isInstance(error, "aborted"),
    );
  });

  it("gives schema-valid facts that cite only user events of the chunk, with exact quotes, on a generated corpus", async () => {
    const model = createOfflineConsolidationModel();
    for (let seed = 1; seed <= 20; seed++) {
      const chunk = generatedChunk(seed, `sesn_${seed}`, 40);
      const byEvent = new Map(chunk.lines.map((item) => [item.eventId, item]));
      const facts = await model.extract({ type: "transcript", chunk }, callContext());
      for (const fact of facts) {
        expect(ExtractedFact.safeParse(fact).success).toBe(true);
        for (const cited of fact.evidence) {
          const source = byEvent.get(cited.event_id);
          expect(source?.role).toBe("user");
          expect(source?.text).toContain(cited.quote);
        }
      }
    }
  });

  it("is deterministic: the same input gives the same output, from the same or a new instance", async () => {
    const chunk = generatedChunk(7, "sesn_d", 60);
    const memories = [
      memory("mem_d", "/notes.md", "# Notes\n\n- We use npm.\n- 2026-01-02: restarted the flaky runner.\n"),
    ];
    const facts: SynthesisFact[] = ["sesn_1", "sesn_2", "sesn_3"].map((session) => ({
      key: "style.indentation",
      topic: "preferences",
      statement: "User prefers tabs.",
      kind: "preference",
      evidence: [{ session_id: session, event_id: "e1" }],
    }));
    const run = async () => {
      const model = createOfflineConsolidationModel();
      const context = callContext("ignore atlas");
      return JSON.stringify([
        await model.extract({ type: "transcript", chunk }, context),
        await model.extract({ type: "memories", memories }, context),
        await model.judge(
          [
            {
              id: "p",
              left: { key: "a", statements: ["We use npm."] },
              right: { key: "b", statements: ["We use pnpm."] },
            },
          ],
          context,
        ),
        await model.synthesize(facts, context),
      ]);
    };
    const first = await run();
    expect(await run()).toBe(first);
    expect(JSON.parse(first)[0].length).toBeGreaterThan(0);
  });

  it("gives schema-valid verdicts and insights", async () => {
    const model = createOfflineConsolidationModel();
    const verdicts = await model.judge(
      [
        {
          id: "p1",
          left: { key: "a", statements: ["We use npm."] },
          right: { key: "b", statements: ["We use pnpm."] },
        },
      ],
      callContext(),
    );
    for (const verdict of verdicts) expect(JudgeVerdict.safeParse(verdict).success).toBe(true);
    const insights = await model.synthesize(
      ["sesn_1", "sesn_2"].map((session) => ({
        key: `transient.${session}`,
        topic: "debugging",
        statement: "The nightly export timed out again on the reports queue.",
        kind: "transient" as const,
        evidence: [{ session_id: session, event_id: "e1" }],
      })),
      callContext(),
    );
    expect(insights).toHaveLength(1);
    for (const insight of insights) expect(ProposedInsight.safeParse(insight).success).toBe(true);
  });

  it("gets through hostile input: one huge line, no punctuation, deep nesting of markers, a 100 KB memory", async () => {
    const model = createOfflineConsolidationModel();
    const huge = [
      "remember that ".repeat(5000),
      `I prefer ${"very ".repeat(20000)}long answers`,
      `${"my ".repeat(10000)}name is Sam`,
      "a, ".repeat(30000),
      `${"at x (".repeat(5000)}y:1:2)`,
    ];
    for (const text of huge) {
      const facts = await model.extract(
        { type: "transcript", chunk: chunkOf("sesn_h", [line("sesn_h", 0, text)]) },
        callContext(),
      );
      for (const fact of facts) expect(ExtractedFact.safeParse(fact).success).toBe(true);
    }
    const content = `${"- We use npm for the monorepo builds and the deploy scripts.\n".repeat(1600)}`.slice(
      0,
      100 * 1024,
    );
    const facts = await model.extract(
      { type: "memories", memories: [memory("mem_big", "/big.md", content)] },
      callContext(),
    );
    expect(facts.length).toBeGreaterThan(1000);
  });
});
