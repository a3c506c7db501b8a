import {
  type ConsolidationModel,
  createInMemoryAdapter,
  createNocturne,
  createOfflineConsolidationModel,
  createTiktokenTokenizer,
  type LanguageModel,
  readAllMemories,
  type SessionInput,
} from "@nocturne/core";
import type { ScriptedLanguageModel } from "@nocturne/testing";
import { describe, expect, it } from "vitest";
import { createCompromisedModel, fact } from "./fixtures/compromised-model.js";
import { type PlantedSecret, plantedSecrets } from "./fixtures/secret-corpus.js";
import { fingerprintInputs } from "./fixtures/store-fingerprint.js";

const tokenizer = createTiktokenTokenizer();

/** A model that tries to write everything it is shown into memory, word for word. */
const echoModel = () =>
  createCompromisedModel({
    extract: (items) =>
      items.map((item) =>
        fact(`echo.${item.id}`, item.text.slice(0, 2000), item.id, item.text.slice(0, 500), {
          kind: "fact",
          topic: "echo",
        }),
      ),
  });

/** Sessions holding the planted secrets in user messages, agent messages and tool results, a few per session. */
function sessionsWith(secrets: PlantedSecret[]): SessionInput[] {
  const sessions: SessionInput[] = [];
  for (let start = 0; start < secrets.length; start += 8) {
    const index = sessions.length;
    const events: SessionInput["events"] = secrets.slice(start, start + 8).map((secret, n) => {
      const processed_at = new Date(
        Date.parse("2026-02-01T10:00:00.000Z") + index * 86_400_000 + n * 60_000,
      ).toISOString();
      const id = `evt_secret_${index}_${n}`;
      if (n % 3 === 2) {
        return {
          id,
          type: "agent.tool_result",
          processed_at,
          tool_use_id: "evt_none",
          content: [{ type: "text", text: secret.text }],
        };
      }
      return {
        id,
        type: n % 3 === 0 ? "user.message" : "agent.message",
        processed_at,
        content: [{ type: "text", text: secret.text }],
      };
    });
    sessions.push({
      id: `sesn_secrets_${String(index).padStart(2, "0")}`,
      title: `secrets ${index}`,
      created_at: events[0]?.processed_at ?? "",
      events,
    });
  }
  return sessions;
}

describe("secrets never reach a model or memory", () => {
  const planted = plantedSecrets(3);
  const inMemories = plantedSecrets(4).slice(0, 12);

  it.each([
    ["a model that copies everything it sees", () => echoModel()],
    ["the offline model", () => createOfflineConsolidationModel()],
  ] as Array<[string, () => LanguageModel | ConsolidationModel]>)("%s", async (_name, makeModel) => {
    const storage = createInMemoryAdapter();
    const store = await storage.createMemoryStore({ name: "with secrets" });
    for (const [n, secret] of inMemories.entries()) {
      await storage.createMemory(store.id, {
        path: `/notes/note-${n}.md`,
        content: `# Note ${n}\n\n- ${secret.text}\n`,
      });
    }
    const sessions = sessionsWith(planted);
    for (const session of sessions) await storage.putSession(session as Parameters<typeof storage.putSession>[0]);
    const sessionIds = sessions.map((session) => session.id);
    const before = await fingerprintInputs(storage, store.id, sessionIds);

    const model = makeModel();
    const engine = createNocturne({ storage, model, tokenizer });
    const created = await engine.dreams.create({
      inputs: [
        { type: "memory_store", memory_store_id: store.id },
        { type: "sessions", session_ids: sessionIds },
      ],
    });
    const events: unknown[] = [];
    for await (const event of engine.dreams.events(created.id)) events.push(event);
    const dream = await engine.dreams.wait(created.id);
    expect(dream.status, JSON.stringify(dream.error)).toBe("completed");

    const output = await readAllMemories(storage, dream.outputs[0]?.memory_store_id ?? "");
    const record = await storage.getDreamRecord(dream.id);
    const prompts =
      "calls" in model ? JSON.stringify((model as ScriptedLanguageModel).calls.map((call) => call.request)) : "";
    // The stored record (with its report) is checked against transcript secrets here, and against secrets of
    // existing memories in the known-gap test below.
    const surfaces = {
      prompts,
      output: JSON.stringify(output),
      events: JSON.stringify(events),
    };
    for (const secret of planted) expect(JSON.stringify(record), secret.kind).not.toContain(secret.secret);
    const leaks: string[] = [];
    for (const secret of [...planted, ...inMemories]) {
      for (const [surface, text] of Object.entries(surfaces)) {
        if (text.includes(secret.secret)) leaks.push(`${secret.kind} in ${surface}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(record?.report?.stats.redactions).toBe(planted.length + inMemories.length);
    if ("calls" in model) {
      expect(prompts).toContain("[REDACTED:");
      expect(output.map((memory) => memory.content).join("\n")).toContain("[REDACTED:");
    }
    expect(await fingerprintInputs(storage, store.id, sessionIds)).toBe(before);
    const stored = await storage.getSession(sessionIds[0] ?? "");
    expect(JSON.stringify(stored)).toContain(planted[0]?.secret);
  });
});

describe("the report quotes only redacted text", () => {
  // An input memory from which no fact could be read is listed in the report with an excerpt of its content: the
  // excerpt must come from the redacted text, or a secret in such a memory would be copied into the stored report.
  it("the stored report quotes no secret from an existing memory", async () => {
    const storage = createInMemoryAdapter();
    const store = await storage.createMemoryStore({ name: "with a secret" });
    const secret = plantedSecrets(5)[0];
    if (!secret) throw new Error("corpus is empty");
    await storage.createMemory(store.id, { path: "/env.md", content: `${secret.text}\n` });
    const [session] = sessionsWith(plantedSecrets(6).slice(0, 1));
    if (!session) throw new Error("no session");
    await storage.putSession(session as Parameters<typeof storage.putSession>[0]);
    const engine = createNocturne({ storage, model: createOfflineConsolidationModel(), tokenizer });
    const created = await engine.dreams.create({
      inputs: [
        { type: "memory_store", memory_store_id: store.id },
        { type: "sessions", session_ids: [session.id] },
      ],
    });
    await engine.dreams.wait(created.id);
    expect(JSON.stringify(await storage.getDreamRecord(created.id))).not.toContain(secret.secret);
  });
});
