import type { GenerateRequest } from "@nocturne/core";
import { CONSOLIDATION_OUTPUT_NAMES } from "@nocturne/core/internals";
import type { ScriptedReply } from "@nocturne/testing";

/** One rule of the scripted model: a pattern on a user line and the fact it yields. */
interface Rule {
  pattern: RegExp;
  key: string;
  topic: string;
  kind: "preference" | "fact" | "procedure" | "transient";
  /** Every attribute here holds one value at a time (a transient note is a set of one-offs). */
  cardinality?: "single" | "multi";
  statement: (match: RegExpMatchArray) => string;
}

/** The rules the scripted model "understands"; deliberately few and explicit. */
export const RULES: Rule[] = [
  {
    pattern: /I live in ([A-Z]\w+)/,
    key: "home.city",
    topic: "profile",
    kind: "fact",
    statement: (m) => `User lives in ${m[1]}.`,
  },
  {
    pattern: /I moved to ([A-Z]\w+)/,
    key: "home.city",
    topic: "profile",
    kind: "fact",
    statement: (m) => `User lives in ${m[1]}.`,
  },
  {
    pattern: /I prefer (tabs|spaces)/,
    key: "editor.indentation",
    topic: "preferences",
    kind: "preference",
    statement: (m) => `User prefers ${m[1]} for indentation.`,
  },
  {
    pattern: /indent with (tabs|spaces)/,
    key: "indentation",
    topic: "preferences",
    kind: "preference",
    statement: (m) => `User prefers ${m[1]} for indentation.`,
  },
  {
    pattern: /we use (\w+) for packages/,
    key: "tooling.package_manager",
    topic: "tooling",
    kind: "fact",
    statement: (m) => `The team uses ${m[1]} as package manager.`,
  },
  {
    pattern: /flaky (\w+) test/,
    key: "ci.flaky",
    topic: "ci",
    kind: "transient",
    statement: (m) => `The ${m[1]} test was flaky.`,
  },
];

/** An event line of a transcript prompt (`e12 user: text`) with the lines continuing it. */
const EVENT = /^(e\d+) (\w+)(?: part \d+)?: (.*(?:\n(?!e\d+ \w+(?: part \d+)?: |@ |<\/transcript>).*)*)/gm;
const MEMORY = /<memory id="([^"]+)"[^>]*>\n([\s\S]*?)\n<\/memory>/g;

function factsFrom(id: string, text: string) {
  return RULES.flatMap((rule) => {
    const match = text.match(rule.pattern);
    if (!match) return [];
    return [
      {
        key: rule.key,
        topic: rule.topic,
        kind: rule.kind,
        cardinality: rule.cardinality ?? (rule.kind === "transient" ? "multi" : "single"),
        value: match[1],
        statement: rule.statement(match),
        evidence: [{ event_id: id, quote: match[0] }],
      },
    ];
  });
}

/**
 * A scripted model that reads the real prompts: it extracts facts from user events and memory lines with
 * {@link RULES}, judges pairs as the same subject when both sides mention indentation, and proposes an insight
 * when the transient flaky-test fact recurs in two sessions.
 */
export function ruleScript(request: GenerateRequest): ScriptedReply {
  const prompt = request.messages.map((message) => message.content).join("\n");
  const name = request.output?.name;
  if (name === CONSOLIDATION_OUTPUT_NAMES.extract) {
    const facts = [];
    for (const [, id, role, text] of prompt.matchAll(EVENT))
      if (role === "user" && id && text) facts.push(...factsFrom(id, text));
    for (const [, id, text] of prompt.matchAll(MEMORY)) {
      if (id && text) for (const line of text.split("\n")) facts.push(...factsFrom(id, line));
    }
    return { json: { facts }, usage: { input_tokens: 100, output_tokens: 10 * facts.length + 5 } };
  }
  if (name === CONSOLIDATION_OUTPUT_NAMES.judge) {
    const ids = [...prompt.matchAll(/<pair id="([^"]+)">([\s\S]*?)<\/pair>/g)];
    const verdicts = ids.map(([, id, body]) => ({
      id,
      same: /indent/i.test(body ?? "") && (body ?? "").split(/indent/i).length > 2,
    }));
    return { json: { verdicts }, usage: { input_tokens: 50, output_tokens: 5 } };
  }
  if (name === CONSOLIDATION_OUTPUT_NAMES.synthesize) {
    const flakyFacts = [...prompt.matchAll(/<fact key="ci\.flaky"[^>]*>([\s\S]*?)<\/fact>/g)].map(
      ([, body]) => body ?? "",
    );
    const cited = flakyFacts.flatMap((body) => [...body.matchAll(/session_id="([^"]+)" event_id="([^"]+)"/g)]);
    const sessions = new Map(cited.map(([, session, event]) => [session, event]));
    const insights =
      sessions.size >= 2
        ? [
            {
              key: "ci.flaky_recurring",
              topic: "ci",
              statement: "Flaky tests recur across sessions.",
              evidence: [...sessions].map(([session_id, event_id]) => ({ session_id, event_id })),
            },
          ]
        : [];
    return { json: { insights }, usage: { input_tokens: 70, output_tokens: 20 } };
  }
  throw new Error(`unexpected request ${name}`);
}
