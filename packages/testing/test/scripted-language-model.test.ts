import type { GenerateRequest } from "@nocturne/core";
import { NocturneError } from "@nocturne/core";
import { withRetry } from "@nocturne/core/internals";
import { createScriptedLanguageModel, scripted } from "@nocturne/testing";
import { describe, expect, it } from "vitest";

const output = { name: "facts", description: "facts", schema: { type: "object" } };

function request(content: string, extra: Partial<GenerateRequest> = {}): GenerateRequest {
  return { system: [{ text: "system prompt", cache: true }], messages: [{ role: "user", content }], ...extra };
}

describe("createScriptedLanguageModel", () => {
  it("answers from a handler and records every request with its index", async () => {
    const model = createScriptedLanguageModel({
      script: (req, index) => scripted.json({ echo: req.messages[0]?.content, index }, { input_tokens: 7 }),
    });
    const first = await model.generate(request("a", { output }));
    const second = await model.generate(request("b", { output }));
    expect(first.json).toEqual({ echo: "a", index: 0 });
    expect(second.json).toEqual({ echo: "b", index: 1 });
    expect(first.text).toBe('{"echo":"a","index":0}');
    expect(first.usage.input_tokens).toBe(7);
    expect(first.usage.output_tokens).toBe(Math.ceil(first.text.length / 4));
    expect(model.calls.map((call) => call.request.messages[0]?.content)).toEqual(["a", "b"]);
    expect(model.calls[1]?.result?.json).toEqual({ echo: "b", index: 1 });
    model.reset();
    expect(model.calls).toHaveLength(0);
  });

  it("answers a list in order and fails clearly past its end", async () => {
    const model = createScriptedLanguageModel({ script: [scripted.text("one"), scripted.overloaded()] });
    expect((await model.generate(request("x"))).text).toBe("one");
    await expect(model.generate(request("x"))).rejects.toMatchObject({ code: "model_overloaded", retryable: true });
    await expect(model.generate(request("x"))).rejects.toMatchObject({ code: "internal_error" });
    expect(model.calls[1]?.error?.code).toBe("model_overloaded");
  });

  it("parses text as JSON under structured output and fails malformed JSON like a provider", async () => {
    const model = createScriptedLanguageModel({
      script: [
        scripted.text('{"ok":true}'),
        scripted.truncatedJson({ facts: [1, 2, 3] }, { output_tokens: 11 }),
        scripted.malformedJson(),
      ],
    });
    expect((await model.generate(request("x", { output }))).json).toEqual({ ok: true });
    const truncated = await model.generate(request("x", { output })).catch((error: unknown) => error);
    expect(NocturneError.isInstance(truncated, "model_output_invalid")).toBe(true);
    expect((truncated as NocturneError).retryable).toBe(true);
    expect((truncated as NocturneError).details.usage).toMatchObject({ output_tokens: 11 });
    await expect(model.generate(request("x", { output }))).rejects.toMatchObject({ code: "model_output_invalid" });
  });

  it("scripts the provider failures withRetry acts on", async () => {
    const model = createScriptedLanguageModel({
      script: [scripted.rateLimited(5), scripted.unavailable(503), scripted.timeout(), scripted.text("done")],
    });
    const retries: string[] = [];
    const result = await withRetry(() => model.generate(request("x")), {
      baseDelayMs: 1,
      onRetry: ({ error, delayMs }) => retries.push(`${error.code}:${delayMs >= (error.retryAfterMs ?? 0)}`),
    });
    expect(result.text).toBe("done");
    expect(retries).toEqual(["model_rate_limited:true", "model_unavailable:true", "model_timeout:true"]);
    for (const failure of [scripted.authFailed(), scripted.requestInvalid()]) {
      const failing = createScriptedLanguageModel({ script: [failure, scripted.text("never")] });
      await expect(withRetry(() => failing.generate(request("x")), { baseDelayMs: 1 })).rejects.toBe(failure);
      expect(failing.calls).toHaveLength(1);
    }
  });

  it("waits its latency but stops as soon as the request is aborted", async () => {
    const model = createScriptedLanguageModel({ script: () => scripted.text("late"), latencyMs: 60_000 });
    const controller = new AbortController();
    const pending = model.generate(request("x", { signal: controller.signal }));
    expect(model.inFlight).toBe(1);
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toMatchObject({ code: "aborted" });
    expect(model.inFlight).toBe(0);
    await expect(model.generate(request("x", { signal: controller.signal }))).rejects.toMatchObject({
      code: "aborted",
    });
  });

  it("offers countTokens only when given a counter", async () => {
    expect(createScriptedLanguageModel({ script: [] }).countTokens).toBeUndefined();
    const model = createScriptedLanguageModel({ script: [], countTokens: (req) => req.messages.length * 10 });
    expect(await model.countTokens?.(request("x"))).toBe(10);
  });
});
