import { createInMemoryAdapter, createNocturne, type LanguageModel, type StorageAdapter } from "@nocturne/core";
import { CONSOLIDATION_OUTPUT_NAMES } from "@nocturne/core/internals";
import { afterEach, describe, expect, it } from "vitest";
import type { FakeLlmServer, Fault } from "./fake-llm-servers.js";
import { fingerprint, sessionOf, storeWith } from "./fixtures.js";

const FAST_RETRY = { retries: 4, baseDelayMs: 1, maxDelayMs: 5 };

async function setup(storage: StorageAdapter = createInMemoryAdapter()) {
  const storeId = await storeWith(storage, {
    "/profile.md": "# Profile\n\n- I live in Berlin\n",
    "/preferences/editor.md": "- I prefer tabs\n",
  });
  const sessions = [
    sessionOf("sesn_a", 10, ["Quick note: I prefer tabs, as before.", "The flaky login test failed again."]),
    sessionOf("sesn_b", 20, ["Big news, I moved to Lisbon last week!", "Ugh, flaky login test again."]),
    sessionOf("sesn_c", 30, ["By the way, we use pnpm for packages."]),
  ];
  for (const session of sessions) await storage.putSession(session);
  return {
    storage,
    storeId,
    inputs: [
      { type: "memory_store" as const, memory_store_id: storeId },
      { type: "sessions" as const, session_ids: sessions.map((s) => s.id) },
    ],
  };
}

/** One provider under test: its fake server, its model, and what to check. */
export interface Provider {
  name: string;
  start(fault?: Fault): Promise<FakeLlmServer>;
  model(url: string): LanguageModel;
  /** Faults for the first requests: a 429 with retry-after, an overload/5xx, and output cut at the limit. */
  faults: Fault;
  /** Asserts provider-specific request details on every model request. */
  checkRequests(server: FakeLlmServer): void;
  /**
   * Requests in flight at concurrency 3 while every request hangs: the memory batch and the one chunk of the three
   * short sessions, or only the first of them with Anthropic, which sends a prefix's first call alone.
   */
  whileFirstHangs: number;
}

/** Runs the full-dream tests through one provider against its loopback server. */
export function describeDreamThroughProvider(provider: Provider): void {
  describe(`a full dream through ${provider.name} on a loopback server`, () => {
    let server: FakeLlmServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it("consolidates through injected failures, with the dream's usage equal to the server's totals", async () => {
      const { storage, storeId, inputs } = await setup();
      server = await provider.start(provider.faults);
      const nocturne = createNocturne({
        storage,
        model: provider.model(server.url),
        retry: FAST_RETRY,
        concurrency: 2,
      });
      const before = await fingerprint(storage, storeId);

      const created = await nocturne.dreams.create({ inputs, instructions: "Keep it short." });
      const dream = await nocturne.dreams.wait(created.id);

      expect(dream.error).toBeNull();
      expect(dream.status).toBe("completed");
      const output = await storage.listMemories(dream.outputs[0]?.memory_store_id ?? "");
      const files = Object.fromEntries(output.data.map((m) => [m.path, m.content]));
      expect(files["/profile.md"]).toContain("User lives in Lisbon.");
      expect(files["/profile.md"]).not.toContain("Berlin");
      expect(files["/insights.md"]).toContain("Flaky tests recur across sessions.");
      expect(await fingerprint(storage, storeId)).toBe(before);

      expect(dream.usage).toEqual(server.reported);
      expect(dream.usage.input_tokens).toBeGreaterThan(0);
      // One batch of memories and one chunk holding the three short sessions.
      expect(server.answered[CONSOLIDATION_OUTPUT_NAMES.extract]).toBe(2);
      expect(server.answered[CONSOLIDATION_OUTPUT_NAMES.synthesize]).toBe(1);
      const prompts = server.requests.map((r) => JSON.stringify(r.body));
      expect(prompts.every((text) => text.includes("Keep it short."))).toBe(true);
      expect(prompts.some((text) => text.includes("cut off at the output limit"))).toBe(true);
      provider.checkRequests(server);
      await nocturne.close();
    });

    it("cancel mid-dream aborts every in-flight request", async () => {
      const { storage, inputs } = await setup();
      server = await provider.start(() => ({ hang: true }));
      const nocturne = createNocturne({
        storage,
        model: provider.model(server.url),
        retry: FAST_RETRY,
        concurrency: 3,
      });
      const created = await nocturne.dreams.create({ inputs });
      const ended = nocturne.dreams.wait(created.id).then((d) => `dream ended early: ${JSON.stringify(d.error)}`);
      const inFlight = provider.whileFirstHangs;
      expect(await Promise.race([server.waitForOpen(inFlight).then(() => "requests in flight"), ended])).toBe(
        "requests in flight",
      );

      await nocturne.dreams.cancel(created.id);
      const dream = await nocturne.dreams.wait(created.id);

      expect(dream.status).toBe("canceled");
      const srv = server;
      await expect.poll(() => srv.open).toBe(0);
      expect(srv.abandoned).toBe(srv.requests.length);
      expect(srv.requests.length).toBe(inFlight);
      expect(dream.usage).toEqual({
        input_tokens: 0,
        output_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      });
      await nocturne.close();
    });
  });
}
