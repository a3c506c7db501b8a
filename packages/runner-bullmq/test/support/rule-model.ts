import type {
  ConsolidationModel,
  ExtractedFact,
  ExtractionSource,
  JudgePair,
  JudgeVerdict,
  ModelCallContext,
  ProposedInsight,
  SynthesisFact,
} from "@nocturne/core";
import { sleep } from "@nocturne/core/internals";

/** Where a call is in its life, for tests that watch model calls across processes. */
export type CallPhase = "start" | "end" | "aborted";

/** Options of the rule model. */
export interface RuleModelOptions {
  /**
   * Wait before answering each call (honours the abort signal): a stand-in for a remote model's latency. A
   * function is asked before every call.
   */
  latencyMs?: number | (() => number | Promise<number>);
  /** Told about every call's start and end; `callId` pairs them. */
  onCall?: (kind: "extract" | "judge" | "synthesize", phase: CallPhase, callId: number) => void | Promise<void>;
}

interface Rule {
  pattern: RegExp;
  key: (m: RegExpMatchArray) => string;
  topic: string;
  kind: ExtractedFact["kind"];
  statement: (m: RegExpMatchArray) => string;
}

const RULES: Rule[] = [
  {
    pattern: /I live in ([A-Z]\w+)/,
    key: () => "home.city",
    topic: "profile",
    kind: "fact",
    statement: (m) => `User lives in ${m[1]}.`,
  },
  {
    pattern: /I moved to ([A-Z]\w+)/,
    key: () => "home.city",
    topic: "profile",
    kind: "fact",
    statement: (m) => `User lives in ${m[1]}.`,
  },
  {
    pattern: /I prefer (tabs|spaces)/,
    key: () => "editor.indentation",
    topic: "preferences",
    kind: "preference",
    statement: (m) => `User prefers ${m[1]} for indentation.`,
  },
  {
    pattern: /indent with (tabs|spaces)/,
    key: () => "indentation",
    topic: "preferences",
    kind: "preference",
    statement: (m) => `User likes to indent with ${m[1]}.`,
  },
  {
    pattern: /project (\w+) is written in (\w+)/,
    key: (m) => `projects.${m[1]?.toLowerCase()}.language`,
    topic: "projects",
    kind: "fact",
    statement: (m) => `Project ${m[1]} is written in ${m[2]}.`,
  },
  {
    pattern: /we deploy with (\w+)/,
    key: () => "deploy.tool",
    topic: "procedures",
    kind: "procedure",
    statement: (m) => `The team deploys with ${m[1]}.`,
  },
  {
    pattern: /flaky (\w+) test/,
    key: () => "ci.flaky",
    topic: "ci",
    kind: "transient",
    statement: (m) => `The ${m[1]} test was flaky.`,
  },
];

function factsIn(id: string, text: string): ExtractedFact[] {
  return RULES.flatMap((rule) => {
    const match = text.match(rule.pattern);
    if (!match) return [];
    return [
      {
        key: rule.key(match),
        topic: rule.topic,
        kind: rule.kind,
        statement: rule.statement(match),
        evidence: [{ event_id: id, quote: match[0] }],
      },
    ];
  });
}

/**
 * A deterministic ConsolidationModel for tests: a few explicit rules over user lines and memory lines, the same
 * answer for the same question whatever process asks it, an optional latency that honours aborts, and usage
 * reported per call. It stands in for the remote model (the only thing these tests do not run for real).
 */
export function createRuleModel(options: RuleModelOptions = {}): ConsolidationModel {
  let calls = 0;
  async function call<T>(
    kind: "extract" | "judge" | "synthesize",
    context: ModelCallContext,
    work: () => T,
  ): Promise<T> {
    const callId = ++calls;
    await options.onCall?.(kind, "start", callId);
    try {
      const latency = typeof options.latencyMs === "function" ? await options.latencyMs() : options.latencyMs;
      if (latency) await sleep(latency, context.signal);
      else if (context.signal.aborted) throw new Error("aborted");
      const value = work();
      await options.onCall?.(kind, "end", callId);
      return value;
    } catch (error) {
      await options.onCall?.(kind, "aborted", callId);
      throw error;
    }
  }
  return {
    id: "rule-model",
    offline: true,
    extract(source: ExtractionSource, context: ModelCallContext) {
      return call("extract", context, () => {
        const facts =
          source.type === "transcript"
            ? source.chunk.lines
                .filter((line) => line.role === "user")
                .flatMap((line) => factsIn(line.eventId, line.text))
            : source.memories.flatMap((memory) =>
                memory.content.split("\n").flatMap((line) => factsIn(memory.id, line)),
              );
        context.reportUsage({ input_tokens: 100, output_tokens: 5 + 10 * facts.length });
        return facts;
      });
    },
    judge(pairs: JudgePair[], context: ModelCallContext) {
      return call("judge", context, (): JudgeVerdict[] => {
        context.reportUsage({ input_tokens: 50, output_tokens: pairs.length });
        const indent = (side: JudgePair["left"]) => side.statements.some((statement) => /indent/i.test(statement));
        return pairs.map((pair) => ({ id: pair.id, same: indent(pair.left) && indent(pair.right) }));
      });
    },
    synthesize(facts: SynthesisFact[], context: ModelCallContext) {
      return call("synthesize", context, (): ProposedInsight[] => {
        context.reportUsage({ input_tokens: 70, output_tokens: 20 });
        const flaky = facts.filter((fact) => fact.key === "ci.flaky").flatMap((fact) => fact.evidence);
        const bySession = new Map(flaky.map((item) => [item.session_id, item.event_id]));
        if (bySession.size < 2) return [];
        return [
          {
            key: "ci.flaky_recurring",
            topic: "ci",
            statement: "Flaky tests recur across sessions.",
            evidence: [...bySession].slice(0, 3).map(([session_id, event_id]) => ({ session_id, event_id })),
          },
        ];
      });
    },
  };
}
