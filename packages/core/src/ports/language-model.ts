import type { Usage } from "../schemas/common.js";

/** A part of the system prompt. Mark the stable prefix `cache: true` so providers that cache can reuse it. */
export interface SystemSegment {
  text: string;
  cache?: boolean;
}

/** One conversational turn. */
export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
}

/** Asks for JSON that matches a JSON Schema (from `z.toJSONSchema`). */
export interface StructuredOutputSpec {
  name: string;
  description: string;
  schema: Record<string, unknown>;
}

/** One model call. */
export interface GenerateRequest {
  system: SystemSegment[];
  messages: ChatMessage[];
  output?: StructuredOutputSpec;
  maxOutputTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
}

/** What a model call returned. */
export interface GenerateResult {
  /** The text the model wrote (for structured output, its JSON as text). */
  text: string;
  /** The parsed structured output when `output` was asked for; not yet validated against the schema. */
  json?: unknown;
  usage: Usage;
  stopReason: string | null;
}

/**
 * The thin layer that moves text and JSON to and from a model. Providers throw `NocturneError`s with `model_*`
 * codes and set `retryable` and `retryAfterMs`; they do not retry themselves: the pipeline does, uniformly.
 */
export interface LanguageModel {
  /** e.g. `anthropic`, `openai-compatible`, `scripted`. */
  readonly provider: string;
  readonly modelId: string;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /** Exact token count of a request, where the provider can give one. */
  countTokens?(request: GenerateRequest): Promise<number>;
}
