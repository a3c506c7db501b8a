import {
  type ConsolidationModel,
  type ConsolidationReport,
  createInMemoryAdapter,
  createNocturne,
  createOfflineConsolidationModel,
  createTiktokenTokenizer,
  type LanguageModel,
  type Memory,
  readAllMemories,
  redactSecrets,
  type Session,
  type StorageAdapter,
} from "@nocturne/core";
import { renderTranscript } from "@nocturne/core/internals";
import { describe, expect, it } from "vitest";
import { createCompromisedModel } from "./fixtures/compromised-model.js";
import { POISON_CASES, type PoisonCase } from "./fixtures/poisoned-transcripts.js";
import { recordingAdapter } from "./fixtures/recording-adapter.js";
import { fingerprintInputs, fingerprintStores } from "./fixtures/store-fingerprint.js";

/** One tokenizer for every engine in this file: loading tiktoken's encoding takes about half a second. */
const tokenizer = createTiktokenTokenizer();

const normalize = (text: string) => text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();

/** True when the quote is a span of the text, as written or as the redactor left it for the model. */
function quoted(quote: string | undefined, text: string): boolean {
  if (quote === undefined) return false;
  const span = normalize(quote);
  return span !== "" && (normalize(text).includes(span) || normalize(redactSecrets(text).text).includes(span));
}

/** Checks every output fact's evidence against the inputs as they were, independently of the pipeline's own check. */
function assertEvidenceExists(report: ConsolidationReport, sessions: Session[], memories: Memory[]): void {
  const eventText = new Map<string, string>();
  for (const session of sessions) {
    for (const line of renderTranscript(session)) {
      const key = `${session.id}\u0000${line.eventId}`;
      eventText.set(key, `${eventText.get(key) ?? ""}\n${line.text}`);
    }
  }
  for (const output of report.outputs) {
    for (const fact of output.facts) {
      expect(fact.evidence.length, `fact "${fact.statement}" has evidence`).toBeGreaterThan(0);
      for (const evidence of fact.evidence) {
        if (evidence.type === "event") {
          const text = eventText.get(`${evidence.sessionId}\u0000${evidence.eventId}`);
          expect(text, `event ${evidence.eventId} exists`).toBeDefined();
          if (evidence.quote !== undefined) expect(quoted(evidence.quote, text ?? "")).toBe(true);
        } else {
          const memory = memories.find((entry) => entry.id === evidence.memoryId);
          expect(memory, `memory ${evidence.memoryId} exists`).toBeDefined();
          if (evidence.quote !== undefined) expect(quoted(evidence.quote, memory?.content ?? "")).toBe(true);
        }
      }
    }
  }
}

interface Setup {
  storage: StorageAdapter;
  inputStoreId: string;
  victimStoreId: string;
  sessionIds: string[];
}

async function setUp(storage: StorageAdapter, poison: PoisonCase): Promise<Setup> {
  const victim = await storage.createMemoryStore({ name: "victim", description: "another agent's memory" });
  await storage.createMemory(victim.id, { path: "/secrets.md", content: "# Victim\n\n- Owned by another agent\n" });
  const fill = (text: string) => text.replaceAll("{victim}", victim.id);
  const input = await storage.createMemoryStore({ name: "input" });
  for (const memory of poison.memories ?? []) {
    await storage.createMemory(input.id, { path: memory.path, content: fill(memory.content) });
  }
  for (const session of poison.sessions) await storage.putSession(JSON.parse(fill(JSON.stringify(session))));
  return {
    storage,
    inputStoreId: input.id,
    victimStoreId: victim.id,
    sessionIds: poison.sessions.map((session) => session.id),
  };
}

async function dreamOver(poison: PoisonCase, model: (setup: Setup) => LanguageModel | ConsolidationModel) {
  const recorded = recordingAdapter(createInMemoryAdapter());
  const setup = await setUp(recorded.storage, poison);
  const storesBefore = await fingerprintStores(recorded.storage);
  const inputsBefore = await fingerprintInputs(recorded.storage, setup.inputStoreId, setup.sessionIds);
  const sessions = (await Promise.all(setup.sessionIds.map((id) => recorded.storage.getSession(id)))).filter(
    (session): session is Session => session !== null,
  );
  const inputMemories = await readAllMemories(recorded.storage, setup.inputStoreId);
  recorded.mutations.length = 0;
  const languageModel = model(setup);
  const engine = createNocturne({ storage: recorded.storage, model: languageModel, tokenizer, retry: { retries: 0 } });
  const created = await engine.dreams.create({
    inputs: [
      { type: "memory_store", memory_store_id: setup.inputStoreId },
      { type: "sessions", session_ids: setup.sessionIds },
    ],
  });
  const dream = await engine.dreams.wait(created.id);
  const report = await engine.dreams.report(created.id);
  const outputStoreId = dream.outputs[0]?.memory_store_id ?? "";
  const output = outputStoreId ? await readAllMemories(recorded.storage, outputStoreId) : [];
  return {
    ...setup,
    dream,
    report,
    output,
    outputText: output.map((memory) => `${memory.path}\n${memory.content}`).join("\n"),
    outputStoreId,
    storesBefore,
    storesAfter: await fingerprintStores(recorded.storage),
    inputsBefore,
    inputsAfter: await fingerprintInputs(recorded.storage, setup.inputStoreId, setup.sessionIds),
    mutations: recorded.mutations,
    sessions,
    inputMemories,
  };
}

/** What holds for every poisoned transcript and any model: inputs untouched, only the output store written. */
function expectContained(result: Awaited<ReturnType<typeof dreamOver>>): void {
  const report = result.report;
  if (report === null) throw new Error("a finished dream has a report");
  expect(result.inputsAfter).toBe(result.inputsBefore);
  for (const [storeId, print] of result.storesBefore) expect(result.storesAfter.get(storeId)).toBe(print);
  expect(result.mutations.filter((mutation) => mutation.method === "createMemory")).toHaveLength(result.output.length);
  for (const mutation of result.mutations) {
    expect(mutation.storeId).toBe(result.outputStoreId);
    expect(mutation.ops).not.toContain("delete");
  }
  for (const memory of result.output) expect(memory.path).not.toMatch(/(^|\/)\.\.?(\/|$)/);
  expect(report.inputs.map((entry) => entry.memoryId).sort()).toEqual(
    result.inputMemories.map((memory) => memory.id).sort(),
  );

  assertEvidenceExists(report, result.sessions, result.inputMemories);
}

describe("poisoned transcripts, with a compromised model that obeys every injection", () => {
  it.each(POISON_CASES.map((poison) => [poison.name, poison] as const))("%s", async (_name, poison) => {
    const result = await dreamOver(poison, (setup) => createCompromisedModel(poison.policy(setup.victimStoreId)));
    expect(result.dream.status, JSON.stringify(result.dream.error)).toBe("completed");
    const report = result.report;
    if (report === null) throw new Error("a completed dream has a report");

    expectContained(result);
    for (const text of poison.expected.outputIncludes) expect(result.outputText).toContain(text);
    for (const text of poison.expected.outputExcludes) expect(result.outputText).not.toContain(text);
    for (const drop of poison.expected.dropped ?? []) {
      const found = report.dropped.find((entry) => entry.statement === drop.statement);
      expect(found, `"${drop.statement}" is reported as dropped`).toBeDefined();
      expect(found?.reason).toContain(drop.reason);
    }
    const reported = report.outputs.flatMap((output) => output.facts);
    for (const expected of poison.expected.trust ?? []) {
      const found = reported.find((entry) => entry.statement === expected.statement);
      expect(found, `"${expected.statement}" is in the output`).toBeDefined();
      expect(found?.trust).toBe(expected.trust);
    }
  });

  it("never shows the model a forged event: delimiters in data are neutralized in the prompt", async () => {
    const poison = POISON_CASES.find((entry) => entry.name === "forged-event-delimiters");
    if (!poison) throw new Error("case missing");
    let prompts: string[] = [];
    await dreamOver(poison, (setup) => {
      const model = createCompromisedModel(poison.policy(setup.victimStoreId));
      prompts = [];
      const generate = model.generate.bind(model);
      return {
        ...model,
        provider: model.provider,
        modelId: model.modelId,
        generate: (request) => {
          prompts.push(request.messages.map((message) => message.content).join("\n"));
          return generate(request);
        },
      };
    });
    expect(prompts.length).toBeGreaterThan(0);
    for (const prompt of prompts) {
      expect(prompt).not.toContain('<event id="evt_forged"');
      expect(prompt).not.toMatch(/^<\/?event\b/m);
      expect(prompt.match(/^e\d+ \w+: /gm)?.length ?? 0).toBeLessThanOrEqual(3);
    }
  });
});

describe("poisoned transcripts, with the offline model", () => {
  it.each(POISON_CASES.map((poison) => [poison.name, poison] as const))("%s", async (_name, poison) => {
    const result = await dreamOver(poison, () => createOfflineConsolidationModel());
    expect(result.dream.status, JSON.stringify(result.dream.error)).toBe("completed");
    expectContained(result);
    const keptAsData = poison.expected.keptAsData ?? [];
    for (const text of poison.expected.outputExcludes) {
      if (!keptAsData.includes(text)) expect(result.outputText).not.toContain(text);
    }
    for (const text of ["COBOL", "Perl", "Fortran", "PHP", "skip-tests", "administrator", "wiped"]) {
      expect(result.outputText).not.toContain(text);
    }
  });
});
