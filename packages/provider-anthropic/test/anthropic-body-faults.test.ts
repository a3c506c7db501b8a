import { type GenerateRequest, NocturneError } from "@nocturne/core";
import { withRetry } from "@nocturne/core/internals";
import { describe, expect, it } from "vitest";
import { useLoopbackServer } from "../../core/test/helpers/loopback-server.js";
import { anthropicMessage } from "../../core/test/helpers/wire-replies.js";
import { createAnthropicModel } from "../src/index.js";

const request: GenerateRequest = {
  system: [{ text: "base", cache: true }],
  messages: [{ role: "user", content: "hi" }],
};

const serve = useLoopbackServer();

async function failure(promise: Promise<unknown>): Promise<NocturneError> {
  const error = await promise.then(
    () => new Error("expected a failure"),
    (thrown: unknown) => thrown,
  );
  if (!NocturneError.isInstance(error)) throw error;
  return error;
}

const good = anthropicMessage({ text: "fine", usage: { input_tokens: 7, output_tokens: 3 } });
const goodJson = "json" in good ? good.json : null;

describe("Anthropic provider (real SDK), faults after the headers", () => {
  it("a body cut off mid-way is a retryable model_unavailable, and the retry succeeds", async () => {
    const srv = await serve((_req, index) => (index === 0 ? { json: goodJson, bytes: 40, fault: "cut" } : good));
    const model = createAnthropicModel({ apiKey: "sk-ant-test", baseURL: srv.url });
    const error = await failure(model.generate(request));
    expect(error.code).toBe("model_unavailable");
    expect(error.retryable).toBe(true);
    const result = await withRetry(() => model.generate(request), { baseDelayMs: 1 });
    expect(result.text).toBe("fine");
    expect(result.usage.input_tokens).toBe(7);
  });

  it("a body that stalls after the headers times out (the deadline covers the whole body) and is retried", async () => {
    const srv = await serve((_req, index) => (index === 0 ? { json: goodJson, bytes: 40, fault: "stall" } : good));
    const model = createAnthropicModel({ apiKey: "sk-ant-test", baseURL: srv.url, timeoutMs: 300 });
    const started = performance.now();
    const error = await failure(model.generate(request));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.code).toBe("model_timeout");
    expect(error.retryable).toBe(true);
    expect((await withRetry(() => model.generate(request), { baseDelayMs: 1 })).text).toBe("fine");
    await expect.poll(() => srv.abandoned).toBe(1);
  });

  it("aborting the signal while the body stalls fails with aborted at once", async () => {
    const srv = await serve(() => ({ json: goodJson, bytes: 10, fault: "stall" }));
    const model = createAnthropicModel({ apiKey: "sk-ant-test", baseURL: srv.url });
    const controller = new AbortController();
    const pending = failure(model.generate({ ...request, signal: controller.signal }));
    await srv.waitForOpen(1);
    controller.abort();
    expect((await pending).code).toBe("aborted");
  });

  it("a reply without usage counts zero tokens (the engine then gives a notice)", async () => {
    const bare = { ...(goodJson as Record<string, unknown>) };
    delete bare.usage;
    const srv = await serve(() => ({ json: bare }));
    const model = createAnthropicModel({ apiKey: "sk-ant-test", baseURL: srv.url });
    const result = await model.generate(request);
    expect(result.text).toBe("fine");
    expect(result.usage).toMatchObject({ input_tokens: 0, output_tokens: 0 });
  });
});
