import {
  addUsage,
  createTiktokenTokenizer,
  emptyUsage,
  type GenerateRequest,
  type StructuredOutputSpec,
  type Usage,
} from "@nocturne/core";
import { CONSOLIDATION_OUTPUT_NAMES } from "@nocturne/core/internals";
import type { ScriptedReply } from "@nocturne/testing";
import {
  type LoopbackReply,
  type LoopbackServer,
  type ReceivedRequest,
  startLoopbackServer,
} from "./loopback-server.js";
import { anthropicMessage, chatCompletion } from "./wire-replies.js";

/** Answers a request as a model would; the lead's rule script fits. */
export type Responder = (request: GenerateRequest) => ScriptedReply;

/** Replaces the normal answer to request `index` (0-based, counting every request), e.g. to inject a 429. */
export type Fault = (request: ReceivedRequest, index: number) => LoopbackReply | undefined;

/** A loopback model server that answers with a responder and counts tokens like the real service would. */
export interface FakeLlmServer extends LoopbackServer {
  /** The sum of every usage the server reported (only answered requests report usage). */
  reported: Usage;
  /** How many answered requests carried each output name. */
  answered: Record<string, number>;
  /** Every answered request: its output name, the first user message and the usage reported. */
  log: Array<{ output: string | undefined; prompt: string; usage: Usage }>;
}

/** Anthropic caches a prefix only from this many tokens on (Sonnet and Opus). */
const MIN_CACHEABLE_TOKENS = 1024;

const tokenizer = createTiktokenTokenizer();
const count = (text: string) => tokenizer.count(text);

/** Which of the three consolidation outputs a JSON schema asks for, by its one required key. */
function outputFromSchema(schema: unknown): StructuredOutputSpec | undefined {
  const required = (schema as { required?: unknown }).required;
  const key = Array.isArray(required) ? required[0] : undefined;
  const name =
    key === "facts"
      ? CONSOLIDATION_OUTPUT_NAMES.extract
      : key === "verdicts"
        ? CONSOLIDATION_OUTPUT_NAMES.judge
        : key === "insights"
          ? CONSOLIDATION_OUTPUT_NAMES.synthesize
          : undefined;
  return name ? { name, description: "", schema: schema as Record<string, unknown> } : undefined;
}

interface MessagesBody {
  model: string;
  system?: Array<{ text: string; cache_control?: unknown }>;
  messages: Array<{ role: "user" | "assistant"; content: string }>;
  tools?: Array<{ name: string; input_schema: unknown }>;
  output_config?: { format?: { schema: unknown } };
}

/** Options of {@link startFakeAnthropic}. */
export interface FakeAnthropicOptions {
  /**
   * Answer a request only once no new request has arrived for a few turns of the event loop, as a model that takes
   * time to answer: every request the client sends together is then in flight at once.
   */
  answerWhenQuiet?: boolean;
}

/** Turns of the event loop without a new request after which an `answerWhenQuiet` server answers. */
const QUIET_TURNS = 20;

/**
 * A Messages API server over a responder. Usage is counted with tiktoken on what was really sent. The prefix up to
 * the `cache_control` block (if ≥1,024 tokens) is cached the way the real service caches it: a request finding it
 * not yet cached writes it (`cache_creation_input_tokens`), and it can be read only once such a reply has been
 * sent, so requests in flight together before that each write it.
 */
export async function startFakeAnthropic(
  responder: Responder,
  fault?: Fault,
  options: FakeAnthropicOptions = {},
): Promise<FakeLlmServer> {
  const cache = new Set<string>();
  const reported = emptyUsage();
  const answered: Record<string, number> = {};
  const log: FakeLlmServer["log"] = [];
  const quiet = async () => {
    let seen = server.requests.length;
    for (let turns = 0; turns < QUIET_TURNS; turns++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (server.requests.length !== seen) turns = -1;
      seen = server.requests.length;
    }
  };
  const server = await startLoopbackServer(async (received, index) => {
    if (options.answerWhenQuiet) await quiet();
    const injected = fault?.(received, index);
    if (injected) {
      if ("json" in injected) addUsage(reported, (injected.json as { usage?: Partial<Usage> }).usage ?? {});
      return injected;
    }
    const body = received.body as MessagesBody;
    const tool = body.tools?.[0];
    const output = tool
      ? { name: tool.name, description: "", schema: tool.input_schema as Record<string, unknown> }
      : outputFromSchema(body.output_config?.format?.schema);
    const system = body.system ?? [];
    const request: GenerateRequest = {
      system: system.map((block) => ({ text: block.text, cache: block.cache_control !== undefined })),
      messages: body.messages,
      ...(output ? { output } : {}),
    };
    const reply = responder(request);
    const text = reply.text ?? JSON.stringify(reply.json);
    const schemaText = JSON.stringify(tool ?? body.output_config ?? "");
    const breakpoint = system.findLastIndex((block) => block.cache_control !== undefined);
    const prefix = `${schemaText}${system
      .slice(0, breakpoint + 1)
      .map((b) => b.text)
      .join("")}`;
    const prefixTokens = breakpoint >= 0 ? count(prefix) : 0;
    const total =
      count(schemaText) +
      count(system.map((b) => b.text).join("")) +
      count(body.messages.map((m) => m.content).join(""));
    const usage = emptyUsage();
    usage.output_tokens = count(text);
    if (prefixTokens >= MIN_CACHEABLE_TOKENS) {
      const key = `${body.model}\u0000${prefix}`;
      if (cache.has(key)) usage.cache_read_input_tokens = prefixTokens;
      else {
        usage.cache_creation_input_tokens = prefixTokens;
        setImmediate(() => cache.add(key));
      }
      usage.input_tokens = Math.max(0, total - prefixTokens);
    } else {
      usage.input_tokens = total;
    }
    addUsage(reported, usage);
    log.push({ output: output?.name, prompt: body.messages[0]?.content ?? "", usage });
    if (output) answered[output.name] = (answered[output.name] ?? 0) + 1;
    return tool
      ? anthropicMessage({ toolUse: { name: tool.name, input: JSON.parse(text) }, usage, model: body.model })
      : anthropicMessage({ text, usage, model: body.model });
  });
  return Object.assign(server, { reported, answered, log });
}

interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

interface ChatBody {
  model: string;
  messages: Array<{ role: "system" | "user" | "assistant"; content: string }>;
  response_format?: { json_schema?: { name: string; schema: Record<string, unknown> } };
}

/** A chat-completions server over a responder; a system prompt seen before counts as cached prompt tokens. */
export async function startFakeChatServer(responder: Responder, fault?: Fault): Promise<FakeLlmServer> {
  const seenSystems = new Set<string>();
  const reported = emptyUsage();
  const answered: Record<string, number> = {};
  const log: FakeLlmServer["log"] = [];
  const server = await startLoopbackServer((received, index) => {
    const injected = fault?.(received, index);
    if (injected) {
      const usage = "json" in injected ? (injected.json as { usage?: ChatUsage }).usage : undefined;
      if (usage) addUsage(reported, { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens });
      return injected;
    }
    const body = received.body as ChatBody;
    const schema = body.response_format?.json_schema;
    const system = body.messages.filter((m) => m.role === "system").map((m) => m.content);
    const request: GenerateRequest = {
      system: system.map((text) => ({ text, cache: true })),
      messages: body.messages.filter((m) => m.role !== "system") as GenerateRequest["messages"],
      ...(schema ? { output: { name: schema.name, description: "", schema: schema.schema } } : {}),
    };
    const reply = responder(request);
    const text = reply.text ?? JSON.stringify(reply.json);
    const promptTokens = count(body.messages.map((m) => m.content).join("")) + count(JSON.stringify(schema ?? ""));
    const systemText = system.join("");
    const cached = seenSystems.has(systemText) ? count(systemText) : 0;
    seenSystems.add(systemText);
    const completionTokens = count(text);
    const usage = {
      ...emptyUsage(),
      input_tokens: promptTokens - cached,
      output_tokens: completionTokens,
      cache_read_input_tokens: cached,
    };
    addUsage(reported, usage);
    log.push({ output: schema?.name, prompt: request.messages[0]?.content ?? "", usage });
    if (schema) answered[schema.name] = (answered[schema.name] ?? 0) + 1;
    return chatCompletion({ content: text, promptTokens, completionTokens, cached });
  });
  return Object.assign(server, { reported, answered, log });
}
