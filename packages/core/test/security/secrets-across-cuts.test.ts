import { createInMemoryAdapter, createNocturne, createTiktokenTokenizer, type SessionInput } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { createCompromisedModel, fact } from "./fixtures/compromised-model.js";
import { plantedSecrets } from "./fixtures/secret-corpus.js";

const tokenizer = createTiktokenTokenizer();

/** Filler that tokenizes evenly, so a secret can be moved across where an event is split or a result cut. */
const words = (count: number) => Array.from({ length: count }, (_, n) => `word${n % 97}`).join(" ");

/**
 * Events longer than the chunk budget are split into parts, and tool results longer than their budget are cut to a
 * head and a tail. A secret that straddles such a boundary must be redacted before it, not after: either half alone
 * no longer looks like a secret.
 */
describe("a secret where an event is split or a tool result is cut", () => {
  const secrets = plantedSecrets(11).filter((secret) => !secret.statistical && secret.secret.length >= 24);

  it("never reaches the model, in whole or in part", async () => {
    const storage = createInMemoryAdapter();
    const store = await storage.createMemoryStore({ name: "empty" });
    const sessions: SessionInput[] = [];
    for (const [index, secret] of secrets.slice(0, 12).entries()) {
      const events: SessionInput["events"] = [];
      for (let offset = 0; offset < 24; offset++) {
        const text = `${words(150 + offset * 3)} ${secret.text} ${words(150)}`;
        const at = new Date(Date.parse("2026-03-01T10:00:00.000Z") + index * 86_400_000 + offset * 60_000);
        events.push(
          {
            id: `evt_${index}_${offset}_u`,
            type: "user.message",
            processed_at: at.toISOString(),
            content: [{ type: "text", text }],
          },
          {
            id: `evt_${index}_${offset}_r`,
            type: "agent.tool_result",
            processed_at: at.toISOString(),
            tool_use_id: `evt_none_${offset}`,
            content: `${words(offset * 5)}\n${secret.text}\n${words(400)}`,
          },
        );
      }
      sessions.push({ id: `sesn_cut_${index}`, title: null, created_at: events[0]?.processed_at ?? "", events });
    }
    for (const session of sessions) await storage.putSession(session as Parameters<typeof storage.putSession>[0]);

    const model = createCompromisedModel({
      extract: (items) =>
        items.slice(0, 1).map((item) => fact(`echo.${item.id}`, "nothing", item.id, item.text.slice(0, 20))),
    });
    const engine = createNocturne({ storage, model, tokenizer, chunkTokens: 200, toolResultTokens: 100 });
    const created = await engine.dreams.create({
      inputs: [
        { type: "memory_store", memory_store_id: store.id },
        { type: "sessions", session_ids: sessions.map((session) => session.id) },
      ],
    });
    const dream = await engine.dreams.wait(created.id);
    expect(dream.status, JSON.stringify(dream.error)).toBe("completed");

    const prompts = model.calls
      .map((call) => call.request.messages.map((message) => message.content).join("\n"))
      .join("\n");
    expect(prompts).toContain("[REDACTED:");
    const leaks = new Set<string>();
    for (const secret of secrets.slice(0, 12)) {
      for (let at = 0; at + 10 <= secret.secret.length; at++) {
        if (prompts.includes(secret.secret.slice(at, at + 10))) leaks.add(secret.kind);
      }
    }
    expect([...leaks]).toEqual([]);
  });
});
