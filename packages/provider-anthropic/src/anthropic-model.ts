import type Anthropic from "@anthropic-ai/sdk";
import type { MessageCreateParamsNonStreaming, TextBlockParam } from "@anthropic-ai/sdk/resources/messages";
import {
  type GenerateRequest,
  type GenerateResult,
  type LanguageModel,
  NocturneError,
  sha256,
  type Usage,
} from "@nocturne/core";
import { abortedError, errorFromHttpFailure, invalidOutputError } from "@nocturne/core/internals";
import { anthropicPrices, estimateCost, type TokenPrices } from "./anthropic-pricing.js";
import { createPrefixGate } from "./prefix-gate.js";

/** The model used when none is named. */
export const DEFAULT_ANTHROPIC_MODEL = "claude-sonnet-4-6";

/** Options for {@link createAnthropicModel}. */
export interface AnthropicModelOptions {
  /** Any Claude model id. Default `claude-sonnet-4-6`. */
  model?: string;
  /** Default: the `ANTHROPIC_API_KEY` environment variable. */
  apiKey?: string;
  /** Default: `ANTHROPIC_BASE_URL`, else the public API. */
  baseURL?: string;
  /** Longest wait for one call, response body included, in milliseconds. Default 120,000. */
  timeoutMs?: number;
  /** Output token limit when a request sets none, and the cap for those that do. Default 8,192. */
  maxOutputTokens?: number;
  /**
   * How structured output is asked for. `json_schema` (default): the Messages API's `output_config.format`, decoded
   * against the schema. `tool`: one forced tool whose input is the output, for gateways or models without it.
   */
  structuredOutput?: "json_schema" | "tool";
  /**
   * Lifetime of the prompt-cache entry of the system prefix. Default `5m`. The first call of each prefix is sent
   * alone and the others sharing it wait for its answer, so the prefix is written to the cache once and read after.
   */
  cacheTtl?: "5m" | "1h";
  /** Prices for {@link AnthropicModel.estimateCost}; default: the list price of the model's family. */
  prices?: TokenPrices;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

/** A LanguageModel backed by Anthropic's Messages API. */
export interface AnthropicModel extends LanguageModel {
  readonly provider: "anthropic";
  /** The underlying SDK client (retries disabled: Nocturne retries); the SDK is imported on the first call. */
  loadClient(): Promise<Anthropic>;
  /** What `usage` costs in US dollars for this model, or null when its price is unknown. */
  estimateCost(usage: Partial<Usage>): number | null;
  countTokens(request: GenerateRequest): Promise<number>;
}

/**
 * Claude through the official SDK. The cacheable system prefix gets `cache_control` and is written once (the first
 * call of each prefix goes alone, see {@link createPrefixGate}), usage reports all four counters, the SDK's own retries are off (the pipeline retries, honouring `retry-after`), and failures become
 * `NocturneError`s with `model_*` codes.
 */
export function createAnthropicModel(options: AnthropicModelOptions = {}): AnthropicModel {
  const modelId = options.model ?? DEFAULT_ANTHROPIC_MODEL;
  const apiKey = options.apiKey ?? process.env.ANTHROPIC_API_KEY;
  if (!apiKey) {
    throw new NocturneError(
      "model_auth_failed",
      "No Anthropic API key: set ANTHROPIC_API_KEY or pass `apiKey` to createAnthropicModel.",
    );
  }
  const timeoutMs = options.timeoutMs ?? 120_000;
  const outputCap = options.maxOutputTokens ?? 8192;
  const mode = options.structuredOutput ?? "json_schema";
  const prices = options.prices ?? anthropicPrices(modelId);
  const baseURL = options.baseURL ?? process.env.ANTHROPIC_BASE_URL ?? null;
  const gate = createPrefixGate(options.cacheTtl === "1h" ? 3_600_000 : 300_000);
  let loading: Promise<LoadedSdk> | undefined;
  const load = (): Promise<LoadedSdk> => {
    loading ??= loadSdk().then((sdk) => ({
      ...sdk,
      client: new sdk.Anthropic({
        apiKey,
        baseURL,
        maxRetries: 0,
        timeout: timeoutMs,
        ...(options.headers ? { defaultHeaders: options.headers } : {}),
      }),
    }));
    return loading;
  };

  function params(request: GenerateRequest, sdk: LoadedSdk): MessageCreateParamsNonStreaming {
    const body: MessageCreateParamsNonStreaming = {
      model: modelId,
      max_tokens: Math.min(request.maxOutputTokens ?? outputCap, outputCap),
      system: systemBlocks(request, options.cacheTtl),
      messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
    };
    const output = request.output;
    if (output && mode === "tool") {
      body.tools = [
        {
          name: output.name,
          description: output.description,
          input_schema: { ...output.schema, type: "object" },
        },
      ];
      body.tool_choice = { type: "tool", name: output.name, disable_parallel_tool_use: true };
    } else if (output) {
      body.output_config = { format: { type: "json_schema", schema: sdk.transformJSONSchema(output.schema) } };
    }
    return body;
  }

  async function generate(request: GenerateRequest): Promise<GenerateResult> {
    if (request.signal?.aborted) throw abortedError(request.signal);
    const sdk = await load();
    const body = params(request, sdk);
    let deadline: AbortSignal | undefined;
    const create = () => {
      // The SDK's own timeout stops at the headers; this deadline covers the whole call, body included.
      deadline = AbortSignal.timeout(timeoutMs);
      const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
      return sdk.client.messages.create(body, { signal });
    };
    const key = prefixKey(body);
    let message: Anthropic.Message;
    try {
      message = await (key === null ? create() : gate.run(key, create, request.signal));
    } catch (thrown) {
      throw toModelError(sdk, thrown, request.signal, timeoutMs, deadline);
    }
    const usage = toUsage(message.usage);
    const stopReason = message.stop_reason ?? null;
    const text = message.content
      .filter((block): block is Anthropic.TextBlock => block.type === "text")
      .map((block) => block.text)
      .join("");
    const output = request.output;
    if (!output) return { text, usage, stopReason };
    const toolUse = message.content.find(
      (block): block is Anthropic.ToolUseBlock => block.type === "tool_use" && block.name === output.name,
    );
    const raw = mode === "tool" && toolUse ? JSON.stringify(toolUse.input) : text;
    const details = { usage, stopReason, text: raw };
    if (stopReason === "max_tokens") {
      throw invalidOutputError(
        `Claude stopped at the output limit before finishing "${output.name}"; raise maxOutputTokens or send less per call.`,
        details,
      );
    }
    if (stopReason === "refusal") {
      throw invalidOutputError(`Claude declined to produce "${output.name}" for this input.`, details);
    }
    if (mode === "tool") {
      if (!toolUse) throw invalidOutputError(`Claude did not call the "${output.name}" tool.`, details);
      return { text: raw, json: toolUse.input, usage, stopReason };
    }
    try {
      return { text, json: JSON.parse(text), usage, stopReason };
    } catch (cause) {
      throw invalidOutputError(`Claude's "${output.name}" output is not valid JSON.`, details, cause);
    }
  }

  async function countTokens(request: GenerateRequest): Promise<number> {
    const sdk = await load();
    const { max_tokens: _unused, ...body } = params(request, sdk);
    try {
      const counted = await sdk.client.messages.countTokens(body, request.signal ? { signal: request.signal } : {});
      return counted.input_tokens;
    } catch (thrown) {
      throw toModelError(sdk, thrown, request.signal, timeoutMs);
    }
  }

  return {
    provider: "anthropic",
    modelId,
    loadClient: async () => (await load()).client,
    generate,
    countTokens,
    estimateCost: (usage) => estimateCost(usage, prices),
  };
}

/** System segments as text blocks, with `cache_control` on the last cacheable one (one breakpoint). */
function systemBlocks(request: GenerateRequest, ttl: "5m" | "1h" | undefined): TextBlockParam[] {
  const blocks: TextBlockParam[] = request.system.map((segment) => ({ type: "text", text: segment.text }));
  const last = request.system.findLastIndex((segment) => segment.cache);
  const block = blocks[last];
  if (block) block.cache_control = ttl ? { type: "ephemeral", ttl } : { type: "ephemeral" };
  return blocks;
}

/** What the prompt cache keys a request by, up to its breakpoint (tools, schema, system), or null when it has none. */
function prefixKey(body: MessageCreateParamsNonStreaming): string | null {
  const system = Array.isArray(body.system) ? body.system : [];
  const last = system.findLastIndex((block) => block.cache_control != null);
  if (last === -1) return null;
  return sha256(
    JSON.stringify([body.model, body.tools, body.tool_choice, body.output_config, system.slice(0, last + 1)]),
  );
}

/** The reply's usage; a reply without any (some gateways) counts zero, which the engine reports as a notice. */
function toUsage(usage: Anthropic.Usage | null | undefined): Usage {
  return {
    input_tokens: usage?.input_tokens ?? 0,
    output_tokens: usage?.output_tokens ?? 0,
    cache_creation_input_tokens: usage?.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: usage?.cache_read_input_tokens ?? 0,
  };
}

/** The parts of the SDK this provider uses, imported on the first call (the SDK takes ~0.2 s and ~25 MB to load). */
interface LoadedSdk {
  Anthropic: typeof Anthropic;
  APIConnectionError: typeof Anthropic.APIConnectionError;
  APIConnectionTimeoutError: typeof Anthropic.APIConnectionTimeoutError;
  APIError: typeof Anthropic.APIError;
  APIUserAbortError: typeof Anthropic.APIUserAbortError;
  transformJSONSchema: (schema: Record<string, unknown>) => Record<string, unknown>;
  client: Anthropic;
}

async function loadSdk(): Promise<Omit<LoadedSdk, "client">> {
  const [sdk, { transformJSONSchema }] = await Promise.all([
    import("@anthropic-ai/sdk"),
    import("@anthropic-ai/sdk/lib/transform-json-schema"),
  ]);
  return {
    Anthropic: sdk.default,
    APIConnectionError: sdk.APIConnectionError,
    APIConnectionTimeoutError: sdk.APIConnectionTimeoutError,
    APIError: sdk.APIError,
    APIUserAbortError: sdk.APIUserAbortError,
    transformJSONSchema,
  };
}

function toModelError(
  sdk: Omit<LoadedSdk, "client">,
  thrown: unknown,
  signal: AbortSignal | undefined,
  timeoutMs: number,
  deadline?: AbortSignal,
): NocturneError {
  if (NocturneError.isInstance(thrown)) return thrown;
  if (signal?.aborted) return abortedError(signal);
  if (thrown instanceof sdk.APIConnectionTimeoutError || deadline?.aborted) {
    return new NocturneError(
      "model_timeout",
      `Claude did not answer within ${timeoutMs} ms; the call will be retried. Raise timeoutMs for very large chunks.`,
      { cause: thrown, retryable: true },
    );
  }
  if (thrown instanceof sdk.APIConnectionError) {
    return new NocturneError(
      "model_unavailable",
      `Could not reach the Anthropic API (${thrown.message}); the call will be retried. Check the network and base URL.`,
      { cause: thrown, retryable: true },
    );
  }
  if (thrown instanceof sdk.APIError && typeof thrown.status === "number") {
    return errorFromHttpFailure({
      provider: "Anthropic",
      status: thrown.status,
      headers: thrown.headers,
      type: thrown.type,
      message: thrown.apiMessage,
      cause: thrown,
    });
  }
  if (thrown instanceof sdk.APIUserAbortError) return abortedError(signal);
  // Anything else broke the response on the way (a body cut off after the headers, a connection reset while
  // reading it, a body that is not JSON): the server may answer the next attempt properly.
  const text = thrown instanceof Error ? thrown.message : String(thrown);
  return new NocturneError(
    "model_unavailable",
    `The Anthropic response broke off before it was complete (${text}); the call will be retried.`,
    { cause: thrown, retryable: true },
  );
}
