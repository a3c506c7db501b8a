import type { Usage } from "@nocturne/core";
import type { LoopbackReply } from "./loopback-server.js";

/** Usage counters as the Messages API reports them. */
export function wireUsage(usage: Partial<Usage>): Usage {
  return {
    input_tokens: usage.input_tokens ?? 0,
    output_tokens: usage.output_tokens ?? 0,
    cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
  };
}

/** A Messages API response holding text (or a tool call). */
export function anthropicMessage(options: {
  text?: string;
  toolUse?: { name: string; input: unknown };
  usage?: Partial<Usage>;
  stopReason?: string;
  model?: string;
}): LoopbackReply {
  const content: unknown[] = [];
  if (options.text !== undefined) content.push({ type: "text", text: options.text, citations: null });
  if (options.toolUse) content.push({ type: "tool_use", id: "toolu_1", ...options.toolUse });
  return {
    json: {
      id: "msg_loopback",
      type: "message",
      role: "assistant",
      model: options.model ?? "claude-sonnet-4-6",
      content,
      stop_reason: options.stopReason ?? (options.toolUse ? "tool_use" : "end_turn"),
      stop_sequence: null,
      usage: wireUsage(options.usage ?? {}),
    },
  };
}

/** A Messages API error response. */
export function anthropicError(
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): LoopbackReply {
  return { status, headers, json: { type: "error", error: { type, message } } };
}

/** A chat-completions response. `cached` becomes `prompt_tokens_details.cached_tokens`. */
export function chatCompletion(options: {
  content: string;
  promptTokens?: number;
  completionTokens?: number;
  cached?: number;
  finishReason?: string;
}): LoopbackReply {
  return {
    json: {
      id: "chatcmpl_loopback",
      object: "chat.completion",
      created: 1_772_000_000,
      model: "local-model",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: options.content },
          finish_reason: options.finishReason ?? "stop",
        },
      ],
      usage: {
        prompt_tokens: options.promptTokens ?? 0,
        completion_tokens: options.completionTokens ?? 0,
        total_tokens: (options.promptTokens ?? 0) + (options.completionTokens ?? 0),
        ...(options.cached === undefined ? {} : { prompt_tokens_details: { cached_tokens: options.cached } }),
      },
    },
  };
}

/** An OpenAI-style error response. */
export function chatError(status: number, message: string, headers: Record<string, string> = {}): LoopbackReply {
  return { status, headers, json: { error: { message, type: "server_error", code: null } } };
}
