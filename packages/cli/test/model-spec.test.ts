import { NocturneError } from "@nocturne/core";
import { afterEach, describe, expect, it } from "vitest";
import { type LoopbackServer, startLoopbackServer } from "../../core/test/helpers/loopback-server.js";
import { anthropicMessage, chatCompletion } from "../../core/test/helpers/wire-replies.js";
import { createLanguageModel, LOCAL_SERVER_URLS, parseModelSpec } from "../src/model-spec.js";

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("parseModelSpec", () => {
  it.each([
    ["claude-sonnet-4-6", { provider: "anthropic", model: "claude-sonnet-4-6" }],
    ["  claude-opus-4-7 ", { provider: "anthropic", model: "claude-opus-4-7" }],
    ["anthropic:my-fine-tune-1", { provider: "anthropic", model: "my-fine-tune-1" }],
    [
      "openai:qwen2.5:7b@http://10.0.0.5:8000/v1",
      { provider: "openai-compatible", model: "qwen2.5:7b", baseURL: "http://10.0.0.5:8000/v1" },
    ],
    ["ollama:llama3.1:8b", { provider: "openai-compatible", model: "llama3.1:8b", baseURL: LOCAL_SERVER_URLS.ollama }],
    [
      "ollama:llama3.1:8b@http://gpu-box:11434/v1",
      { provider: "openai-compatible", model: "llama3.1:8b", baseURL: "http://gpu-box:11434/v1" },
    ],
    ["lmstudio:qwen3-8b", { provider: "openai-compatible", model: "qwen3-8b", baseURL: LOCAL_SERVER_URLS.lmstudio }],
    [
      "vllm:Qwen/Qwen2.5-7B-Instruct",
      { provider: "openai-compatible", model: "Qwen/Qwen2.5-7B-Instruct", baseURL: LOCAL_SERVER_URLS.vllm },
    ],
  ])("%s", (spec, expected) => {
    expect(parseModelSpec(spec)).toEqual(expected);
  });

  it.each([
    "",
    "gpt-4o",
    "sonnet",
    "llama3.1:8b",
    "openai:gpt-4o",
    "openai:@http://x",
    "anthropic:",
    "anthropic:claude-x@https://proxy",
    "ollama:",
    "mistral:large@http://x",
  ])("rejects %j with a typed error that shows the grammar", (spec) => {
    let error: unknown;
    try {
      parseModelSpec(spec);
    } catch (thrown) {
      error = thrown;
    }
    expect(NocturneError.isInstance(error, "invalid_input")).toBe(true);
    expect((error as NocturneError).message).toContain("openai:<model>@<base URL>");
    expect((error as NocturneError).details).toEqual({ spec });
  });
});

describe("createLanguageModel", () => {
  it("builds an Anthropic model that talks to the given base URL", async () => {
    server = await startLoopbackServer(() =>
      anthropicMessage({ text: "hi", usage: { input_tokens: 2, output_tokens: 1 } }),
    );
    const model = createLanguageModel("claude-haiku-4-5", { apiKey: "k", baseURL: server.url, maxOutputTokens: 100 });
    expect([model.provider, model.modelId]).toEqual(["anthropic", "claude-haiku-4-5"]);
    expect((await model.generate({ system: [], messages: [{ role: "user", content: "hi" }] })).text).toBe("hi");
    expect(server.requests[0]?.body).toMatchObject({ model: "claude-haiku-4-5", max_tokens: 100 });
    const toolMode = createLanguageModel("anthropic:claude-3-5-haiku-latest", {
      apiKey: "k",
      baseURL: server.url,
      structuredOutput: "tool",
    });
    const output = { name: "answer", description: "", schema: { type: "object" } };
    await toolMode.generate({ system: [], messages: [{ role: "user", content: "hi" }], output }).catch(() => undefined);
    expect(server.requests[1]?.body).toMatchObject({ tool_choice: { type: "tool", name: "answer" } });
  });

  it("builds an OpenAI-compatible model from openai:<model>@<url>", async () => {
    server = await startLoopbackServer(() => chatCompletion({ content: "hello" }));
    const model = createLanguageModel(`openai:llama3.1:8b@${server.url}/v1`, { apiKey: "local-key" });
    expect([model.provider, model.modelId]).toEqual(["openai-compatible", "llama3.1:8b"]);
    expect((await model.generate({ system: [], messages: [{ role: "user", content: "hi" }] })).text).toBe("hello");
    expect(server.requests[0]?.path).toBe("/v1/chat/completions");
    expect(server.requests[0]?.headers.authorization).toBe("Bearer local-key");
  });
});
