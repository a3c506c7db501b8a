import { createInMemoryAdapter, createNocturne, type GenerateRequest } from "@nocturne/core";
import { CONSOLIDATION_OUTPUT_NAMES } from "@nocturne/core/internals";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeLlmServer, startFakeAnthropic } from "../../core/test/helpers/fake-llm-servers.js";
import { sessionOf, storeWith } from "../../core/test/helpers/fixtures.js";
import { ruleScript } from "../../core/test/helpers/rule-script.js";
import { createAnthropicModel } from "../src/index.js";

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const LINES = [
  "Quick note: I prefer tabs, as before.",
  "The flaky login test failed again.",
  "By the way, we use pnpm for packages.",
];

describe("prompt cache writes through the real SDK at concurrency 8", () => {
  it("writes each distinct prefix once per dream; the other calls of its kind read it", async () => {
    const storage = createInMemoryAdapter();
    const storeId = await storeWith(storage, { "/profile.md": "# Profile\n\n- I live in Berlin\n" });
    const sessionIds: string[] = [];
    for (let n = 0; n < 12; n++) {
      const session = sessionOf(`sesn_${n}`, n + 1, [LINES[n % 3] ?? "", `I moved to City${n} this week.`]);
      await storage.putSession(session);
      sessionIds.push(session.id);
    }
    let maxOpen = 0;
    server = await startFakeAnthropic(
      (request: GenerateRequest) => {
        maxOpen = Math.max(maxOpen, server?.open ?? 0);
        return ruleScript(request);
      },
      undefined,
      { answerWhenQuiet: true },
    );
    const model = createAnthropicModel({ apiKey: "sk-ant-loopback", baseURL: server.url });
    const nocturne = createNocturne({ storage, model, concurrency: 8, chunkTokens: 40 });

    const created = await nocturne.dreams.create({
      inputs: [
        { type: "memory_store", memory_store_id: storeId },
        { type: "sessions", session_ids: sessionIds },
      ],
    });
    const dream = await nocturne.dreams.wait(created.id);
    await nocturne.close();

    expect(dream.status).toBe("completed");
    const writes: Record<string, number> = {};
    const reads: Record<string, number> = {};
    for (const entry of server.log) {
      const kind = entry.output ?? "text";
      if (entry.usage.cache_creation_input_tokens > 0) writes[kind] = (writes[kind] ?? 0) + 1;
      if (entry.usage.cache_read_input_tokens > 0) reads[kind] = (reads[kind] ?? 0) + 1;
    }
    const kinds = Object.keys(server.answered);
    expect(kinds).toContain(CONSOLIDATION_OUTPUT_NAMES.extract);
    expect(kinds).toContain(CONSOLIDATION_OUTPUT_NAMES.synthesize);
    expect(writes).toEqual(Object.fromEntries(kinds.map((kind) => [kind, 1])));
    expect(server.answered[CONSOLIDATION_OUTPUT_NAMES.extract]).toBeGreaterThanOrEqual(12);
    expect(reads[CONSOLIDATION_OUTPUT_NAMES.extract]).toBe(
      (server.answered[CONSOLIDATION_OUTPUT_NAMES.extract] ?? 0) - 1,
    );
    expect(maxOpen).toBe(8);
    expect(dream.usage).toEqual(server.reported);
  });
});
