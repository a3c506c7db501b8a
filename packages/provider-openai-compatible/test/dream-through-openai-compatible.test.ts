import { expect } from "vitest";
import { describeDreamThroughProvider } from "../../core/test/helpers/dream-through-provider.js";
import { startFakeChatServer } from "../../core/test/helpers/fake-llm-servers.js";
import { ruleScript } from "../../core/test/helpers/rule-script.js";
import { chatCompletion, chatError } from "../../core/test/helpers/wire-replies.js";
import { createOpenAICompatibleModel } from "../src/index.js";

describeDreamThroughProvider({
  name: "OpenAI-compatible (fetch, chat completions)",
  start: (fault) => startFakeChatServer(ruleScript, fault),
  model: (url) => createOpenAICompatibleModel({ baseURL: `${url}/v1`, model: "llama3.1:8b" }),
  faults: (_req, index) =>
    [
      chatError(429, "slow down", { "retry-after": "0" }),
      chatError(503, "loading model"),
      chatError(500, "internal"),
      chatCompletion({
        content: '{"facts": [{"key": "home.ci',
        finishReason: "length",
        promptTokens: 900,
        completionTokens: 8,
      }),
    ][index],
  checkRequests(srv) {
    for (const request of srv.requests) {
      const body = request.body as { model: string; response_format: { type: string } };
      expect(body.model).toBe("llama3.1:8b");
      expect(body.response_format.type).toBe("json_schema");
    }
    expect(srv.reported.cache_read_input_tokens).toBeGreaterThan(0);
  },
  whileFirstHangs: 2,
});
