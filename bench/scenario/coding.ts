import type { Session, SessionEvent } from "@nocturne/core";
import { createRandom, type Random } from "../lib/random.js";
import { attributeById, slugOf } from "./attributes.js";
import { DEV_DEPENDENCIES, fileLineOf, OTHER_DEPENDENCIES } from "./coding-vocabulary.js";
import { codeLine, fillerSentence, logLine } from "./filler.js";
import { estimateTokens } from "./generate.js";
import type { Scenario, TruthSubject } from "./ground-truth.js";
import { observation, type Statement, TruthBuilder } from "./truth-builder.js";
import { CODENAMES, FILLER } from "./vocabulary.js";

/** What the coding scenario is asked for. */
export interface CodingOptions {
  seed: number | string;
  /** Sessions, one project each. */
  sessions: number;
  /** Least transcript tokens of a session (a session always has at least two work rounds). */
  tokensPerSession: number;
  startAt: string;
  countTokens?: (text: string) => number;
}

/** A coding scenario and which of its subjects only a tool result states. */
export interface CodingScenario {
  scenario: Scenario;
  /** Keys of the subjects whose value lives only in a tool result (a file the agent read). */
  toolOnlySubjects: string[];
  /** Keys of the subjects the user states whose value a long test log also holds, in its middle. */
  loggedSubjects: string[];
}

/** Share of a session's tokens in tool results: the agent's prose and the user's messages make up the rest. */
const TOOL_SHARE = 0.7;
/** Attributes the user states in a message (the first with `LOGGED`, the others in the second round). */
const USER_STATED = ["deploy_region", "ci", "owner"] as const;
/** The attribute the user states that the first test log also prints, in its middle, where a head/tail cut drops it. */
const LOGGED = "database";
/** Attributes only a file the agent reads states: `package.json`, `.env`, `config/app.yaml`. */
const TOOL_ONLY = ["http_framework", "service_port", "request_timeout"] as const;
const SESSION_SPACING_MS = 3_600_000;
/** Most tokens of one agent message of prose. */
const PROSE_TOKENS = 700;

interface Fact {
  subject: TruthSubject;
  value: string;
}

/** Writes one session's events in order and records what each states in the ground truth. */
class SessionWriter {
  readonly events: SessionEvent[] = [];
  toolTokens = 0;
  otherTokens = 0;
  private eventNumber = 0;
  private at: number;

  constructor(
    private readonly builder: TruthBuilder,
    private readonly meta: { id: string; index: number; createdAt: number },
    private readonly count: (text: string) => number,
  ) {
    this.at = meta.createdAt;
  }

  private next(): { id: string; processed_at: string; order: number } {
    this.eventNumber++;
    this.at += 2000;
    const tag = String(this.meta.index + 1).padStart(3, "0");
    return {
      id: `sevt_c${tag}_${String(this.eventNumber).padStart(5, "0")}`,
      processed_at: new Date(this.at).toISOString(),
      order: (this.meta.index + 1) * 1_000_000 + this.eventNumber,
    };
  }

  say(role: "user" | "agent", text: string, statements: readonly Statement[] = []): void {
    const { id, processed_at, order } = this.next();
    const type = role === "user" ? "user.message" : "agent.message";
    this.events.push({ id, type, processed_at, content: [{ type: "text", text }] });
    this.otherTokens += this.count(text);
    for (const statement of statements) {
      this.builder.add(statement.record({ type: "event", sessionId: this.meta.id, eventId: id, role }, order));
    }
  }

  tool(name: string, input: Record<string, unknown>, output: string, facts: readonly Fact[] = []): void {
    const use = this.next();
    this.events.push({ id: use.id, type: "agent.tool_use", processed_at: use.processed_at, name, input });
    this.otherTokens += this.count(`called tool ${name} with ${JSON.stringify(input)}`);
    const result = this.next();
    this.events.push({
      id: result.id,
      type: "agent.tool_result",
      processed_at: result.processed_at,
      tool_use_id: use.id,
      content: [{ type: "text", text: output }],
    });
    this.toolTokens += this.count(output);
    for (const fact of facts) {
      this.builder.add({
        id: this.builder.nextItemId("tool"),
        type: "observation",
        subjectKey: fact.subject.key,
        value: fact.value,
        act: "introduce",
        quote: fileLineOf(fact.subject.attribute, fact.value),
        source: { type: "event", sessionId: this.meta.id, eventId: result.id, role: "tool" },
        order: result.order,
      });
    }
  }

  get tokens(): number {
    return this.toolTokens + this.otherTokens;
  }
}

/**
 * The project's `package.json`. Manifests are short (a few hundred tokens, as real ones are), far under the
 * per-result budget, so a head/tail cut never touches them and the framework version in them is always read.
 */
function manifest(entity: string, framework: string, random: Random): string {
  const [name = "", version = ""] = framework.split(" ");
  const others = random.shuffle([...OTHER_DEPENDENCIES]).slice(0, random.int(5, 9));
  const dependencies = Object.fromEntries([[name, version], ...others].sort(([a], [b]) => (a < b ? -1 : 1)));
  const text = JSON.stringify(
    {
      name: slugOf(entity),
      version: `1.${random.int(0, 40)}.${random.int(0, 9)}`,
      private: true,
      type: "module",
      scripts: { build: "tsup src/index.ts", test: "vitest run", lint: "biome check .", start: "node dist/index.js" },
      dependencies,
      devDependencies: Object.fromEntries(DEV_DEPENDENCIES),
    },
    null,
    2,
  );
  if (!text.includes(fileLineOf("http_framework", framework))) throw new Error("manifest lost its framework line");
  return text;
}

/** The project's `.env`: a dozen short lines, the port among them (short, so never cut). */
function envFile(port: string): string {
  return [
    "NODE_ENV=development",
    "LOG_LEVEL=info",
    fileLineOf("service_port", port),
    "HOST=0.0.0.0",
    "REDIS_URL=redis://127.0.0.1:6379/0",
    "FEATURE_AUDIT_LOG=true",
    "MAX_UPLOAD_MB=25",
    "TZ=UTC",
  ].join("\n");
}

/** The project's `config/app.yaml`: short, the request timeout among its settings (so never cut). */
function configFile(timeout: string, random: Random): string {
  return [
    "server:",
    "  trustProxy: true",
    `  ${fileLineOf("request_timeout", timeout)}`,
    `  bodyLimitKb: ${random.int(64, 1024)}`,
    "queue:",
    `  concurrency: ${random.int(2, 16)}`,
    `  retries: ${random.int(1, 5)}`,
    "cache:",
    `  ttlSeconds: ${random.int(30, 900)}`,
  ].join("\n");
}

/** `src/server.ts`: read again in every round, unchanged (the reads a deduplicating renderer reads once). */
function sourceFile(random: Random): string {
  const lines = Array.from({ length: random.int(60, 80) }, () => codeLine(random));
  return [`export function ${random.pick(FILLER.codeWords)}Handler(options) {`, ...lines, "}"].join("\n");
}

/** A long test run: a line per test; `middle`, when given, is printed half-way, where a head/tail cut drops it. */
function testLog(entity: string, random: Random, middle: string | null): string {
  const tests = random.int(220, 300);
  const lines = Array.from({ length: tests }, (_, i) => {
    const file = `test/${random.pick(FILLER.pathWords)}/${random.pick(FILLER.codeWords)}-${i}.test.ts`;
    return ` ✓ ${file} > ${random.pick(FILLER.subjects)} ${random.pick(FILLER.verbs)} ${random.pick(FILLER.objects)} ${random.int(1, 90)}ms`;
  });
  if (middle !== null) lines.splice(Math.floor(tests / 2), 0, middle);
  return [
    ` RUN  v2.0.5 /work/${slugOf(entity)}`,
    "",
    ...lines,
    "",
    ` Test Files  ${Math.ceil(tests / 6)} passed (${Math.ceil(tests / 6)})`,
    `      Tests  ${tests} passed (${tests})`,
    `   Duration  ${random.int(3, 40)}.${random.int(10, 99)}s`,
  ].join("\n");
}

/** A long build log. */
function buildLog(random: Random): string {
  const lines = Array.from({ length: random.int(120, 180) }, () => logLine(random));
  return ["CLI Building entry: src/index.ts", "CLI Target: node20", ...lines, "ESM ⚡️ Build success"].join("\n");
}

/** A diff of `src/server.ts`. */
function diff(random: Random): string {
  const lines = ["diff --git a/src/server.ts b/src/server.ts", "--- a/src/server.ts", "+++ b/src/server.ts"];
  for (let hunk = 0; hunk < random.int(3, 6); hunk++) {
    lines.push(`@@ -${random.int(1, 300)},12 +${random.int(1, 300)},14 @@`);
    for (let i = 0; i < 14; i++) lines.push(`${random.pick([" ", " ", "+", "-"])}${codeLine(random)}`);
  }
  return lines.join("\n");
}

/** An agent message of about `tokens` tokens of explanation. */
function prose(random: Random, tokens: number, count: (text: string) => number): string {
  const sentences: string[] = [];
  let total = 0;
  while (total < tokens) {
    const sentence = fillerSentence(random);
    sentences.push(sentence);
    total += count(sentence) + 1;
  }
  return sentences.join(" ");
}

/** A project fact with a value picked for it. */
function factOf(builder: TruthBuilder, random: Random, entity: string, attribute: string): Fact {
  const def = attributeById(attribute);
  return { subject: builder.subject(entity, def), value: random.pick(def.values) };
}

/** The user's statement of a fact, in one of its attribute's wordings. */
function stated(builder: TruthBuilder, random: Random, { subject, value }: Fact): Statement {
  const wording = random.pick(attributeById(subject.attribute).wordings);
  return observation(builder, subject, value, "introduce", wording(subject.entity ?? "", value), "user");
}

/**
 * Generates the coding scenario: each session is an agent working on one project, and about 70 % of its tokens are
 * tool results — the project's manifest, `.env`, config and `src/server.ts` read (and read again, unchanged), long
 * test and build logs, diffs. The user states some project facts (deploy region, CI, owner, database); others live
 * only in a file the agent read (the HTTP framework's version in `package.json`, the port in `.env`, the request
 * timeout in `config/app.yaml`), in short files a per-result budget never cuts. The database the user names is also
 * printed in the middle of the first test log, which a head/tail cut drops: it must be found from the user's words.
 * Deterministic: the same options always give the same scenario.
 */
export function generateCodingScenario(options: CodingOptions): CodingScenario {
  const random = createRandom(`coding|${options.seed}`);
  const builder = new TruthBuilder();
  const count = options.countTokens ?? estimateTokens;
  const sessions: Session[] = [];
  const toolOnly = new Set<string>();
  const logged = new Set<string>();
  const entities = new Set<string>();
  let transcriptTokens = 0;
  for (let index = 0; index < options.sessions; index++) {
    let entity = "";
    while (entity === "" || entities.has(entity)) entity = `${random.pick(CODENAMES)}-${random.int(1, 999)}`;
    entities.add(entity);
    const id = `sesn_coding_${String(index + 1).padStart(3, "0")}`;
    const createdAt = Date.parse(options.startAt) + index * SESSION_SPACING_MS;
    builder.truth.eventIds.set(id, new Set());
    const writer = new SessionWriter(builder, { id, index, createdAt }, count);
    const [framework, port, timeout] = TOOL_ONLY.map((attribute) => factOf(builder, random, entity, attribute)) as [
      Fact,
      Fact,
      Fact,
    ];
    for (const fact of [framework, port, timeout]) toolOnly.add(fact.subject.key);
    const database = factOf(builder, random, entity, LOGGED);
    logged.add(database.subject.key);
    const userFacts = [database, ...USER_STATED.map((attribute) => factOf(builder, random, entity, attribute))].map(
      (fact) => stated(builder, random, fact),
    );

    writer.say("user", `${random.pick(FILLER.asks)} ${random.pick(FILLER.subjects)} in ${entity}?`);
    const packageJson = manifest(entity, framework.value, random);
    writer.tool("read_file", { path: "package.json" }, packageJson, [framework]);
    writer.tool("read_file", { path: ".env" }, envFile(port.value), [port]);
    writer.tool("read_file", { path: "config/app.yaml" }, configFile(timeout.value, random), [timeout]);
    const source = sourceFile(random);
    writer.tool("read_file", { path: "src/server.ts" }, source);
    for (let round = 0; round < 2 || writer.tokens < options.tokensPerSession; round++) {
      const said = round === 0 ? userFacts.slice(0, 2) : round === 1 ? userFacts.slice(2) : [];
      writer.say(
        "user",
        [fillerSentence(random), ...said.map((statement) => statement.sentence), fillerSentence(random)].join(" "),
        said,
      );
      const dbLine =
        round === 0 ? `[db] connected to ${database.value} (${slugOf(entity)}-db), 0 pending migrations` : null;
      writer.tool("bash", { command: "pnpm test" }, testLog(entity, random, dbLine));
      writer.tool("read_file", { path: "src/server.ts" }, source);
      writer.tool("bash", { command: "git diff" }, diff(random));
      writer.tool("bash", { command: "pnpm build" }, buildLog(random));
      if (round % 2 === 1) writer.tool("read_file", { path: "package.json" }, packageJson);
      for (
        let missing = (writer.toolTokens * (1 - TOOL_SHARE)) / TOOL_SHARE - writer.otherTokens;
        missing > 0;
        missing -= PROSE_TOKENS
      ) {
        writer.say("agent", prose(random, Math.min(missing, PROSE_TOKENS), count));
      }
    }
    const ids = builder.truth.eventIds.get(id);
    for (const event of writer.events) ids?.add(event.id);
    sessions.push({
      id,
      title: `coding session ${index + 1}: ${entity}`,
      created_at: new Date(createdAt).toISOString(),
      metadata: {},
      events: writer.events,
    });
    transcriptTokens += writer.tokens;
  }
  return {
    scenario: {
      options: {
        seed: options.seed,
        sessions: options.sessions,
        tokensPerSession: options.tokensPerSession,
        memories: 0,
        startAt: options.startAt,
      },
      memories: [],
      sessions,
      truth: builder.truth,
      transcriptTokens,
    },
    toolOnlySubjects: [...toolOnly],
    loggedSubjects: [...logged],
  };
}
