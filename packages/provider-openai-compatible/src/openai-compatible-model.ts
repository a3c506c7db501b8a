import {
  type GenerateRequest,
  type GenerateResult,
  type LanguageModel,
  NocturneError,
  type Usage,
} from "@nocturne/core";
import { abortedError, errorFromHttpFailure, invalidOutputError } from "@nocturne/core/internals";
import { z } from "zod";

/** Options for {@link createOpenAICompatibleModel}. */
export interface OpenAICompatibleModelOptions {
  /** The API root that holds `/chat/completions`, e.g. `http://127.0.0.1:11434/v1` for Ollama. */
  baseURL: string;
  /** The model name the server knows, e.g. `llama3.1:8b` or `Qwen/Qwen2.5-7B-Instruct`. */
  model: string;
  /** Sent as a bearer token when set; local servers usually need none. */
  apiKey?: string;
  /** Longest wait for one call, in milliseconds. Default 300,000 (local models can be slow). */
  timeoutMs?: number;
  /** Output token limit when a request sets none, and the cap for those that do. Default 8,192. */
  maxOutputTokens?: number;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** The fetch to use. Default: the global one. */
  fetch?: typeof fetch;
}

const ChatCompletion = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable().optional(), refusal: z.string().nullable().optional() }),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
  usage: z
    .object({
      prompt_tokens: z.number().optional(),
      completion_tokens: z.number().optional(),
      prompt_tokens_details: z.object({ cached_tokens: z.number().optional() }).nullable().optional(),
    })
    .nullable()
    .optional(),
});

const ErrorBody = z.object({
  error: z.union([z.string(), z.object({ message: z.string().optional(), type: z.string().nullable().optional() })]),
});

/**
 * A LanguageModel for servers that speak OpenAI's chat completions (Ollama, vLLM, LM Studio, llama.cpp …) over
 * plain `fetch`. Structured output is asked for with `response_format: json_schema`; the system prompt goes first
 * so servers with prefix caching reuse it; failures map to the same `model_*` codes as the Anthropic provider.
 */
export function createOpenAICompatibleModel(options: OpenAICompatibleModelOptions): LanguageModel {
  const root = options.baseURL.replace(/\/+$/, "");
  if (!/^https?:\/\//.test(root)) {
    throw new NocturneError(
      "invalid_input",
      `The base URL "${options.baseURL}" is not an http(s) URL; pass e.g. http://127.0.0.1:11434/v1.`,
    );
  }
  const endpoint = `${root}/chat/completions`;
  const provider = `The OpenAI-compatible server at ${root}`;
  const timeoutMs = options.timeoutMs ?? 300_000;
  const outputCap = options.maxOutputTokens ?? 8192;
  const doFetch = options.fetch ?? fetch;

  function body(request: GenerateRequest): Record<string, unknown> {
    const system = request.system.map((segment) => segment.text).join("\n\n");
    const payload: Record<string, unknown> = {
      model: options.model,
      messages: [
        ...(system === "" ? [] : [{ role: "system", content: system }]),
        ...request.messages.map((message) => ({ role: message.role, content: message.content })),
      ],
      max_tokens: Math.min(request.maxOutputTokens ?? outputCap, outputCap),
      stream: false,
    };
    if (request.temperature !== undefined) payload.temperature = request.temperature;
    if (request.output) {
      payload.response_format = {
        type: "json_schema",
        json_schema: {
          name: request.output.name,
          description: request.output.description,
          schema: request.output.schema,
          strict: false,
        },
      };
    }
    return payload;
  }

  async function generate(request: GenerateRequest): Promise<GenerateResult> {
    if (request.signal?.aborted) throw abortedError(request.signal);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    let raw: string;
    let response: Response;
    try {
      response = await doFetch(endpoint, { method: "POST", headers, body: JSON.stringify(body(request)), signal });
      raw = await response.text();
    } catch (thrown) {
      if (request.signal?.aborted) throw abortedError(request.signal);
      if (timeout.aborted) {
        throw new NocturneError(
          "model_timeout",
          `${provider} did not answer within ${timeoutMs} ms; the call will be retried. Raise timeoutMs for slow local models.`,
          { cause: thrown, retryable: true },
        );
      }
      throw new NocturneError(
        "model_unavailable",
        `Could not reach ${provider} (${thrown instanceof Error ? thrown.message : String(thrown)}); the call will be retried. Is the server running?`,
        { cause: thrown, retryable: true },
      );
    }
    if (!response.ok) {
      const parsed = ErrorBody.safeParse(safeJson(raw));
      const error = parsed.success ? parsed.data.error : undefined;
      throw errorFromHttpFailure({
        provider,
        status: response.status,
        headers: response.headers,
        type: typeof error === "object" ? error.type : undefined,
        message: typeof error === "string" ? error : (error?.message ?? raw.slice(0, 300)),
      });
    }
    const completion = ChatCompletion.safeParse(safeJson(raw));
    if (!completion.success) {
      throw new NocturneError(
        "model_unavailable",
        `${provider} answered with something that is not a chat completion; the call will be retried. Check the base URL.`,
        { retryable: true, details: { body: raw.slice(0, 500) } },
      );
    }
    const choice = completion.data.choices[0];
    const usage = toUsage(completion.data.usage ?? undefined);
    const text = choice?.message.content ?? "";
    const stopReason = choice?.finish_reason ?? null;
    if (!request.output) return { text, usage, stopReason };
    const details = { usage, stopReason, text };
    if (stopReason === "length") {
      throw invalidOutputError(
        `The model stopped at the output limit before finishing "${request.output.name}"; raise maxOutputTokens or send less per call.`,
        details,
      );
    }
    if (choice?.message.refusal) {
      throw invalidOutputError(
        `The model declined to produce "${request.output.name}": ${choice.message.refusal}`,
        details,
      );
    }
    try {
      return { text, json: JSON.parse(stripFence(text)), usage, stopReason };
    } catch (cause) {
      throw invalidOutputError(`The model's "${request.output.name}" output is not valid JSON.`, details, cause);
    }
  }

  return { provider: "openai-compatible", modelId: options.model, generate };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Some local models wrap JSON in a Markdown code fence despite the schema; the fence is not part of the output. */
function stripFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(text);
  return fenced?.[1] ?? text;
}

/** Chat-completions usage in the hosted API's counters: cached prompt tokens count as cache reads. */
function toUsage(usage: z.infer<typeof ChatCompletion>["usage"]): Usage {
  const prompt = usage?.prompt_tokens ?? 0;
  const cached = Math.min(prompt, usage?.prompt_tokens_details?.cached_tokens ?? 0);
  return {
    input_tokens: prompt - cached,
    output_tokens: usage?.completion_tokens ?? 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}
