import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createInMemoryAdapter,
  createNocturne,
  type GenerateRequest,
  importTranscriptFile,
  listTranscriptFiles,
  type Usage,
} from "@nocturne/core";
import { CONSOLIDATION_OUTPUT_NAMES } from "@nocturne/core/internals";
import type { ScriptedReply } from "@nocturne/testing";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeLlmServer, startFakeAnthropic } from "../../core/test/helpers/fake-llm-servers.js";
import { createAnthropicModel } from "../src/index.js";

const DATA = fileURLToPath(new URL("../../../examples/data", import.meta.url));
const EVENT = /^(e\d+) user(?: part \d+)?: (.*(?:\n(?!e\d+ \w+(?: part \d+)?: |@ |<\/transcript>).*)*)/gm;
const MEMORY = /<memory id="([^"]+)"[^>]*>\n([\s\S]*?)\n<\/memory>/g;

/**
 * A stand-in for Claude with a plausible output volume: one fact per user message and per memory bullet, quoting
 * the start of the text exactly; no judgement merges, no insights. Output token figures depend on it; input token
 * figures depend only on Nocturne's prompts and the data.
 */
function plausibleResponder(request: GenerateRequest): ScriptedReply {
  const prompt = request.messages[0]?.content ?? "";
  const fact = (id: string, text: string, n: number) => {
    const quote = text.trim().slice(0, 120).trim();
    const words = quote.toLowerCase().match(/[a-z]{4,}/g) ?? ["note"];
    return {
      key: `subject.${words.slice(0, 2).join("_")}_${n}`,
      topic: "notes",
      statement: `The user said: ${quote}`,
      kind: "fact",
      evidence: [{ event_id: id, quote }],
    };
  };
  switch (request.output?.name) {
    case CONSOLIDATION_OUTPUT_NAMES.extract: {
      const facts = [];
      for (const [, id, text] of prompt.matchAll(EVENT))
        if (id && text?.trim()) facts.push(fact(id, text, facts.length));
      for (const [, id, content] of prompt.matchAll(MEMORY)) {
        for (const line of content?.split("\n") ?? []) {
          if (id && line.startsWith("- ")) facts.push(fact(id, line.slice(2), facts.length));
        }
      }
      return { json: { facts } };
    }
    case CONSOLIDATION_OUTPUT_NAMES.judge:
      return {
        json: { verdicts: [...prompt.matchAll(/<pair id="([^"]+)">/g)].map(([, id]) => ({ id, same: false })) },
      };
    default:
      return { json: { insights: [] } };
  }
}

async function loadExampleData() {
  const storage = createInMemoryAdapter();
  const store = await storage.createMemoryStore({ name: "example memory" });
  const memoryRoot = join(DATA, "memory");
  const walk = async (dir: string): Promise<string[]> =>
    (await readdir(dir, { withFileTypes: true }))
      .flatMap((entry) => (entry.isDirectory() ? [] : [join(dir, entry.name)]))
      .concat(
        ...(await Promise.all(
          (
            await readdir(dir, { withFileTypes: true })
          )
            .filter((entry) => entry.isDirectory())
            .map((entry) => walk(join(dir, entry.name))),
        )),
      );
  for (const file of await walk(memoryRoot)) {
    await storage.createMemory(store.id, {
      path: `/${relative(memoryRoot, file)}`,
      content: await readFile(file, "utf8"),
    });
  }
  const sessionIds: string[] = [];
  for (const file of await listTranscriptFiles([join(DATA, "sessions")])) {
    const { session } = await importTranscriptFile(file);
    await storage.putSession(session);
    sessionIds.push(session.id);
  }
  return { storage, storeId: store.id, sessionIds };
}

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const sum = (usages: Usage[]) =>
  usages.reduce(
    (total, u) => ({
      input_tokens: total.input_tokens + u.input_tokens,
      output_tokens: total.output_tokens + u.output_tokens,
      cache_creation_input_tokens: total.cache_creation_input_tokens + u.cache_creation_input_tokens,
      cache_read_input_tokens: total.cache_read_input_tokens + u.cache_read_input_tokens,
    }),
    { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  );

describe("token usage of a dream over examples/data through the Anthropic provider (loopback)", () => {
  it("reads the cached system prefix on every call after the first and reports usage per stage", async () => {
    const { storage, storeId, sessionIds } = await loadExampleData();
    expect(sessionIds.length).toBeGreaterThanOrEqual(10);
    server = await startFakeAnthropic(plausibleResponder);
    const model = createAnthropicModel({ apiKey: "sk-ant-loopback", baseURL: server.url });
    const nocturne = createNocturne({ storage, model, retry: { retries: 0 } });
    const created = await nocturne.dreams.create({
      inputs: [
        { type: "memory_store", memory_store_id: storeId },
        { type: "sessions", session_ids: sessionIds },
      ],
      instructions: "Focus on the user's preferences, tooling and project facts; skip one-off debugging noise.",
    });
    const dream = await nocturne.dreams.wait(created.id);
    expect(dream.error).toBeNull();
    expect(dream.usage).toEqual(server.reported);

    const log = server.log;
    const stages = {
      "extract (transcripts)": log.filter(
        (e) => e.output === CONSOLIDATION_OUTPUT_NAMES.extract && e.prompt.includes("<transcript "),
      ),
      "extract (memories)": log.filter(
        (e) => e.output === CONSOLIDATION_OUTPUT_NAMES.extract && e.prompt.includes("<memories>"),
      ),
      judge: log.filter((e) => e.output === CONSOLIDATION_OUTPUT_NAMES.judge),
      synthesize: log.filter((e) => e.output === CONSOLIDATION_OUTPUT_NAMES.synthesize),
    };
    // The short example sessions are packed into a few chunks; each session still has its own transcript block.
    expect(stages["extract (transcripts)"].length).toBeLessThan(sessionIds.length);
    const transcriptPrompts = stages["extract (transcripts)"].map((entry) => entry.prompt).join("\n");
    for (const id of sessionIds) expect(transcriptPrompts).toContain(`<transcript session_id=${JSON.stringify(id)}`);
    expect(
      log
        .slice(1)
        .every((entry) => entry.usage.cache_read_input_tokens > 0 || entry.usage.cache_creation_input_tokens > 0),
    ).toBe(true);
    const writers = log.filter((entry) => entry.usage.cache_creation_input_tokens > 0).map((entry) => entry.output);
    expect(writers.length).toBe(new Set(writers).size);

    if (process.env.NOCTURNE_MEASURE === "1") {
      const rows = Object.entries(stages).map(([stage, entries]) => ({
        stage,
        calls: entries.length,
        ...sum(entries.map((e) => e.usage)),
      }));
      const total = dream.usage;
      const uncached = {
        ...total,
        input_tokens: total.input_tokens + total.cache_creation_input_tokens + total.cache_read_input_tokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      };
      const perSession = Object.fromEntries(
        Object.entries(total).map(([key, value]) => [key, Math.round(value / sessionIds.length)]),
      );
      const costs = ["claude-sonnet-4-6", "claude-haiku-4-5", "claude-opus-4-7"].map((id) => {
        const priced = createAnthropicModel({ apiKey: "k", model: id });
        return { model: id, dream_usd: priced.estimateCost(total), without_cache_usd: priced.estimateCost(uncached) };
      });
      console.log(
        JSON.stringify(
          { sessions: sessionIds.length, calls: log.length, stages: rows, total, perSession, costs },
          null,
          2,
        ),
      );
    }
    await nocturne.close();
  });
});
