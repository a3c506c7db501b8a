import { type Chunk, createOfflineConsolidationModel, ExtractedFact, type MemorySnippet } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { callContext } from "./support.js";

/**
 * The benchmark's scale — 100 sessions of ~20k tokens and 10,000 memories — run through the offline model. Slow on a
 * shared machine, so only with NOCTURNE_LONG=1. It checks the output and prints CPU time; it asserts no timing.
 */
const LONG = process.env.NOCTURNE_LONG === "1";

const USER = [
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
  "Keep your answers short, and always cite the file you changed.",
  "Why does the parser choke on nested arrays when the input has trailing commas?",
  "Let's refactor the billing module so the invoice totals are computed in one place instead of three.",
];
const AGENT =
  "I looked at src/parser.ts: the tokenizer does not handle trailing commas. I changed the loop to skip them and added a test. ".repeat(
    3,
  );
const MEMORY_LINES = [
  "- We use npm for builds.",
  "- Priya prefers tabs for indentation.",
  "- Always run the linter before committing.",
  "- The staging DB runs on port 5432.",
  "- 2026-01-03: restarted the flaky runner.",
  "Some paragraph text about the architecture of the service. It has several sentences. Also more.",
];

function sessions(count: number, tokensEach: number): Chunk[] {
  let seed = 1;
  const next = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  return Array.from({ length: count }, (_, s) => {
    const lines = [];
    let tokens = 0;
    for (let index = 0; tokens < tokensEach; index++) {
      const user = index % 2 === 0;
      const parts = Array.from({ length: 1 + Math.floor(next() * 3) }, () => USER[Math.floor(next() * USER.length)]);
      const text = user ? parts.join(" ") : AGENT;
      tokens += Math.ceil(text.length / 4);
      lines.push({
        sessionId: `s${s}`,
        eventId: `s${s}_e${index}`,
        role: user ? ("user" as const) : ("agent" as const),
        text,
        at: "2026-01-01T00:00:00.000Z",
      });
    }
    return { key: `s${s}#0`, sessionId: `s${s}`, index: 0, lines, tokens };
  });
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return Math.round((used.user + used.system) / 1000);
}

describe.runIf(LONG)("offline model at benchmark scale (NOCTURNE_LONG=1)", () => {
  it("reads 100 sessions × 20k tokens and 10,000 memories", async () => {
    const model = createOfflineConsolidationModel();
    const context = callContext();
    const chunks = sessions(100, 20_000);
    let since = process.cpuUsage();
    let transcriptFacts = 0;
    for (const chunk of chunks) {
      const facts = await model.extract({ type: "transcript", chunk }, context);
      transcriptFacts += facts.length;
      for (const fact of facts) expect(ExtractedFact.safeParse(fact).success).toBe(true);
    }
    const transcriptCpu = cpuMs(since);

    const memories: MemorySnippet[] = Array.from({ length: 10_000 }, (_, index) => ({
      id: `mem_${index}`,
      path: `/notes/n${index}.md`,
      content: `# Note ${index}\n\n${MEMORY_LINES.join("\n")}\n`,
      updatedAt: "2026-01-01T00:00:00.000Z",
    }));
    since = process.cpuUsage();
    let memoryFacts = 0;
    for (let start = 0; start < memories.length; start += 100) {
      memoryFacts += (await model.extract({ type: "memories", memories: memories.slice(start, start + 100) }, context))
        .length;
    }
    const memoryCpu = cpuMs(since);

    const tokens = chunks.reduce((sum, chunk) => sum + chunk.tokens, 0);
    console.log(
      `offline model: ${chunks.length} sessions / ${tokens} tokens → ${transcriptFacts} facts in ${transcriptCpu} ms CPU; ` +
        `${memories.length} memories → ${memoryFacts} facts in ${memoryCpu} ms CPU`,
    );
    expect(transcriptFacts).toBeGreaterThan(1000);
    expect(memoryFacts).toBe(60_000);
  });
});
