import {
  createInMemoryAdapter,
  createNocturne,
  DREAM_DEFAULTS,
  type NocturneOptions,
  type RetryOptions,
} from "@nocturne/core";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeLlmServer, type Fault, startFakeAnthropic } from "../../core/test/helpers/fake-llm-servers.js";
import { sessionOf, storeWith } from "../../core/test/helpers/fixtures.js";
import { type LoopbackServer, startLoopbackServer } from "../../core/test/helpers/loopback-server.js";
import { ruleScript } from "../../core/test/helpers/rule-script.js";
import { anthropicError } from "../../core/test/helpers/wire-replies.js";
import { createAnthropicModel } from "../src/index.js";

/** Time runs 50 times faster in these tests: the retry policy's defaults, scaled (60 s of 529s become 1.2 s). */
const SCALE = 50;
const SCALED_DEFAULTS: RetryOptions = {
  retries: DREAM_DEFAULTS.retry.retries,
  baseDelayMs: DREAM_DEFAULTS.retry.baseDelayMs / SCALE,
  maxDelayMs: DREAM_DEFAULTS.retry.maxDelayMs / SCALE,
};

let servers: Array<FakeLlmServer | LoopbackServer> = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function smallDream(url: string, options: Partial<NocturneOptions> = {}) {
  const storage = createInMemoryAdapter();
  const storeId = await storeWith(storage, { "/profile.md": "# Profile\n\n- I live in Berlin\n" });
  const sessions = [
    sessionOf("sesn_a", 10, ["Quick note: I prefer tabs, as before.", "The flaky login test failed again."]),
    sessionOf("sesn_b", 20, ["Big news, I moved to Lisbon last week!", "Ugh, flaky login test again."]),
  ];
  for (const session of sessions) await storage.putSession(session);
  const model = createAnthropicModel({ apiKey: "sk-ant-loopback", baseURL: url });
  const nocturne = createNocturne({ storage, model, ...options });
  const created = await nocturne.dreams.create({
    inputs: [
      { type: "memory_store", memory_store_id: storeId },
      { type: "sessions", session_ids: sessions.map((session) => session.id) },
    ],
  });
  return { nocturne, id: created.id };
}

/** Every request is a 529 for the first `ms` after the first request. */
function overloadedFor(ms: number): Fault {
  let first: number | undefined;
  return () => {
    first ??= Date.now();
    return Date.now() - first < ms ? anthropicError(529, "overloaded_error", "Overloaded") : undefined;
  };
}

describe("a dream through Claude (real SDK) on a loopback server", () => {
  it("rides out 60 s of 100 % 529 with the default retry policy (time scaled 1:50)", async () => {
    const srv = await startFakeAnthropic(ruleScript, overloadedFor(60_000 / SCALE));
    servers.push(srv);
    const { nocturne, id } = await smallDream(srv.url, { retry: SCALED_DEFAULTS });
    const dream = await nocturne.dreams.wait(id);
    expect(dream.error).toBeNull();
    expect(dream.status).toBe("completed");
    expect(srv.requests.length).toBeGreaterThan(srv.log.length);
    expect(dream.usage).toEqual(srv.reported);
  });

  it("without the overload budget the same burst fails the dream (what the budget fixes)", async () => {
    const srv = await startFakeAnthropic(ruleScript, overloadedFor(60_000 / SCALE));
    servers.push(srv);
    const { nocturne, id } = await smallDream(srv.url, { retry: { ...SCALED_DEFAULTS, overloadBudgetMs: 0 } });
    const dream = await nocturne.dreams.wait(id);
    expect(dream.status).toBe("failed");
    expect(dream.error?.message).toContain("[model_overloaded]");
  });

  it("a failed dream's usage equals what the server billed, and no request follows the failure", async () => {
    const srv = await startFakeAnthropic(ruleScript, (_req, index) =>
      index === 2 ? anthropicError(400, "invalid_request_error", "prompt is too long") : undefined,
    );
    servers.push(srv);
    const { nocturne, id } = await smallDream(srv.url, { concurrency: 1, retry: SCALED_DEFAULTS });
    const dream = await nocturne.dreams.wait(id);
    expect(dream.status).toBe("failed");
    expect(dream.error?.message).toContain("[model_request_invalid]");
    expect(srv.requests).toHaveLength(3);
    expect(dream.usage.input_tokens).toBeGreaterThan(0);
    expect(dream.usage).toEqual(srv.reported);
  });

  it("a server that reports no usage gives the dream a notice", async () => {
    const srv = await startLoopbackServer((received) => {
      const schema = (received.body as { output_config?: { format?: { schema?: { required?: string[] } } } })
        .output_config?.format?.schema;
      const key = schema?.required?.[0] ?? "facts";
      return {
        json: {
          id: "msg_no_usage",
          type: "message",
          role: "assistant",
          model: "claude-sonnet-4-6",
          content: [{ type: "text", text: JSON.stringify({ [key]: [] }) }],
          stop_reason: "end_turn",
          stop_sequence: null,
        },
      };
    });
    servers.push(srv);
    const { nocturne, id } = await smallDream(srv.url, { retry: SCALED_DEFAULTS });
    const dream = await nocturne.dreams.wait(id);
    expect(dream.status).toBe("completed");
    expect(dream.usage.input_tokens).toBe(0);
    const report = await nocturne.dreams.report(id);
    expect(report?.notices.some((notice) => notice.includes("reported no token usage"))).toBe(true);
  });
});
