import {
  type GenerateRequest,
  type GenerateResult,
  type LanguageModel,
  NocturneError,
  toNocturneError,
  type Usage,
} from "@nocturne/core";
import { abortedError, sleep } from "@nocturne/core/internals";

/** What a scripted call answers: text, JSON, or both; usage and stop reason are optional. */
export interface ScriptedReply {
  /** The text the model "wrote". For structured output without `json`, it is parsed as JSON like a real provider. */
  text?: string;
  /** The structured output. Its JSON text becomes `text` when `text` is not given. */
  json?: unknown;
  /** Counters not given default to an estimate (one token per four characters) for input and output. */
  usage?: Partial<Usage>;
  stopReason?: string | null;
}

/** Decides the reply to call number `callIndex` (0-based); throw a `NocturneError` to script a failure. */
export type ScriptedHandler = (request: GenerateRequest, callIndex: number) => ScriptedReply | Promise<ScriptedReply>;

/** One call the scripted model received, with what it answered. */
export interface ScriptedCall {
  index: number;
  request: GenerateRequest;
  /** Set when the call returned. */
  result?: GenerateResult;
  /** Set when the call threw. */
  error?: NocturneError;
}

/** Options for {@link createScriptedLanguageModel}. */
export interface ScriptedLanguageModelOptions {
  /** A handler, or a list of replies (and errors to throw) answered in order; calls past the end fail. */
  script: ScriptedHandler | Array<ScriptedReply | NocturneError>;
  /** Default `scripted`. */
  modelId?: string;
  /** Default `scripted`. */
  provider?: string;
  /** Wait before answering (honours `request.signal`): a fixed delay or one per call. */
  latencyMs?: number | ((request: GenerateRequest, callIndex: number) => number);
  /** When set, the model offers `countTokens` with this counter. */
  countTokens?: (request: GenerateRequest) => number;
}

/** A deterministic LanguageModel for tests that records every request it receives. */
export interface ScriptedLanguageModel extends LanguageModel {
  /** Every call so far, in arrival order. */
  readonly calls: readonly ScriptedCall[];
  /** Calls currently waiting or running. */
  readonly inFlight: number;
  /** Forgets recorded calls and restarts the call index at 0. */
  reset(): void;
}

/**
 * A LanguageModel that answers from a script: no network, same inputs → same outputs. It behaves like a provider
 * where tests care: JSON text that does not parse under structured output throws a retryable `model_output_invalid`
 * (with the call's usage in `details.usage`), an aborted signal throws `aborted`, and it never retries.
 */
export function createScriptedLanguageModel(options: ScriptedLanguageModelOptions): ScriptedLanguageModel {
  const calls: ScriptedCall[] = [];
  let inFlight = 0;
  const handler = toHandler(options.script);

  async function generate(request: GenerateRequest): Promise<GenerateResult> {
    const call: ScriptedCall = { index: calls.length, request };
    calls.push(call);
    inFlight++;
    try {
      if (request.signal?.aborted) throw abortedError(request.signal);
      const latency =
        typeof options.latencyMs === "function" ? options.latencyMs(request, call.index) : options.latencyMs;
      if (latency && latency > 0) await sleep(latency, request.signal);
      const reply = await handler(request, call.index);
      if (request.signal?.aborted) throw abortedError(request.signal);
      call.result = toResult(request, reply);
      return call.result;
    } catch (thrown) {
      call.error = toNocturneError(thrown);
      throw call.error;
    } finally {
      inFlight--;
    }
  }

  const model: ScriptedLanguageModel = {
    provider: options.provider ?? "scripted",
    modelId: options.modelId ?? "scripted",
    generate,
    get calls() {
      return calls;
    },
    get inFlight() {
      return inFlight;
    },
    reset() {
      calls.length = 0;
    },
  };
  const counter = options.countTokens;
  if (counter) model.countTokens = async (request) => counter(request);
  return model;
}

function toHandler(script: ScriptedLanguageModelOptions["script"]): ScriptedHandler {
  if (typeof script === "function") return script;
  return (_request, index) => {
    const step = script[index];
    if (step === undefined) {
      throw new NocturneError(
        "internal_error",
        `The scripted model received call ${index + 1} but its script has only ${script.length} replies. Add replies or use a handler.`,
      );
    }
    if (NocturneError.isInstance(step)) throw step;
    return step;
  };
}

function toResult(request: GenerateRequest, reply: ScriptedReply): GenerateResult {
  const text = reply.text ?? (reply.json === undefined ? "" : JSON.stringify(reply.json));
  const usage = { ...estimateUsage(request, text), ...reply.usage };
  const stopReason = reply.stopReason === undefined ? "end_turn" : reply.stopReason;
  let json = reply.json;
  if (request.output && json === undefined) {
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new NocturneError(
        "model_output_invalid",
        `The model's output for "${request.output.name}" is not valid JSON. Retry the call.`,
        { cause, retryable: true, details: { usage, stopReason, text } },
      );
    }
  }
  return json === undefined ? { text, usage, stopReason } : { text, json, usage, stopReason };
}

/** One token per four characters of prompt and of output: deterministic, roughly what a tokenizer would say. */
function estimateUsage(request: GenerateRequest, text: string): Usage {
  const prompt =
    request.system.reduce((n, segment) => n + segment.text.length, 0) +
    request.messages.reduce((n, message) => n + message.content.length, 0) +
    (request.output ? JSON.stringify(request.output.schema).length : 0);
  return {
    input_tokens: Math.ceil(prompt / 4),
    output_tokens: Math.ceil(text.length / 4),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
}

/** Ready-made replies and failures for scripts. Failures are `NocturneError`s shaped like a provider's. */
export const scripted = {
  /** A structured-output reply. */
  json(value: unknown, usage?: Partial<Usage>): ScriptedReply {
    return usage ? { json: value, usage } : { json: value };
  },
  /** A plain-text reply (parsed as JSON when the request asks for structured output). */
  text(value: string, usage?: Partial<Usage>): ScriptedReply {
    return usage ? { text: value, usage } : { text: value };
  },
  /** JSON cut off mid-way, as when the model hits its output limit: a retryable `model_output_invalid`. */
  truncatedJson(value: unknown, usage?: Partial<Usage>): ScriptedReply {
    const full = JSON.stringify(value);
    const reply: ScriptedReply = {
      text: full.slice(0, Math.max(1, Math.floor(full.length / 2))),
      stopReason: "max_tokens",
    };
    if (usage) reply.usage = usage;
    return reply;
  },
  /** Text that is not JSON at all: a retryable `model_output_invalid` under structured output. */
  malformedJson(text = "Sure! Here are the facts: {facts: [oops", usage?: Partial<Usage>): ScriptedReply {
    return usage ? { text, usage } : { text };
  },
  /** HTTP 429 with a `retry-after`. */
  rateLimited(retryAfterMs = 1000): NocturneError {
    return new NocturneError("model_rate_limited", "The model provider rate-limited the request; retry later.", {
      retryable: true,
      retryAfterMs,
      details: { status: 429 },
    });
  },
  /** HTTP 529 `overloaded_error`. */
  overloaded(): NocturneError {
    return new NocturneError("model_overloaded", "The model provider is overloaded; retry later.", {
      retryable: true,
      details: { status: 529 },
    });
  },
  /** HTTP 5xx or a dropped connection. */
  unavailable(status = 500): NocturneError {
    return new NocturneError("model_unavailable", `The model provider failed with HTTP ${status}; retry later.`, {
      retryable: true,
      details: { status },
    });
  },
  /** The call took longer than the provider's timeout. */
  timeout(): NocturneError {
    return new NocturneError("model_timeout", "The model call timed out; retry, or raise the timeout.", {
      retryable: true,
    });
  },
  /** HTTP 401/403. */
  authFailed(): NocturneError {
    return new NocturneError("model_auth_failed", "The model provider rejected the API key; check it.", {
      details: { status: 401 },
    });
  },
  /** Another 4xx: the request itself is wrong and retrying will not help. */
  requestInvalid(message = "The model provider rejected the request."): NocturneError {
    return new NocturneError("model_request_invalid", message, { details: { status: 400 } });
  },
};
