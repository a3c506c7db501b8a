import {
  createInMemoryAdapter,
  createNocturne,
  createTiktokenTokenizer,
  type GenerateRequest,
  renderReportHtml,
  renderReportMarkdown,
  type Session,
} from "@nocturne/core";
import { CONSOLIDATION_OUTPUT_NAMES, chunkTranscript, renderTranscript } from "@nocturne/core/internals";
import { createScriptedLanguageModel, type ScriptedReply } from "@nocturne/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderTranscriptPrompt } from "../../src/model/llm/render-prompts.js";
import { boundToolOutputSteps, emptyToolOutputTally } from "../../src/pipeline/bound-tool-output.js";
import { finish } from "../../src/util/pacer.js";
import { day, storeWith } from "../helpers/fixtures.js";

const tokenizer = createTiktokenTokenizer();

const MANIFEST = JSON.stringify(
  {
    name: "billing-api",
    private: true,
    scripts: { test: "vitest run", build: "tsup src/index.ts" },
    dependencies: { zod: "3.23.8", fastify: "4.28.1", pg: "8.12.0" },
  },
  null,
  2,
);
/** A test log of 400 lines: the server port is stated in its last line, the runner in its first. */
const LOG = [
  "RUN  v2.1.4 /work/billing-api (runner: vitest)",
  ...Array.from({ length: 398 }, (_, i) => `  ✓ test/case-${i}.test.ts > handles invoice ${i * 7} in ${i % 50} ms`),
  "server listening on port 4321",
].join("\n");

type Event = Session["events"][number];

function userSays(id: string, minute: number, text: string): Event {
  return { id, type: "user.message", processed_at: day(1, minute), content: [{ type: "text", text }] };
}

function toolCall(id: string, minute: number, name: string, input: Record<string, unknown>, output: string): Event[] {
  return [
    { id: `${id}_use`, type: "agent.tool_use", processed_at: day(1, minute), name, input },
    {
      id: `${id}_result`,
      type: "agent.tool_result",
      processed_at: day(1, minute),
      tool_use_id: `${id}_use`,
      content: [{ type: "text", text: output }],
    },
  ];
}

/** A coding session: the manifest read three times, one long test log, and user messages between. */
function codingSession(id = "sesn_code"): Session {
  return {
    id,
    title: "coding",
    created_at: day(1),
    metadata: {},
    events: [
      userSays(`${id}_u1`, 0, "Please bump the test timeout."),
      ...toolCall(`${id}_read1`, 1, "read_file", { path: "package.json" }, MANIFEST),
      ...toolCall(`${id}_test`, 2, "bash", { command: "pnpm test" }, LOG),
      userSays(`${id}_u2`, 3, "Check the manifest again."),
      ...toolCall(`${id}_read2`, 4, "read_file", { path: "package.json" }, MANIFEST),
      ...toolCall(`${id}_read3`, 5, "read_file", { path: "package.json" }, MANIFEST),
    ],
  };
}

function bound(session: Session, budget: number) {
  const tally = emptyToolOutputTally();
  const lines = finish(boundToolOutputSteps(renderTranscript(session), tokenizer, budget, tally));
  return { lines, tally };
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe("bounded tool output", () => {
  it("renders a repeated read in full once; later copies point at the alias that holds it", () => {
    const session = codingSession();
    const tally = emptyToolOutputTally();
    const [chunk, ...more] = chunkTranscript(session, tokenizer, 12_000, { tokens: 1_000, tally });
    expect(more).toHaveLength(0);
    if (!chunk) throw new Error("no chunk");
    const { prompt, events, lineAliases } = renderTranscriptPrompt(chunk);

    expect(occurrences(prompt, '"fastify": "4.28.1"')).toBe(1);
    const aliasOf = (eventId: string) => lineAliases[chunk.lines.findIndex((line) => line.eventId === eventId)];
    const first = aliasOf("sesn_code_read1_result");
    expect(events.get(first ?? "")?.eventId).toBe("sesn_code_read1_result");
    for (const copy of ["sesn_code_read2_result", "sesn_code_read3_result"]) {
      expect(prompt).toContain(`${aliasOf(copy)} tool: [same output as ${first}]\n`);
      expect(chunk.lines.find((line) => line.eventId === copy)?.sameAs).toBe("sesn_code_read1_result");
    }
    expect(tally.toolResultsDeduplicated).toBe(2);
    const manifestTokens = tokenizer.count(MANIFEST);
    expect(tally.toolTokensElided).toBeGreaterThanOrEqual(2 * (manifestTokens - 20));
  });

  it("points at an earlier chunk when the result holding the content is not in this one", () => {
    const session = codingSession();
    const chunks = chunkTranscript(session, tokenizer, 400, { tokens: 200, tally: emptyToolOutputTally() });
    const last = chunks.at(-1);
    if (!last || chunks.length < 2) throw new Error("expected several chunks");
    expect(last.lines.some((line) => line.eventId === "sesn_code_read1_result")).toBe(false);
    expect(renderTranscriptPrompt(last).prompt).toContain(
      "tool: [same output as a tool result in an earlier chunk of this session]",
    );
  });

  it("cuts a result over the budget to its head and tail, with a marker stating what was left out", () => {
    const budget = 200;
    const { lines, tally } = bound(codingSession(), budget);
    const log = lines.find((line) => line.eventId === "sesn_code_test_result")?.text ?? "";
    const marker = /^\[… ([\d,]+) tokens of tool output left out, ([\d,]+) lines …\]$/m.exec(log);
    if (!marker) throw new Error(`no elision marker in:\n${log}`);
    const [head = "", tail = ""] = log.split(`${marker[0]}\n`);
    expect(LOG.startsWith(head)).toBe(true);
    expect(LOG.endsWith(tail)).toBe(true);
    expect(head).toContain("RUN  v2.1.4");
    expect(tail).toContain("server listening on port 4321");
    const left = Number(marker[1]?.replace(/,/g, ""));
    expect(left).toBe(tokenizer.count(LOG) - tokenizer.count(head) - tokenizer.count(tail));
    const middle = LOG.slice(head.length, LOG.length - tail.length);
    expect(Number(marker[2]?.replace(/,/g, ""))).toBe(middle.split("\n").length - 1);
    expect(tokenizer.count(head) + tokenizer.count(tail)).toBeLessThanOrEqual(budget);
    expect(tally).toEqual({ toolResultsDeduplicated: 2, toolResultsCut: 1, toolTokensElided: expect.any(Number) });
    expect(tally.toolTokensElided).toBeGreaterThan(left);
  });

  it("reads tool output in full with the budget off", () => {
    const session = codingSession();
    const { lines, tally } = bound(session, 0);
    expect(lines).toEqual(renderTranscript(session));
    expect(tally).toEqual(emptyToolOutputTally());
  });

  it("never drops a message's text or splits a word, keeps every event id in order, never changes the session", () => {
    const text = fc.oneof(
      fc.constantFrom(MANIFEST, LOG, "ok", "error: ENOENT"),
      fc
        .array(fc.constantFrom("alpha ", "beta\n", "✓ ", "{}", "12 "), { maxLength: 400 })
        .map((parts) => parts.join("")),
    );
    const event = fc.tuple(fc.constantFrom("user", "agent", "tool"), text);
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 12 }),
        fc.oneof(fc.constant(0), fc.integer({ min: 100, max: 1_500 })),
        (specs, budget) => {
          const events: Event[] = specs.flatMap(([role, body], index) =>
            role === "tool"
              ? toolCall(`t${index}`, index, "bash", { n: index }, body)
              : [userSays(`m${index}`, index, body)].map((e) =>
                  role === "agent" ? { ...e, type: "agent.message" as const } : e,
                ),
          );
          const session: Session = { id: "sesn_p", title: null, created_at: day(1), metadata: {}, events };
          const before = structuredClone(session);
          const rendered = renderTranscript(session);
          const { lines } = bound(session, budget);
          expect(session).toEqual(before);
          expect(lines.map((line) => line.eventId)).toEqual(rendered.map((line) => line.eventId));
          for (const [index, line] of lines.entries()) {
            const original = rendered[index]?.text ?? "";
            if (line.role !== "tool") expect(line.text).toBe(original);
            const kept = line.text.split(/^\[… [\d,]+ tokens of tool output left out(?:, [\d,]+ lines)? …\]$/m);
            if (kept.length !== 2) continue;
            const words = new Set(original.split(/\s+/));
            for (const word of kept.join(" ").split(/\s+/).filter(Boolean)) expect(words.has(word)).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** Reads version and port facts out of tool results, citing the alias the prompt shows. */
function toolFactScript(request: GenerateRequest): ScriptedReply {
  const prompt = request.messages.map((message) => message.content).join("\n");
  if (request.output?.name !== CONSOLIDATION_OUTPUT_NAMES.extract) {
    const ids = [...prompt.matchAll(/<pair id="([^"]+)">/g)].map(([, id]) => ({ id, same: false }));
    return { json: request.output?.name === CONSOLIDATION_OUTPUT_NAMES.judge ? { verdicts: ids } : { insights: [] } };
  }
  const facts = [];
  const rules = [
    { pattern: /"fastify": "([\d.]+)"/, key: "billing.fastify_version", statement: "billing-api uses fastify" },
    { pattern: /runner: (\w+)/, key: "billing.test_runner", statement: "billing-api tests run with" },
    { pattern: /listening on port (\d+)/, key: "billing.port", statement: "billing-api listens on port" },
  ];
  for (const [, alias, body] of prompt.matchAll(/^(e\d+) tool: ([\s\S]*?)(?=^e\d+ |^<\/transcript>)/gm)) {
    for (const rule of rules) {
      const match = rule.pattern.exec(body ?? "");
      if (!match) continue;
      facts.push({
        key: rule.key,
        topic: "billing",
        kind: "fact",
        cardinality: "single",
        value: match[1],
        statement: `${rule.statement} ${match[1]}.`,
        evidence: [{ event_id: alias, quote: match[0] }],
      });
    }
  }
  return { json: { facts } };
}

describe("a dream over a coding session", () => {
  it("counts what it left out in the report, and facts read from bounded results cite the real events", async () => {
    const storage = createInMemoryAdapter();
    const storeId = await storeWith(storage, {});
    const session = codingSession();
    await storage.putSession(session);
    const model = createScriptedLanguageModel({ script: toolFactScript });
    const nocturne = createNocturne({ storage, model, toolResultTokens: 200 });
    const created = await nocturne.dreams.create({
      inputs: [
        { type: "memory_store", memory_store_id: storeId },
        { type: "sessions", session_ids: [session.id] },
      ],
    });
    expect((await nocturne.dreams.wait(created.id)).status).toBe("completed");
    const report = await nocturne.dreams.report(created.id);
    if (!report) throw new Error("no report");

    const expected = emptyToolOutputTally();
    chunkTranscript(session, tokenizer, 12_000, { tokens: 200, tally: expected });
    expect(report.stats).toMatchObject(expected);
    expect(expected.toolResultsDeduplicated).toBe(2);
    expect(expected.toolResultsCut).toBe(1);
    const note = `2 repeated tool results read once, 1 long ones cut to head and tail (${expected.toolTokensElided.toLocaleString("en-US")} tool-output tokens left out)`;
    expect(renderReportMarkdown(report)).toContain(note);
    expect(renderReportHtml(report)).toContain(note);

    const cited = new Map(
      report.outputs.flatMap((output) =>
        output.facts.map((fact) => [fact.key, fact.evidence.map((e) => (e.type === "event" ? e.eventId : e.type))]),
      ),
    );
    expect(Object.fromEntries(cited)).toEqual({
      "billing.fastify_version": ["sesn_code_read1_result"],
      "billing.test_runner": ["sesn_code_test_result"],
      "billing.port": ["sesn_code_test_result"],
    });
    const ids = new Set(session.events.map((event) => event.id));
    for (const events of cited.values()) for (const id of events) expect(ids.has(id)).toBe(true);
    await nocturne.close();
  });

  it("refuses a tool-result budget it cannot honour, saying what it accepts", () => {
    expect(() => createNocturne({ storage: createInMemoryAdapter(), toolResultTokens: 20 })).toThrow(
      /toolResultTokens must be 0 \(read tool output in full\) or a whole number of tokens of at least 100, not 20/,
    );
  });
});
