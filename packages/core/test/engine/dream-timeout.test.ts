import {
  createInMemoryAdapter,
  createNocturne,
  createTiktokenTokenizer,
  type DreamEvent,
  type StorageAdapter,
} from "@nocturne/core";
import { createScriptedLanguageModel } from "@nocturne/testing";
import { describe, expect, it } from "vitest";
import { sessionOf, storeWith } from "../helpers/fixtures.js";
import { ruleScript } from "../helpers/rule-script.js";

/** Loaded before the tests, so a short budget is spent on the dream and not on loading the encoder. */
const tokenizer = createTiktokenTokenizer();
tokenizer.count("warm up");

async function setup(storage: StorageAdapter = createInMemoryAdapter()) {
  const storeId = await storeWith(storage, { "/profile.md": "# Profile\n\n- I live in Berlin\n" });
  const sessions = [
    sessionOf("sesn_a", 10, ["Quick note: I prefer tabs, as before."]),
    sessionOf("sesn_b", 20, ["Big news, I moved to Lisbon last week!"]),
  ];
  for (const session of sessions) await storage.putSession(session);
  return {
    storage,
    inputs: [
      { type: "memory_store" as const, memory_store_id: storeId },
      { type: "sessions" as const, session_ids: sessions.map((session) => session.id) },
    ],
  };
}

async function eventsOf(nocturne: ReturnType<typeof createNocturne>, id: string): Promise<DreamEvent[]> {
  const events: DreamEvent[] = [];
  for await (const event of nocturne.dreams.events(id)) events.push(event);
  return events;
}

describe("a dream's runtime budget (timeoutMs)", () => {
  it("fails a dream whose model stalls with timeout, keeps its output store unlocked and counts the usage so far", async () => {
    const { storage, inputs } = await setup();
    const model = createScriptedLanguageModel({
      script: (request, index) => (index === 0 ? ruleScript(request) : new Promise(() => undefined)),
    });
    const nocturne = createNocturne({ storage, model, tokenizer });
    const { id } = await nocturne.dreams.create({ inputs }, { timeoutMs: 1000 });

    const dream = await nocturne.dreams.wait(id);
    expect(dream.status).toBe("failed");
    expect(dream.error?.type).toBe("timeout");
    expect(dream.error?.message).toContain("[timeout]");
    expect(dream.usage.input_tokens).toBeGreaterThan(0);
    expect(model.calls.length).toBeGreaterThan(1);
    const outputId = dream.outputs[0]?.memory_store_id ?? "";
    expect((await storage.getMemoryStore(outputId))?.id).toBe(outputId);
    await storage.archiveMemoryStore(outputId);
    const events = await eventsOf(nocturne, id);
    expect(events.find((event) => event.type === "error")).toMatchObject({ error: { type: "timeout" } });
    expect(events.at(-1)).toMatchObject({ type: "status", status: "failed" });
    expect((await storage.getDreamRecord(id))?.dream).toMatchObject({ status: "failed", error: { type: "timeout" } });
    expect((await nocturne.dreams.report(id))?.error?.type).toBe("timeout");
  });

  it("keeps the memories written before the budget ran out, as a cancel does", async () => {
    const { storage, inputs } = await setup();
    const timeoutMs = 400;
    let deadline = 0;
    const realCreate = storage.createMemory.bind(storage);
    let writes = 0;
    storage.createMemory = async (storeId, input) => {
      const memory = await realCreate(storeId, input);
      if (++writes === 1) await new Promise((resolve) => setTimeout(resolve, deadline - Date.now() + 50));
      return memory;
    };
    const nocturne = createNocturne({ storage, tokenizer, model: createScriptedLanguageModel({ script: ruleScript }) });
    const created = await nocturne.dreams.create({ inputs }, { timeoutMs });
    deadline = Date.parse(created.created_at) + timeoutMs;

    const dream = await nocturne.dreams.wait(created.id);
    expect(dream.status).toBe("failed");
    expect(dream.error?.type).toBe("timeout");
    const outputId = dream.outputs[0]?.memory_store_id ?? "";
    expect((await storage.listMemories(outputId)).data).toHaveLength(1);
    expect((await nocturne.dreams.report(created.id))?.outputs).toHaveLength(1);
    await storage.deleteMemoryStore(outputId);
  });

  it("leaves a dream that ends within its budget alone, and refuses a budget that is no whole positive number", async () => {
    const { storage, inputs } = await setup();
    const nocturne = createNocturne({ storage, tokenizer, model: createScriptedLanguageModel({ script: ruleScript }) });
    const dream = await nocturne.dreams.wait((await nocturne.dreams.create({ inputs }, { timeoutMs: 60_000 })).id);
    expect(dream.status).toBe("completed");
    for (const timeoutMs of [0, -1, 1.5, Number.NaN, 2 ** 31]) {
      await expect(nocturne.dreams.create({ inputs }, { timeoutMs })).rejects.toMatchObject({ code: "invalid_input" });
    }
    expect((await nocturne.dreams.list()).data).toHaveLength(1);
  });
});
