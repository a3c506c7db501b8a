import { performance } from "node:perf_hooks";
import {
  type GenerateRequest,
  type GenerateResult,
  type JudgePair,
  type LanguageModel,
  NocturneError,
  type SynthesisFact,
  type Usage,
} from "@nocturne/core";
import { abortedError, CONSOLIDATION_OUTPUT_NAMES } from "@nocturne/core/internals";
import type { CallMeter } from "./call-meter.js";
import type { ReplayCore, ReplayLine, ReplayMemory } from "./replay-core.js";

/** Options of {@link createReplayLanguageModel}. */
export interface ReplayLanguageModelOptions {
  /** Counts tokens of requests and replies, for usage. Default: characters / 4. */
  countTokens?: (text: string) => number;
  /**
   * Bill `cache: true` system segments (and the output schema) as a cached prefix, the way Anthropic does: the first
   * call creates the cache, later ones read it. Default true.
   */
  promptCaching?: boolean;
  /** Receives every call, for counting. */
  meter?: CallMeter;
  modelId?: string;
}

const QUOTED = String.raw`("(?:[^"\\]|\\.)*")`;
const TRANSCRIPT = new RegExp(`<transcript session_id=${QUOTED} chunk=${QUOTED}(?: at=${QUOTED})?>`);
const TRANSCRIPT_BLOCK = /(?=<transcript session_id=)/;
/** One event line of a transcript block: `e12 user: text`, or `e12 user part 2: text` for a part of a split event. */
const EVENT_LINE = /^(e\d+) (user|agent|tool|system)(?: part \d+)?: (.*)$/;
/** A line of text the prompt indented so it cannot pass for an event or date line. */
const INDENTED = /^ {2}(?=[^\S\n]*(?:e\d|@))/i;
const MEMORY = new RegExp(
  String.raw`<memory id=${QUOTED} path=${QUOTED} updated_at=${QUOTED}>\n([\s\S]*?)\n</memory>`,
  "g",
);
const PAIR = new RegExp(String.raw`<pair id=${QUOTED}>\n([\s\S]*?)\n</pair>`, "g");
const FACT = new RegExp(String.raw`<fact key=${QUOTED} topic=${QUOTED} kind=${QUOTED}>\n([\s\S]*?)\n</fact>`, "g");
const EVIDENCE = new RegExp(`^  evidence session_id=${QUOTED} event_id=${QUOTED}$`);
const ESCAPED_TAG = /<\\(\/?)(transcript|event|memories|memory|pairs|pair|facts|fact)\b/gi;

function unquote(text: string | undefined): string {
  return text === undefined ? "" : String(JSON.parse(text));
}

function unescapeData(text: string): string {
  return text.replace(ESCAPED_TAG, "<$1$2");
}

/**
 * The transcript blocks of an extraction prompt, each with the key that seeds its noise: the chunk's key, or for a
 * chunk packing several short sessions, the key each session's chunk would have alone (`<session>#0`), so the
 * replay's errors do not depend on how the engine groups sessions into calls.
 */
function parseTranscript(prompt: string): Array<{ sourceKey: string; lines: ReplayLine[] }> {
  const blocks = prompt.split(TRANSCRIPT_BLOCK).slice(1);
  const packed = blocks.length > 1;
  return blocks.map((block) => {
    const header = TRANSCRIPT.exec(block);
    const sessionId = unquote(header?.[1]);
    const lines: ReplayLine[] = [];
    let current: { eventId: string; text: string[] } | undefined;
    const flush = () => {
      if (current) lines.push({ eventId: current.eventId, sessionId, text: unescapeData(current.text.join("\n")) });
      current = undefined;
    };
    for (const row of block.split("\n").slice(1)) {
      const event = EVENT_LINE.exec(row);
      if (event) {
        flush();
        current = { eventId: event[1] ?? "", text: [event[3] ?? ""] };
      } else if (row.startsWith("@ ") || row.startsWith("</transcript>")) flush();
      else current?.text.push(row.replace(INDENTED, ""));
    }
    flush();
    return { sourceKey: packed ? `${sessionId}#0` : unquote(header?.[2]), lines };
  });
}

function parseMemories(prompt: string): ReplayMemory[] {
  return [...prompt.matchAll(MEMORY)].map((match) => ({
    id: unquote(match[1]),
    path: unquote(match[2]),
    content: unescapeData(match[4] ?? ""),
  }));
}

function parsePairs(prompt: string): JudgePair[] {
  return [...prompt.matchAll(PAIR)].map((match) => {
    const side = (label: "A" | "B") => {
      const key = { key: "", statements: [] as string[] };
      for (const line of (match[2] ?? "").split("\n")) {
        if (line.startsWith(`  ${label} key: `)) key.key = unescapeData(line.slice(label.length + 7));
        else if (line.startsWith(`  ${label}: `)) key.statements.push(unescapeData(line.slice(label.length + 4)));
      }
      return key;
    };
    return { id: unquote(match[1]), left: side("A"), right: side("B") };
  });
}

function parseFacts(prompt: string): SynthesisFact[] {
  return [...prompt.matchAll(FACT)].map((match) => {
    const statement: string[] = [];
    const evidence: SynthesisFact["evidence"] = [];
    for (const line of (match[4] ?? "").split("\n")) {
      const cited = EVIDENCE.exec(line);
      if (cited) evidence.push({ session_id: unquote(cited[1]), event_id: unquote(cited[2]) });
      else statement.push(line);
    }
    return {
      key: unquote(match[1]),
      topic: unquote(match[2]),
      kind: unquote(match[3]) as SynthesisFact["kind"],
      statement: unescapeData(statement.join("\n")),
      evidence,
    };
  });
}

/**
 * A LanguageModel that answers Nocturne's own consolidation prompts from a replay core: it reads the chunk, memories,
 * pairs or facts out of the prompt, asks the core, and replies with the JSON the prompt asks for. Put it under
 * `createLlmConsolidationModel` to run the real prompts, validation and retries, with usage counted from the real
 * request text.
 */
export function createReplayLanguageModel(core: ReplayCore, options: ReplayLanguageModelOptions = {}): LanguageModel {
  const count = options.countTokens ?? ((text: string) => Math.ceil(text.length / 4));
  const prefixTokens = new Map<string, number>();
  const cached = new Set<string>();
  const caching = options.promptCaching ?? true;
  const noisy = Object.values(core.profile).some((rate) => rate > 0);

  const usageOf = (request: GenerateRequest, output: string): Usage => {
    const prefix = [
      ...request.system.filter((segment) => segment.cache).map((segment) => segment.text),
      JSON.stringify(request.output?.schema ?? {}),
    ].join("\n");
    let prefixCount = prefixTokens.get(prefix);
    if (prefixCount === undefined) {
      prefixCount = count(prefix);
      prefixTokens.set(prefix, prefixCount);
    }
    const rest = [
      ...request.system.filter((segment) => !segment.cache).map((segment) => segment.text),
      ...request.messages.map((message) => message.content),
    ].join("\n");
    const restCount = count(rest);
    const usage: Usage = {
      input_tokens: restCount,
      output_tokens: count(output),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    };
    if (!caching) usage.input_tokens += prefixCount;
    else if (cached.has(prefix)) usage.cache_read_input_tokens = prefixCount;
    else {
      cached.add(prefix);
      usage.cache_creation_input_tokens = prefixCount;
    }
    return usage;
  };

  return {
    provider: "replay",
    modelId: options.modelId ?? (noisy ? "replay-noisy" : "replay-perfect"),
    async generate(request) {
      const task = request.output?.name ?? "text";
      if (request.signal?.aborted) throw abortedError(request.signal);
      const started = performance.now();
      const cpu = process.cpuUsage();
      const prompt = request.messages[0]?.content ?? "";
      const attempt = request.messages.filter((message) => message.role === "assistant").length;
      let json: unknown;
      if (task === CONSOLIDATION_OUTPUT_NAMES.extract) {
        const facts = TRANSCRIPT.test(prompt)
          ? parseTranscript(prompt).flatMap(({ sourceKey, lines }) => core.extractTranscript(sourceKey, lines, attempt))
          : core.extractMemories(parseMemories(prompt), attempt);
        json = { facts };
      } else if (task === CONSOLIDATION_OUTPUT_NAMES.judge) {
        json = { verdicts: core.judge(parsePairs(prompt)) };
      } else if (task === CONSOLIDATION_OUTPUT_NAMES.synthesize) {
        json = { insights: core.synthesize(parseFacts(prompt), attempt) };
      } else {
        throw new NocturneError("model_request_invalid", `The replay model cannot answer a "${task}" request.`);
      }
      const text = JSON.stringify(json);
      const result: GenerateResult = { text, json, usage: usageOf(request, text), stopReason: "end_turn" };
      if (options.meter) {
        const spent = process.cpuUsage(cpu);
        options.meter.record(task, result.usage, performance.now() - started, (spent.user + spent.system) / 1000);
      }
      return result;
    },
  };
}
