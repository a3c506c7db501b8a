import { readFileSync } from "node:fs";
import { createOfflineConsolidationModel } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { chunkOf, line } from "./support.js";

const Chat = z.object({
  description: z.string(),
  turns: z.array(z.object({ role: z.enum(["user", "agent"]), text: z.string() })),
  facts: z.array(
    z.object({
      attribute: z.string(),
      value: z.string(),
      cardinality: z.enum(["single", "multi"]),
      polarity: z.enum(["positive", "negative"]),
    }),
  ),
});

const chat = Chat.parse(JSON.parse(readFileSync(new URL("./fixtures/casual-chat.json", import.meta.url), "utf8")));

describe("offline model: a 200-turn casual chat", () => {
  it("yields exactly the six facts scattered in the small talk, and nothing else", async () => {
    expect(chat.turns).toHaveLength(200);
    const chunk = chunkOf(
      "sesn_chat",
      chat.turns.map((turn, index) => line("sesn_chat", index, turn.text, turn.role)),
    );
    const declined: Array<{ reason: string; text: string }> = [];
    const facts = await createOfflineConsolidationModel().extract(
      { type: "transcript", chunk },
      {
        signal: new AbortController().signal,
        instructions: "",
        reportUsage: () => {},
        decline: (entry) => declined.push(entry),
      },
    );
    const got = facts.map((fact) => ({
      attribute: fact.key,
      value: fact.value,
      cardinality: fact.cardinality ?? "multi",
      polarity: fact.polarity ?? "positive",
    }));
    expect(got).toEqual(chat.facts);
    // What was declined is reported by reason: questions, pleasantries, the sister's city, the hypothetical dog …
    const reasons = new Set(declined.map((entry) => entry.reason));
    for (const reason of ["question", "pleasantry", "hypothetical"]) expect(reasons).toContain(reason);
  });
});
