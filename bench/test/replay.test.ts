import {
  type Chunk,
  createLlmConsolidationModel,
  createTiktokenTokenizer,
  type ExtractedFact,
  NocturneError,
  type Usage,
} from "@nocturne/core";
import { checkEvidence, chunkTranscript, indexChunk } from "@nocturne/core/internals";
import { describe, expect, it } from "vitest";
import { createCallMeter } from "../models/call-meter.js";
import { withLatency } from "../models/latency.js";
import { NOISY, type NoiseProfile, PERFECT } from "../models/noise-profile.js";
import { createReplayCore } from "../models/replay-core.js";
import { createReplayLanguageModel } from "../models/replay-language-model.js";
import { generateScenario } from "../scenario/generate.js";

const tokenizer = createTiktokenTokenizer();
const scenario = generateScenario({
  seed: 3,
  sessions: 6,
  tokensPerSession: 3000,
  memories: 120,
  startAt: "2099-01-05T09:00:00.000Z",
});
const chunks: Chunk[] = scenario.sessions.flatMap((session) => chunkTranscript(session, tokenizer, 1500));
const linesOf = (chunk: Chunk) => chunk.lines.map((line) => ({ eventId: line.eventId, text: line.text }));
const context = (usage: Usage[] = []) => ({
  signal: new AbortController().signal,
  instructions: "",
  reportUsage: (entry: Partial<Usage>) => usage.push(entry as Usage),
});

describe("the perfect replay", () => {
  const core = createReplayCore(scenario.truth);

  it("returns every ground-truth statement of the transcripts once, with evidence the engine accepts", () => {
    const expected = [...scenario.truth.items.values()].filter(
      (item) => item.source.type === "event" && item.type !== "history",
    );
    const facts = chunks.flatMap((chunk) => {
      const extracted = core.extractTranscript(chunk.key, linesOf(chunk), 0);
      for (const [ordinal, fact] of extracted.entries()) {
        expect(checkEvidence(fact, indexChunk(chunk), chunk.key, ordinal)).toHaveProperty("candidate");
      }
      return extracted;
    });
    expect(facts).toHaveLength(expected.length);
    const quoted = facts.map((fact) => fact.evidence[0]?.quote).sort();
    expect(quoted).toEqual(expected.map((item) => item.quote).sort());
    const subjects = scenario.truth.subjects;
    for (const fact of facts) {
      const subject = subjects.get(fact.key);
      if (subject) expect(subject.history.map((entry) => entry.statement)).toContain(fact.statement);
      else expect(fact.kind).toBe("transient");
    }
  });

  it("reads the seeded memories, citing each memory's id", () => {
    const memories = scenario.memories.map((memory, index) => ({ id: `mem_${index}`, ...memory }));
    const facts = core.extractMemories(memories, 0);
    const expected = [...scenario.truth.items.values()].filter((item) => item.source.type === "memory");
    expect(facts).toHaveLength(expected.length);
    for (const fact of facts) {
      const memory = memories.find((entry) => entry.id === fact.evidence[0]?.event_id);
      expect(memory?.content).toContain(fact.evidence[0]?.quote);
    }
  });

  it("answers the engine's real prompts exactly as it answers directly", async () => {
    const model = createLlmConsolidationModel(
      createReplayLanguageModel(core, { countTokens: (text) => tokenizer.count(text) }),
    );
    const usage: Usage[] = [];
    for (const chunk of chunks.slice(0, 4)) {
      const viaPrompt = await model.extract({ type: "transcript", chunk }, context(usage));
      expect(viaPrompt).toEqual(withEngineKeys(core.extractTranscript(chunk.key, linesOf(chunk), 0)));
    }
    const memories = scenario.memories.slice(0, 20).map((memory, index) => ({
      id: `mem_${index}`,
      ...memory,
      updatedAt: "2099-01-01T00:00:00.000Z",
    }));
    expect(await model.extract({ type: "memories", memories }, context(usage))).toEqual(
      withEngineKeys(core.extractMemories(memories, 0)),
    );
    const facts = chunks.flatMap((chunk) => core.extractTranscript(chunk.key, linesOf(chunk), 0));
    const synthesis = facts.map((fact) => ({
      key: fact.key,
      topic: fact.topic,
      statement: fact.statement,
      kind: fact.kind,
      evidence: fact.evidence.map((cited) => ({
        session_id:
          chunks.find((chunk) => chunk.lines.some((line) => line.eventId === cited.event_id))?.sessionId ?? "",
        event_id: cited.event_id,
      })),
    }));
    const insights = await model.synthesize(synthesis, context(usage));
    expect(insights.length).toBeGreaterThan(0);
    expect(insights.map((insight) => insight.statement)).toEqual(
      core.synthesize(synthesis, 0).map((insight) => insight.statement),
    );
    const pairs = [
      {
        id: "p0",
        left: { key: facts[0]?.key ?? "", statements: [facts[0]?.statement ?? ""] },
        right: { key: "other", statements: [facts[0]?.statement ?? ""] },
      },
      {
        id: "p1",
        left: { key: facts[0]?.key ?? "", statements: [facts[0]?.statement ?? ""] },
        right: { key: facts[1]?.key ?? "", statements: [facts[1]?.statement ?? ""] },
      },
    ];
    expect(await model.judge(pairs, context(usage))).toEqual([
      { id: "p0", same: true },
      { id: "p1", same: facts[0]?.key === facts[1]?.key },
    ]);
    expect(usage.every((entry) => entry.input_tokens > 0 && entry.output_tokens > 0)).toBe(true);
    const created = usage.filter((entry) => entry.cache_creation_input_tokens > 0);
    expect(created).toHaveLength(3);
    expect(usage.filter((entry) => entry.cache_read_input_tokens > 0)).toHaveLength(usage.length - 3);
  });
});

describe("the noisy replay", () => {
  it("is deterministic whatever order the calls come in, and differs from the perfect one", () => {
    const a = createReplayCore(scenario.truth, { profile: NOISY, seed: 9 });
    const b = createReplayCore(scenario.truth, { profile: NOISY, seed: 9 });
    const perfect = createReplayCore(scenario.truth);
    const forward = chunks.map((chunk) => a.extractTranscript(chunk.key, linesOf(chunk), 0));
    const backward = [...chunks].reverse().map((chunk) => b.extractTranscript(chunk.key, linesOf(chunk), 0));
    expect(backward.reverse()).toEqual(forward);
    const clean = chunks.map((chunk) => perfect.extractTranscript(chunk.key, linesOf(chunk), 0));
    expect(forward).not.toEqual(clean);
  });

  it("answers a chunk packing several sessions as it answers each session's chunk alone", async () => {
    const model = createLlmConsolidationModel(
      createReplayLanguageModel(createReplayCore(scenario.truth, { profile: NOISY, seed: 9 })),
    );
    const whole = scenario.sessions
      .slice(0, 3)
      .map((session) => chunkTranscript(session, tokenizer, 100_000)[0] as Chunk);
    const packed: Chunk = {
      ...(whole[0] as Chunk),
      key: `${whole[0]?.key}+2`,
      lines: whole.flatMap((chunk) => chunk.lines),
    };
    const alone: ExtractedFact[] = [];
    for (const chunk of whole) alone.push(...(await model.extract({ type: "transcript", chunk }, context())));
    expect(alone.length).toBeGreaterThan(0);
    expect(await model.extract({ type: "transcript", chunk: packed }, context())).toEqual(alone);
  });

  it("makes each kind of error it is configured for", () => {
    const all = (profile: Partial<typeof NOISY>) =>
      chunks.flatMap((chunk) =>
        createReplayCore(scenario.truth, { profile: { ...NOISY, ...zero(), ...profile }, seed: 1 }).extractTranscript(
          chunk.key,
          linesOf(chunk),
          0,
        ),
      );
    const perfect = all({});
    const keys = new Set(scenario.truth.subjects.keys());
    expect(all({ keyParaphrase: 1 }).filter((fact) => keys.has(fact.key))).toEqual([]);
    expect(all({ split: 1 })).toHaveLength(perfect.length * 2);
    expect(all({ merge: 1 }).length).toBeLessThan(perfect.length);
    const bad = all({ badEvidence: 1 });
    const valid = (fact: ExtractedFact) =>
      chunks.some((chunk) => "candidate" in checkEvidence(fact, indexChunk(chunk), chunk.key, 0));
    expect(bad.filter(valid)).toEqual([]);
    const answers = (badEvidence: number, attempt: number) =>
      chunks.flatMap((chunk) =>
        createReplayCore(scenario.truth, { profile: { ...zero(), badEvidence }, seed: 1 }).extractTranscript(
          chunk.key,
          linesOf(chunk),
          attempt,
        ),
      );
    expect(answers(1, 1).filter(valid)).toEqual([]);
    const wrongFirst = new Set(
      answers(0.5, 0)
        .filter((fact) => !valid(fact))
        .map((fact) => fact.statement),
    );
    const retried = answers(0.5, 1).filter((fact) => wrongFirst.has(fact.statement));
    expect(retried.filter(valid).length).toBeGreaterThan(0);
    expect(retried.filter((fact) => !valid(fact)).length).toBeGreaterThan(0);
    expect(all({ historyMisread: 1 }).length).toBeGreaterThan(perfect.length);
  });
});

/** The LLM consolidation model normalizes keys (`atlas-17` → `atlas_17`); the rest of a fact passes as is. */
function withEngineKeys(facts: ExtractedFact[]): ExtractedFact[] {
  return facts.map((fact) => ({ ...fact, key: fact.key.replace(/-/g, "_") }));
}

function zero(): NoiseProfile {
  return { ...PERFECT };
}

describe("the latency wrapper", () => {
  const core = createReplayCore(scenario.truth);

  it("counts calls in flight and ends a wait with `aborted` when the signal fires", async () => {
    const meter = createCallMeter();
    const slow = withLatency(createReplayLanguageModel(core, { meter }), { latencyMs: 60_000, meter });
    const model = createLlmConsolidationModel(slow);
    const controller = new AbortController();
    const calls = chunks
      .slice(0, 3)
      .map((chunk) =>
        model
          .extract({ type: "transcript", chunk }, { ...context(), signal: controller.signal })
          .catch((error) => error),
      );
    await new Promise((resolve) => setImmediate(resolve));
    expect(meter.inFlight).toBe(3);
    controller.abort();
    const errors = await Promise.all(calls);
    for (const error of errors) expect(NocturneError.isInstance(error, "aborted")).toBe(true);
    expect(meter.inFlight).toBe(0);
    expect(meter.maxInFlight).toBe(3);
    expect(meter.calls.record_facts).toBe(3);
  });
});
