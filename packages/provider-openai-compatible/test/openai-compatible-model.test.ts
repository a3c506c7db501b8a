import { addUsage, createLlmConsolidationModel, emptyUsage, type GenerateRequest, NocturneError } from "@nocturne/core";
import { withRetry } from "@nocturne/core/internals";
import { describe, expect, it } from "vitest";
import { useLoopbackServer } from "../../core/test/helpers/loopback-server.js";
import { chatCompletion, chatError } from "../../core/test/helpers/wire-replies.js";
import { createOpenAICompatibleModel } from "../src/index.js";

const output = {
  name: "record_answer",
  description: "The answer.",
  schema: { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] },
};

function request(extra: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    system: [
      { text: "stable base prompt", cache: true },
      { text: "operator instructions", cache: true },
    ],
    messages: [{ role: "user", content: "hello" }],
    ...extra,
  };
}

const serve = useLoopbackServer();

function local(url: string, extra: Partial<Parameters<typeof createOpenAICompatibleModel>[0]> = {}) {
  return createOpenAICompatibleModel({ baseURL: `${url}/v1/`, model: "llama3.1:8b", ...extra });
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

describe("createOpenAICompatibleModel against a loopback chat-completions server", () => {
  it("sends the model, system prompt first and response_format json_schema, and maps usage", async () => {
    const srv = await serve(() =>
      chatCompletion({ content: '{"answer":"42"}', promptTokens: 900, completionTokens: 12, cached: 600 }),
    );
    const model = local(srv.url, { apiKey: "sk-local" });
    const result = await model.generate(request({ output, maxOutputTokens: 256, temperature: 0 }));
    expect(result).toEqual({
      text: '{"answer":"42"}',
      json: { answer: "42" },
      usage: { input_tokens: 300, output_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 600 },
      stopReason: "stop",
    });
    expect(model.provider).toBe("openai-compatible");
    expect(model.modelId).toBe("llama3.1:8b");
    const [received] = srv.requests;
    expect(received?.path).toBe("/v1/chat/completions");
    expect(received?.headers.authorization).toBe("Bearer sk-local");
    expect(received?.body).toEqual({
      model: "llama3.1:8b",
      messages: [
        { role: "system", content: "stable base prompt\n\noperator instructions" },
        { role: "user", content: "hello" },
      ],
      max_tokens: 256,
      stream: false,
      temperature: 0,
      response_format: {
        type: "json_schema",
        json_schema: { name: "record_answer", description: "The answer.", schema: output.schema, strict: false },
      },
    });
  });

  it("sends no authorization without a key and accepts JSON wrapped in a code fence", async () => {
    const srv = await serve(() => chatCompletion({ content: '```json\n{"answer":"fenced"}\n```' }));
    const result = await local(srv.url).generate(request({ output }));
    expect(result.json).toEqual({ answer: "fenced" });
    expect(srv.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("maps HTTP failures to the same typed errors as the Anthropic provider", async () => {
    const replies = [
      chatError(429, "rate limited", { "retry-after": "3" }),
      chatError(500, "boom"),
      chatError(503, "loading model"),
      chatError(401, "bad key"),
      chatError(404, "model 'nope' not found, try pulling it first"),
      { status: 400, json: { error: "invalid json_schema" } },
    ];
    const srv = await serve((_req, index) => replies[index] ?? chatError(500, "unexpected"));
    const model = local(srv.url);
    const seen = [];
    for (const _ of replies) {
      const error = await failure(model.generate(request({ output })));
      seen.push([error.code, error.retryable, error.retryAfterMs]);
    }
    expect(seen).toEqual([
      ["model_rate_limited", true, 3000],
      ["model_unavailable", true, undefined],
      ["model_unavailable", true, undefined],
      ["model_auth_failed", false, undefined],
      ["model_request_invalid", false, undefined],
      ["model_request_invalid", false, undefined],
    ]);
    expect(srv.requests).toHaveLength(replies.length);
  });

  it("reports a missing server as retryable model_unavailable", async () => {
    const srv = await serve(() => chatCompletion({ content: "{}" }));
    const url = srv.url;
    await srv.close();
    const error = await failure(local(url).generate(request()));
    expect(error).toMatchObject({ code: "model_unavailable", retryable: true });
  });

  it("is retried by withRetry through 429 and 500", async () => {
    const replies = [
      chatError(429, "slow", { "retry-after": "0" }),
      chatError(502, "bad gateway"),
      chatCompletion({ content: "ok" }),
    ];
    const srv = await serve((_req, index) => replies[index] ?? chatError(500, "unexpected"));
    const result = await withRetry(() => local(srv.url).generate(request()), { baseDelayMs: 1 });
    expect(result.text).toBe("ok");
    expect(srv.requests).toHaveLength(3);
  });

  it("times out a hung response, truncates cleanly and reports bad JSON as output errors", async () => {
    const replies = [
      { hang: true as const },
      chatCompletion({ content: '{"answer":"cut', finishReason: "length", promptTokens: 10, completionTokens: 5 }),
      chatCompletion({ content: "not json at all" }),
    ];
    const srv = await serve((_req, index) => replies[index] ?? chatError(500, "unexpected"));
    const model = local(srv.url, { timeoutMs: 300 });
    expect(await failure(model.generate(request({ output })))).toMatchObject({
      code: "model_timeout",
      retryable: true,
    });
    const truncated = await failure(model.generate(request({ output })));
    expect(truncated).toMatchObject({ code: "model_output_invalid", retryable: true });
    expect(truncated.details).toMatchObject({ stopReason: "length", usage: { input_tokens: 10, output_tokens: 5 } });
    expect(await failure(model.generate(request({ output })))).toMatchObject({ code: "model_output_invalid" });
    await expect.poll(() => srv.abandoned).toBe(1);
  });

  it("feeds schema-violating output back through the consolidation model and sums the server's usage", async () => {
    const fact = {
      key: "user.editor",
      topic: "preferences",
      statement: "The user edits in Helix.",
      kind: "preference",
      evidence: [{ event_id: "e1", quote: "I use Helix" }],
    };
    const replies = [
      chatCompletion({
        content: JSON.stringify({ facts: [{ ...fact, evidence: [] }] }),
        promptTokens: 800,
        completionTokens: 30,
      }),
      chatCompletion({
        content: JSON.stringify({ facts: [fact] }),
        promptTokens: 900,
        completionTokens: 40,
        cached: 700,
      }),
    ];
    const srv = await serve((_req, index) => replies[index] ?? chatError(500, "unexpected"));
    const total = emptyUsage();
    const facts = await createLlmConsolidationModel(local(srv.url)).extract(
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
              text: "I use Helix.",
              at: "2026-03-01T00:00:00.000Z",
            },
          ],
        },
      },
      { signal: new AbortController().signal, instructions: "", reportUsage: (u) => addUsage(total, u) },
    );
    // The answer cites the alias the prompt shows; the engine gets the event id back.
    expect(facts).toEqual([{ ...fact, evidence: [{ event_id: "evt_1", quote: "I use Helix" }] }]);
    expect(total).toEqual({
      input_tokens: 1000,
      output_tokens: 70,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 700,
    });
    const retry = srv.requests[1]?.body as { messages: Array<{ role: string; content: string }> };
    expect(retry.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(retry.messages.at(-1)?.content).toContain("facts[0].evidence");
  });

  it("aborts an in-flight request when the signal fires", async () => {
    const srv = await serve(() => ({ hang: true }));
    const controller = new AbortController();
    const pending = failure(local(srv.url).generate(request({ signal: controller.signal })));
    await srv.waitForOpen(1);
    controller.abort();
    expect((await pending).code).toBe("aborted");
    await expect.poll(() => srv.abandoned).toBe(1);
  });

  it("rejects a base URL that is not http(s)", () => {
    expect(() => createOpenAICompatibleModel({ baseURL: "localhost:11434", model: "m" })).toThrow(
      expect.objectContaining({ code: "invalid_input" }),
    );
  });
});
