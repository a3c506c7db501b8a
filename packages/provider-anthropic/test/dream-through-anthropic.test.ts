import { expect } from "vitest";
import { describeDreamThroughProvider } from "../../core/test/helpers/dream-through-provider.js";
import { startFakeAnthropic } from "../../core/test/helpers/fake-llm-servers.js";
import { ruleScript } from "../../core/test/helpers/rule-script.js";
import { anthropicError, anthropicMessage } from "../../core/test/helpers/wire-replies.js";
import { createAnthropicModel } from "../src/index.js";

describeDreamThroughProvider({
  name: "Anthropic (real SDK, Messages API)",
  start: (fault) => startFakeAnthropic(ruleScript, fault),
  model: (url) => createAnthropicModel({ apiKey: "sk-ant-loopback", baseURL: url, model: "claude-sonnet-4-6" }),
  faults: (_req, index) =>
    [
      anthropicError(429, "rate_limit_error", "slow down", { "retry-after": "0" }),
      anthropicError(529, "overloaded_error", "overloaded"),
      anthropicError(500, "api_error", "internal"),
      anthropicMessage({
        text: '{"facts": [{"key": "home.ci',
        stopReason: "max_tokens",
        usage: { input_tokens: 900, output_tokens: 8 },
      }),
    ][index],
  checkRequests(srv) {
    const bodies = srv.requests.map((r) => r.body as { model: string; system: Array<Record<string, unknown>> });
    for (const body of bodies) {
      expect(body.model).toBe("claude-sonnet-4-6");
      expect(body.system.map((block) => block.cache_control ?? null)).toEqual([null, { type: "ephemeral" }]);
      expect(body.system).toEqual(bodies[0]?.system);
    }
    expect(srv.reported.cache_read_input_tokens).toBeGreaterThan(0);
    expect(srv.reported.cache_creation_input_tokens).toBeGreaterThan(0);
  },
  whileFirstHangs: 1,
});
