import { addUsage, createLlmConsolidationModel, emptyUsage, type GenerateRequest, NocturneError } from "@nocturne/core";
import { withRetry } from "@nocturne/core/internals";
import { describe, expect, it } from "vitest";
import { useLoopbackServer } from "../../core/test/helpers/loopback-server.js";
import { anthropicError, anthropicMessage } from "../../core/test/helpers/wire-replies.js";
import { createAnthropicModel } from "../src/index.js";

const output = {
  name: "record_answer",
  description: "The answer.",
  schema: {
    type: "object",
    properties: {
      answer: { type: "string", minLength: 1, maxLength: 50 },
      items: { type: "array", items: { type: "string" }, minItems: 2 },
    },
    required: ["answer"],
  },
};

function request(extra: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    system: [
      { text: "stable base prompt", cache: true },
      { text: "operator instructions", cache: true },
      { text: "volatile tail" },
    ],
    messages: [{ role: "user", content: "hello" }],
    ...extra,
  };
}

const serve = useLoopbackServer();

function claude(url: string, extra: Parameters<typeof createAnthropicModel>[0] = {}) {
  return createAnthropicModel({ apiKey: "sk-ant-test", baseURL: url, ...extra });
}

function failure(promise: Promise<unknown>): Promise<NocturneError> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => {
      if (!NocturneError.isInstance(error)) throw error;
      return error;
    },
  );
}

describe("createAnthropicModel against a loopback Messages API", () => {
  it("sends the model, cached system prefix and JSON schema, and reports the server's usage", async () => {
    const usage = {
      input_tokens: 120,
      output_tokens: 30,
      cache_creation_input_tokens: 1500,
      cache_read_input_tokens: 0,
    };
    const srv = await serve(() => anthropicMessage({ text: '{"answer":"42"}', usage }));
    const model = claude(srv.url, { model: "claude-opus-4-7" });
    const result = await model.generate(request({ output, maxOutputTokens: 512 }));

    expect(result).toEqual({ text: '{"answer":"42"}', json: { answer: "42" }, usage, stopReason: "end_turn" });
    expect(model.provider).toBe("anthropic");
    expect(model.modelId).toBe("claude-opus-4-7");
    const [received] = srv.requests;
    expect(received?.method).toBe("POST");
    expect(received?.path).toBe("/v1/messages");
    expect([received?.headers["x-api-key"], received?.headers.authorization]).toContainEqual(
      expect.stringContaining("sk-ant-test"),
    );
    expect(received?.headers["x-stainless-retry-count"]).toBe("0");
    const body = received?.body as Record<string, unknown>;
    expect(body.model).toBe("claude-opus-4-7");
    expect(body.max_tokens).toBe(512);
    expect(body.system).toEqual([
      { type: "text", text: "stable base prompt" },
      { type: "text", text: "operator instructions", cache_control: { type: "ephemeral" } },
      { type: "text", text: "volatile tail" },
    ]);
    expect(body.messages).toEqual([{ role: "user", content: "hello" }]);
    expect(body).not.toHaveProperty("tools");
    const format = (body.output_config as { format: { type: string; schema: Record<string, unknown> } }).format;
    expect(format.type).toBe("json_schema");
    expect(format.schema).toMatchObject({ type: "object", additionalProperties: false, required: ["answer"] });
    expect(JSON.stringify(format.schema)).toContain("minItems: 2");
    expect(model.estimateCost(usage)).toBeCloseTo((120 * 5 + 30 * 25 + 1500 * 6.25) / 1e6, 10);
  });

  it("asks for structured output through one forced tool in tool mode", async () => {
    const srv = await serve(() =>
      anthropicMessage({
        toolUse: { name: "record_answer", input: { answer: "yes" } },
        usage: { input_tokens: 5, output_tokens: 2 },
      }),
    );
    const result = await claude(srv.url, { structuredOutput: "tool", cacheTtl: "1h" }).generate(request({ output }));
    expect(result.json).toEqual({ answer: "yes" });
    expect(result.text).toBe('{"answer":"yes"}');
    const body = srv.requests[0]?.body as Record<string, unknown>;
    expect(body.tools).toEqual([{ name: "record_answer", description: "The answer.", input_schema: output.schema }]);
    expect(body.tool_choice).toEqual({ type: "tool", name: "record_answer", disable_parallel_tool_use: true });
    expect(body).not.toHaveProperty("output_config");
    expect((body.system as Array<Record<string, unknown>>)[1]?.cache_control).toEqual({ type: "ephemeral", ttl: "1h" });
    expect(body.max_tokens).toBe(8192);
  });

  it("maps HTTP failures to typed errors, reading retry-after", async () => {
    const replies = [
      anthropicError(429, "rate_limit_error", "slow down", { "retry-after": "7" }),
      anthropicError(529, "overloaded_error", "overloaded"),
      anthropicError(500, "api_error", "boom"),
      anthropicError(503, "api_error", "unavailable", { "retry-after-ms": "250" }),
      anthropicError(408, "timeout_error", "too slow"),
      anthropicError(409, "conflict_error", "conflict"),
      anthropicError(401, "authentication_error", "bad key"),
      anthropicError(403, "permission_error", "forbidden"),
      anthropicError(400, "invalid_request_error", "max_tokens: too large"),
      anthropicError(404, "not_found_error", "model: claude-nope"),
    ];
    const srv = await serve((_req, index) => replies[index] ?? anthropicError(500, "api_error", "unexpected"));
    const model = claude(srv.url);
    const seen = [];
    for (const _ of replies) {
      const error = await failure(model.generate(request()));
      seen.push([error.code, error.retryable, error.retryAfterMs, error.details.status]);
    }
    expect(seen).toEqual([
      ["model_rate_limited", true, 7000, 429],
      ["model_overloaded", true, undefined, 529],
      ["model_unavailable", true, undefined, 500],
      ["model_unavailable", true, 250, 503],
      ["model_timeout", true, undefined, 408],
      ["model_unavailable", true, undefined, 409],
      ["model_auth_failed", false, undefined, 401],
      ["model_auth_failed", false, undefined, 403],
      ["model_request_invalid", false, undefined, 400],
      ["model_request_invalid", false, undefined, 404],
    ]);
    expect(srv.requests).toHaveLength(replies.length);
  });

  it("is retried by withRetry through 429, 529 and 500, one HTTP request per attempt", async () => {
    const replies = [
      anthropicError(429, "rate_limit_error", "slow down", { "retry-after": "0" }),
      anthropicError(529, "overloaded_error", "overloaded"),
      anthropicError(500, "api_error", "boom"),
      anthropicMessage({ text: "fine", usage: { input_tokens: 3, output_tokens: 1 } }),
    ];
    const srv = await serve((_req, index) => replies[index] ?? anthropicError(500, "api_error", "unexpected"));
    const model = claude(srv.url);
    const codes: string[] = [];
    const result = await withRetry(() => model.generate(request()), {
      baseDelayMs: 1,
      onRetry: ({ error }) => codes.push(error.code),
    });
    expect(result.text).toBe("fine");
    expect(codes).toEqual(["model_rate_limited", "model_overloaded", "model_unavailable"]);
    expect(srv.requests).toHaveLength(4);
  });

  it("fails fast on a 4xx under withRetry", async () => {
    const srv = await serve(() => anthropicError(401, "authentication_error", "bad key"));
    const error = await failure(withRetry(() => claude(srv.url).generate(request()), { baseDelayMs: 1 }));
    expect(error.code).toBe("model_auth_failed");
    expect(error.message).toContain("Check the API key");
    expect(srv.requests).toHaveLength(1);
  });

  it("times out a hung response with a retryable model_timeout and closes the connection", async () => {
    const srv = await serve((_req, index) =>
      index === 0 ? { hang: true } : anthropicMessage({ text: "late but fine" }),
    );
    const model = claude(srv.url, { timeoutMs: 300 });
    const error = await failure(model.generate(request()));
    expect(error.code).toBe("model_timeout");
    expect(error.retryable).toBe(true);
    expect((await withRetry(() => model.generate(request()), { baseDelayMs: 1 })).text).toBe("late but fine");
    await expect.poll(() => srv.abandoned).toBe(1);
  });

  it("reports truncated and malformed JSON as retryable model_output_invalid carrying the usage", async () => {
    const usage = { input_tokens: 50, output_tokens: 64 };
    const replies = [
      anthropicMessage({ text: '{"answer":"a very long ans', usage, stopReason: "max_tokens" }),
      anthropicMessage({ text: "Here you go: {answer: 1", usage }),
      anthropicMessage({ text: "", usage, stopReason: "refusal" }),
    ];
    const srv = await serve((_req, index) => replies[index] ?? anthropicError(500, "api_error", "unexpected"));
    const model = claude(srv.url);
    const truncated = await failure(model.generate(request({ output })));
    expect(truncated).toMatchObject({ code: "model_output_invalid", retryable: true });
    expect(truncated.message).toContain("output limit");
    expect(truncated.details).toMatchObject({
      stopReason: "max_tokens",
      usage: { input_tokens: 50, output_tokens: 64 },
    });
    const malformed = await failure(model.generate(request({ output })));
    expect(malformed).toMatchObject({ code: "model_output_invalid", retryable: true });
    expect(malformed.details.text).toBe("Here you go: {answer: 1");
    expect(await failure(model.generate(request({ output })))).toMatchObject({ code: "model_output_invalid" });
  });

  it("feeds schema-violating output back through the consolidation model and sums the server's usage", async () => {
    const usages = [
      { input_tokens: 1000, output_tokens: 10, cache_creation_input_tokens: 1700, cache_read_input_tokens: 0 },
      { input_tokens: 1100, output_tokens: 40, cache_creation_input_tokens: 0, cache_read_input_tokens: 1700 },
      { input_tokens: 1200, output_tokens: 50, cache_creation_input_tokens: 0, cache_read_input_tokens: 1700 },
    ];
    const fact = {
      key: "user.home_city",
      topic: "profile",
      statement: "The user lives in Lisbon.",
      kind: "fact",
      evidence: [{ event_id: "e1", quote: "I live in Lisbon" }],
    };
    const replies = [
      anthropicMessage({ text: JSON.stringify({ facts: [{ ...fact, kind: "gossip" }] }), usage: usages[0] }),
      anthropicMessage({
        text: JSON.stringify({ facts: [fact] }).slice(0, 40),
        usage: usages[1],
        stopReason: "max_tokens",
      }),
      anthropicMessage({ text: JSON.stringify({ facts: [fact] }), usage: usages[2] }),
    ];
    const srv = await serve((_req, index) => replies[index] ?? anthropicError(500, "api_error", "unexpected"));
    const consolidation = createLlmConsolidationModel(claude(srv.url));
    const total = emptyUsage();
    const facts = await consolidation.extract(
      {
        type: "transcript",
        chunk: {
          key: "sesn_1#0",
          sessionId: "sesn_1",
          index: 0,
          tokens: 10,
          lines: [
            {
              sessionId: "sesn_1",
              eventId: "evt_1",
              role: "user",
              text: "I live in Lisbon.",
              at: "2026-03-01T00:00:00.000Z",
            },
          ],
        },
      },
      { signal: new AbortController().signal, instructions: "Keep places.", reportUsage: (u) => addUsage(total, u) },
    );
    // The answer cites the alias the prompt shows; the engine gets the event id back.
    expect(facts).toEqual([{ ...fact, evidence: [{ event_id: "evt_1", quote: "I live in Lisbon" }] }]);
    expect(total).toEqual({
      input_tokens: 3300,
      output_tokens: 100,
      cache_creation_input_tokens: 1700,
      cache_read_input_tokens: 3400,
    });
    const bodies = srv.requests.map(
      (r) => r.body as { system: unknown[]; messages: Array<{ role: string; content: string }> },
    );
    expect(bodies[0]?.system).toHaveLength(2);
    expect(bodies[0]?.system[1]).toMatchObject({ cache_control: { type: "ephemeral" } });
    expect(bodies[0]?.system[1]).toMatchObject({ text: expect.stringContaining("Keep places.") });
    expect(bodies.every((body) => JSON.stringify(body.system) === JSON.stringify(bodies[0]?.system))).toBe(true);
    expect(bodies[1]?.messages.at(-1)?.content).toContain("facts[0].kind");
    expect(bodies[2]?.messages.at(-1)?.content).toContain("cut off at the output limit");
  });

  it("aborts an in-flight request when the signal fires", async () => {
    const srv = await serve(() => ({ hang: true }));
    const controller = new AbortController();
    const pending = failure(claude(srv.url).generate(request({ signal: controller.signal })));
    await srv.waitForOpen(1);
    controller.abort(new Error("dream canceled"));
    expect((await pending).code).toBe("aborted");
    await expect.poll(() => srv.abandoned).toBe(1);
    expect((await failure(claude(srv.url).generate(request({ signal: controller.signal })))).code).toBe("aborted");
    expect(srv.requests).toHaveLength(1);
  });

  it("counts tokens with the count_tokens endpoint", async () => {
    const srv = await serve(() => ({ json: { input_tokens: 321 } }));
    expect(await claude(srv.url).countTokens(request({ output }))).toBe(321);
    expect(srv.requests[0]?.path).toBe("/v1/messages/count_tokens");
    expect(srv.requests[0]?.body).not.toHaveProperty("max_tokens");
    expect(srv.requests[0]?.body).toHaveProperty("output_config");
  });

  it("needs an API key and says where to put it", () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      expect(() => createAnthropicModel()).toThrow(expect.objectContaining({ code: "model_auth_failed" }));
    } finally {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
    }
  });

  it("estimates cost only for models with a known price", () => {
    const usage = { input_tokens: 1_000_000, output_tokens: 0 };
    expect(createAnthropicModel({ apiKey: "k", model: "claude-sonnet-4-6" }).estimateCost(usage)).toBe(3);
    expect(createAnthropicModel({ apiKey: "k", model: "claude-haiku-4-5-20251001" }).estimateCost(usage)).toBe(1);
    expect(createAnthropicModel({ apiKey: "k", model: "claude-unknown-9" }).estimateCost(usage)).toBeNull();
  });
});
