import { type AnthropicModelOptions, createAnthropicModel } from "@nocturne/anthropic";
import { type LanguageModel, NocturneError } from "@nocturne/core";
import { createOpenAICompatibleModel } from "@nocturne/openai-compatible";

/** Where local OpenAI-compatible servers listen by default. */
export const LOCAL_SERVER_URLS = {
  ollama: "http://127.0.0.1:11434/v1",
  lmstudio: "http://127.0.0.1:1234/v1",
  vllm: "http://127.0.0.1:8000/v1",
} as const;

/** A model spec, parsed: which provider, which model, and for OpenAI-compatible servers where. */
export type ModelSpec =
  | { provider: "anthropic"; model: string }
  | { provider: "openai-compatible"; model: string; baseURL: string };

/** Options passed on to the provider a spec selects. */
export interface CreateLanguageModelOptions {
  /** The provider's API key (Anthropic: default `ANTHROPIC_API_KEY`; OpenAI-compatible: default none). */
  apiKey?: string;
  /** Anthropic only: overrides the API's base URL (OpenAI-compatible specs carry theirs). */
  baseURL?: string;
  timeoutMs?: number;
  maxOutputTokens?: number;
  headers?: Record<string, string>;
  /** Anthropic only: how structured output is asked for (see {@link AnthropicModelOptions.structuredOutput}). */
  structuredOutput?: AnthropicModelOptions["structuredOutput"];
}

const GRAMMAR = `Use one of:
  claude-<model>                    Anthropic, e.g. claude-sonnet-4-6
  anthropic:<model>                 Anthropic, any model id
  openai:<model>@<base URL>         any OpenAI-compatible server, e.g. openai:qwen2.5:7b@http://10.0.0.5:8000/v1
  ollama:<model>[@<base URL>]       Ollama (default ${LOCAL_SERVER_URLS.ollama})
  lmstudio:<model>[@<base URL>]     LM Studio (default ${LOCAL_SERVER_URLS.lmstudio})
  vllm:<model>[@<base URL>]         vLLM (default ${LOCAL_SERVER_URLS.vllm})`;

function invalid(spec: string, why: string): NocturneError {
  return new NocturneError("invalid_input", `The model "${spec}" ${why}. ${GRAMMAR}`, { details: { spec } });
}

/**
 * Parses a model spec. The grammar is explicit so that no string means two things: a bare id is accepted only when
 * it starts with `claude-`; everything else needs a provider prefix, and `openai:` needs a base URL.
 */
export function parseModelSpec(spec: string): ModelSpec {
  const text = spec.trim();
  if (text === "") throw invalid(spec, "is empty");
  if (text.startsWith("claude-")) return { provider: "anthropic", model: text };
  const colon = text.indexOf(":");
  const prefix = colon > 0 ? text.slice(0, colon) : "";
  const rest = colon > 0 ? text.slice(colon + 1) : "";
  const located = /^(.+?)@(https?:\/\/\S+)$/.exec(rest);
  const model = located?.[1] ?? rest;
  const baseURL = located?.[2];
  if (prefix === "anthropic") {
    if (rest === "" || baseURL) throw invalid(spec, "needs a model id after anthropic: (and no @URL; pass baseURL)");
    return { provider: "anthropic", model: rest };
  }
  if (prefix === "openai") {
    if (!baseURL || model === "") throw invalid(spec, "needs a model and a base URL: openai:<model>@<http(s) URL>");
    return { provider: "openai-compatible", model, baseURL };
  }
  if (prefix === "ollama" || prefix === "lmstudio" || prefix === "vllm") {
    if (model === "") throw invalid(spec, `needs a model name after ${prefix}:`);
    return { provider: "openai-compatible", model, baseURL: baseURL ?? LOCAL_SERVER_URLS[prefix] };
  }
  throw invalid(spec, "is ambiguous: it names no provider Nocturne knows");
}

/** A LanguageModel from a spec such as `claude-sonnet-4-6`, `anthropic:<id>`, `ollama:llama3.1:8b`. */
export function createLanguageModel(spec: string, options: CreateLanguageModelOptions = {}): LanguageModel {
  const parsed = parseModelSpec(spec);
  const shared = {
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.maxOutputTokens === undefined ? {} : { maxOutputTokens: options.maxOutputTokens }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  };
  if (parsed.provider === "anthropic") {
    return createAnthropicModel({
      model: parsed.model,
      ...shared,
      ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
      ...(options.structuredOutput === undefined ? {} : { structuredOutput: options.structuredOutput }),
    });
  }
  return createOpenAICompatibleModel({ model: parsed.model, baseURL: parsed.baseURL, ...shared });
}
