import {
  type ConsolidationReport,
  createTiktokenTokenizer,
  memoryPathProblem,
  type ReportedFact,
  Session,
} from "@nocturne/core";
import { chunkTranscript } from "@nocturne/core/internals";
import { describe, expect, it } from "vitest";
import { createMatcher, hasRetractionCue } from "../metrics/match.js";
import { measureQuality } from "../metrics/quality.js";
import { EAGER_JUDGE, NOISY, REWORDED } from "../models/noise-profile.js";
import { createReplayCore } from "../models/replay-core.js";
import { ALL_ENTITY_ATTRIBUTES, ALL_USER_ATTRIBUTES, attributeById } from "../scenario/attributes.js";
import { FamilyName, type FamilyScenario, generateFamily } from "../scenario/families/index.js";
import {
  FAMILY_PROJECT_ATTRIBUTES,
  PEOPLE,
  RELATIONS,
  RETRACTION_CUES,
  SERVER_ADDRESS,
  TEAM_MEMBERS,
  USER_SET_ATTRIBUTES,
} from "../scenario/family-vocabulary.js";
import { generateScenario } from "../scenario/generate.js";
import { currentValues, retractedValues, type TruthItem, type TruthSubject } from "../scenario/ground-truth.js";
import { PARAPHRASES } from "../scenario/paraphrase-vocabulary.js";
import { PROJECT_ATTRIBUTES, USER_ATTRIBUTES } from "../scenario/vocabulary.js";

const START = "2099-01-05T09:00:00.000Z";
const options = { seed: 5, tokensPerSession: 1500, startAt: START };
const families = new Map(FamilyName.options.map((name) => [name, generateFamily(name, options)]));
const family = (name: FamilyName): FamilyScenario => families.get(name) as FamilyScenario;

function textOf(event: Session["events"][number]): string {
  if ("content" in event && Array.isArray(event.content)) {
    return event.content.map((block) => ("text" in block ? String(block.text) : "")).join("\n");
  }
  return "";
}

function itemsOf(scenario: FamilyScenario, type: TruthItem["type"]): TruthItem[] {
  return [...scenario.scenario.truth.items.values()].filter((item) => item.type === type);
}

/** The words of a phrase rendered with placeholders, without the placeholders. */
function wordsOf(text: string): string[] {
  return (
    text
      .replace(/ENTITYX|VALUEX|DATEX/g, " ")
      .toLowerCase()
      .match(/[a-z]+/g) ?? []
  );
}

/** A report whose output states `statements`, one fact each, in one memory. */
function reportOf(statements: string[], path = "/all.md"): { report: ConsolidationReport; content: string } {
  const facts: ReportedFact[] = statements.map((statement) => ({
    key: "k",
    statement,
    kind: "fact",
    trust: "user",
    observedAt: START,
    evidence: [],
    merged: [],
    superseded: [],
  }));
  const content = `${statements.map((statement) => `- ${statement}`).join("\n")}\n`;
  const report: ConsolidationReport = {
    dreamId: "drm_1",
    status: "completed",
    inputStoreId: "in",
    outputStoreId: "out",
    model: "hand",
    instructions: "",
    createdAt: START,
    endedAt: START,
    sessions: [],
    outputs: [{ memoryId: "m", path, contentSha256: "", facts, insights: [] }],
    inputs: [],
    dropped: [],
    declined: [],
    insights: [],
    notices: [],
    stats: { chunks: 0, candidateFacts: 0, clusters: 0, judgeCalls: 0, redactions: 0 },
    usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    error: null,
  };
  return { report, content };
}

/** The canonical statement of every current value of every subject: a perfect output. */
function perfectStatements(subjects: Iterable<TruthSubject>): string[] {
  return [...subjects].flatMap((subject) =>
    currentValues(subject).map((value) => attributeById(subject.attribute).canonical(subject.entity ?? "", value)),
  );
}

function quality(scenario: FamilyScenario, statements: string[]) {
  const { report, content } = reportOf(statements);
  return measureQuality({
    truth: scenario.scenario.truth,
    sessionIds: scenario.chain.flat(),
    inputMemories: [],
    report,
    outputMemories: [{ path: "/all.md", content, content_sha256: "" }],
  });
}

describe("the family vocabulary", () => {
  it("gives every attribute a cardinality; the base project and user attributes are single-valued", () => {
    for (const attribute of [...PROJECT_ATTRIBUTES, ...USER_ATTRIBUTES]) expect(attribute.cardinality).toBe("single");
    for (const attribute of [...USER_SET_ATTRIBUTES, TEAM_MEMBERS, ...RELATIONS]) {
      expect(attribute.cardinality).toBe("multi");
    }
    const ids = [...ALL_USER_ATTRIBUTES, ...ALL_ENTITY_ATTRIBUTES].map((attribute) => attribute.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("keeps values disjoint across the family attributes (relations share the people)", () => {
    const owner = new Map<string, string>();
    for (const attribute of [...USER_SET_ATTRIBUTES, TEAM_MEMBERS, ...FAMILY_PROJECT_ATTRIBUTES, SERVER_ADDRESS]) {
      for (const value of attribute.values) {
        expect(owner.get(value.toLowerCase()), `${value} in ${attribute.id}`).toBeUndefined();
        owner.set(value.toLowerCase(), attribute.id);
      }
    }
    for (const person of PEOPLE) expect(owner.get(person.toLowerCase())).toBeUndefined();
  });

  it("marks every retraction with a cue, and no positive wording of a set with one", () => {
    for (const attribute of [...USER_SET_ATTRIBUTES, TEAM_MEMBERS]) {
      const retraction = attribute.retraction;
      expect(retraction, attribute.id).toBeDefined();
      for (const value of attribute.values) {
        for (const phrase of [retraction?.canonical, ...(retraction?.wordings ?? [])]) {
          if (phrase) expect(hasRetractionCue(phrase("Orchid-1", value)), phrase("Orchid-1", value)).toBe(true);
        }
        for (const phrase of [attribute.canonical, ...attribute.wordings]) {
          expect(hasRetractionCue(phrase("Orchid-1", value)), phrase("Orchid-1", value)).toBe(false);
        }
      }
    }
    expect(RETRACTION_CUES.length).toBeGreaterThan(5);
  });

  it("paraphrases every base attribute in words the base templates never use", () => {
    const base = new Set<string>();
    for (const attribute of [...PROJECT_ATTRIBUTES, ...USER_ATTRIBUTES]) {
      for (const phrase of [attribute.canonical, attribute.history, ...attribute.wordings]) {
        for (const word of wordsOf(phrase("ENTITYX", "VALUEX"))) base.add(word);
      }
      for (const change of attribute.changes) {
        for (const word of wordsOf(change("ENTITYX", "VALUEX", "DATEX"))) base.add(word);
      }
    }
    for (const attribute of [...PROJECT_ATTRIBUTES, ...USER_ATTRIBUTES]) {
      const phrases = PARAPHRASES[attribute.id] ?? [];
      expect(phrases.length, attribute.id).toBeGreaterThan(0);
      for (const phrase of phrases) {
        const shared = wordsOf(phrase("ENTITYX", "VALUEX")).filter((word) => base.has(word));
        expect(shared, phrase("ENTITYX", "VALUEX")).toEqual([]);
      }
    }
  });
});

describe("the family generators", () => {
  it("are deterministic for a seed and differ across seeds", () => {
    for (const name of FamilyName.options) {
      const again = generateFamily(name, options);
      const first = family(name);
      expect(JSON.stringify(again.scenario.sessions), name).toBe(JSON.stringify(first.scenario.sessions));
      expect(JSON.stringify(again.scenario.memories), name).toBe(JSON.stringify(first.scenario.memories));
      const other = generateFamily(name, { ...options, seed: 6 });
      expect(JSON.stringify(other.scenario.sessions), name).not.toBe(JSON.stringify(first.scenario.sessions));
    }
  });

  it("write valid sessions and memories and place every statement verbatim where the truth says", () => {
    for (const name of FamilyName.options) {
      const { scenario, chain } = family(name);
      const events = new Map<string, string>();
      for (const session of scenario.sessions) {
        expect(Session.safeParse(session).success, name).toBe(true);
        for (const event of session.events) events.set(event.id, textOf(event));
      }
      const ids = scenario.sessions.flatMap((session) => session.events.map((event) => event.id));
      expect(new Set(ids).size, name).toBe(ids.length);
      for (const memory of scenario.memories) expect(memoryPathProblem(memory.path), memory.path).toBeNull();
      const memories = new Map(scenario.memories.map((memory) => [memory.path, memory.content]));
      for (const item of scenario.truth.items.values()) {
        const text = item.source.type === "event" ? events.get(item.source.eventId) : memories.get(item.source.path);
        expect(text, `${name} ${item.id}`).toContain(item.quote);
      }
      expect(chain.flat().sort()).toEqual(scenario.sessions.map((session) => session.id).sort());
    }
  });

  it("classifies every statement as what it states (retractions as retractions)", () => {
    for (const name of FamilyName.options) {
      const { scenario } = family(name);
      const matcher = createMatcher(scenario.truth);
      for (const item of scenario.truth.items.values()) {
        if (item.type !== "observation" && item.type !== "retraction") continue;
        const context = item.source.type === "memory" ? item.source.path : undefined;
        const matches = matcher.classify(item.quote, context);
        const type = item.type === "observation" ? "value" : "retraction";
        expect(matches, `${name}: ${item.quote}`).toEqual([{ type, subjectKey: item.subjectKey, value: item.value }]);
      }
    }
  });

  it("multi-valued: members accumulate, retractions are recorded and remove exactly their member", () => {
    const scenario = family("multi-valued");
    const retractions = itemsOf(scenario, "retraction");
    expect(retractions.length).toBeGreaterThanOrEqual(6);
    const subjects = [...scenario.scenario.truth.subjects.values()];
    expect(subjects.every((subject) => subject.cardinality === "multi")).toBe(true);
    expect(subjects.filter((subject) => currentValues(subject).length >= 2).length).toBeGreaterThan(5);
    for (const item of retractions) {
      if (item.type !== "retraction") continue;
      const subject = scenario.scenario.truth.subjects.get(item.subjectKey) as TruthSubject;
      const earlier = [...scenario.scenario.truth.items.values()].filter(
        (other) => other.type === "observation" && other.subjectKey === item.subjectKey && other.order < item.order,
      );
      expect(earlier.map((other) => (other.type === "observation" ? other.value : ""))).toContain(item.value);
      expect(currentValues(subject)).not.toContain(item.value);
      expect(retractedValues(subject)).toContain(item.value);
    }
    const additions = itemsOf(scenario, "observation").filter(
      (item) => item.type === "observation" && item.act === "introduce",
    );
    expect(additions.length).toBeGreaterThanOrEqual(10);
  });

  it("role swaps: every relation is later stated the other way round, as another subject", () => {
    const { scenario } = family("role-swaps");
    const relations = [...scenario.truth.subjects.values()].flatMap((subject) =>
      currentValues(subject).map((value) => `${subject.attribute}|${subject.entity}|${value}`),
    );
    expect(relations.length).toBeGreaterThanOrEqual(20);
    for (const relation of relations) {
      const [attribute, from, to] = relation.split("|");
      expect(relations, relation).toContain(`${attribute}|${to}|${from}`);
    }
    const matcher = createMatcher(scenario.truth);
    const subject = [...scenario.truth.subjects.values()][0] as TruthSubject;
    const value = currentValues(subject)[0] as string;
    const forward = attributeById(subject.attribute).canonical(subject.entity ?? "", value);
    const backward = attributeById(subject.attribute).canonical(value, subject.entity ?? "");
    expect(matcher.classify(forward)).toEqual([{ type: "value", subjectKey: subject.key, value }]);
    expect(matcher.classify(backward)).not.toContainEqual(expect.objectContaining({ subjectKey: subject.key }));
  });

  it("distinct entities: 300 servers in one template, each its own subject with its own address", () => {
    const { scenario } = family("distinct-entities");
    const subjects = [...scenario.truth.subjects.values()];
    expect(subjects).toHaveLength(300);
    expect(new Set(subjects.map((subject) => subject.current)).size).toBe(300);
    const stored = itemsOf(family("distinct-entities"), "observation").filter((item) => item.source.type === "memory");
    expect(stored).toHaveLength(200);
    const template = (quote: string) => quote.replace(/alpha-\d+/, "N").replace(/\d+\.\d+\.\d+\.\d+/, "IP");
    expect(new Set(stored.map((item) => template(item.quote))).size).toBe(1);
    const inSessions = new Set(
      itemsOf(family("distinct-entities"), "observation").flatMap((item) =>
        item.source.type === "event" && item.type === "observation" ? [item.subjectKey] : [],
      ),
    );
    expect(inSessions.size).toBeGreaterThanOrEqual(100);
    expect(subjects.filter((subject) => subject.history.length > 1).length).toBeGreaterThanOrEqual(8);
  });

  it("compound: one line, two subjects; sessions update one clause and never mention the other", () => {
    const { scenario } = family("compound");
    const updated = new Set(
      [...scenario.truth.items.values()].flatMap((item) =>
        item.type === "observation" && item.act === "change" ? [item.subjectKey] : [],
      ),
    );
    expect(updated.size).toBe(9);
    for (const memory of scenario.memories) {
      const items = scenario.truth.byMemoryPath.get(memory.path) ?? [];
      expect(items).toHaveLength(2);
      expect(memory.content.trim().split("\n")).toHaveLength(1);
      const keys = items.map((item) => (item.type === "observation" ? item.subjectKey : ""));
      expect(new Set(keys).size).toBe(2);
      expect(keys.filter((key) => updated.has(key)).length).toBeLessThanOrEqual(1);
    }
    const mentioned = new Set(
      [...scenario.truth.items.values()].flatMap((item) =>
        item.source.type === "event" && item.type === "observation" ? [item.subjectKey] : [],
      ),
    );
    expect([...mentioned].sort()).toEqual([...updated].sort());
  });

  it("backfill: the newer sessions are dreamed first, and the newer value is the truth", () => {
    const { scenario, chain } = family("backfill");
    expect(chain).toHaveLength(2);
    const times = new Map(scenario.sessions.map((session) => [session.id, Date.parse(session.created_at)]));
    const [newer, older] = chain as [string[], string[]];
    expect(Math.min(...newer.map((id) => times.get(id) ?? 0))).toBeGreaterThan(
      Math.max(...older.map((id) => times.get(id) ?? 0)),
    );
    let overridden = 0;
    for (const subject of scenario.truth.subjects.values()) {
      const changes = [...scenario.truth.items.values()].filter(
        (item) => item.type === "observation" && item.subjectKey === subject.key && item.source.type === "event",
      );
      const inNewer = changes.filter((item) => item.source.type === "event" && newer.includes(item.source.sessionId));
      const inOlder = changes.filter((item) => item.source.type === "event" && older.includes(item.source.sessionId));
      if (subject.cardinality === "single" && inNewer.length > 0 && inOlder.length > 0) {
        overridden++;
        expect(subject.current).toBe((inNewer.at(-1) as Extract<TruthItem, { type: "observation" }>).value);
      }
    }
    expect(overridden).toBeGreaterThanOrEqual(5);
    const teams = [...scenario.truth.subjects.values()].filter((subject) => subject.cardinality === "multi");
    expect(teams.some((subject) => retractedValues(subject).length > 0)).toBe(true);
  });

  it("chained: ten one-session dreams, compared with one dream over all ten", () => {
    const scenario = family("chained");
    expect(scenario.chain).toHaveLength(10);
    for (const step of scenario.chain) expect(step).toHaveLength(1);
    expect(scenario.compareSingle).toBe(true);
    expect(itemsOf(scenario, "retraction").length).toBeGreaterThanOrEqual(5);
    expect(
      itemsOf(scenario, "observation").filter((item) => item.type === "observation" && item.act === "change").length,
    ).toBe(20);
  });
});

describe("quality on the families", () => {
  it("scores a perfect output as perfect, and a retracted member stated as current as stale", () => {
    const scenario = family("multi-valued");
    const subjects = [...scenario.scenario.truth.subjects.values()];
    const perfect = quality(scenario, perfectStatements(subjects));
    expect(perfect.currentFactRecall).toBe(1);
    expect(perfect.staleRate).toBe(0);
    expect(perfect.duplicateRate).toBe(0);
    const withRetraction = subjects.find((subject) => retractedValues(subject).length > 0) as TruthSubject;
    const gone = retractedValues(withRetraction)[0] as string;
    const def = attributeById(withRetraction.attribute);
    const stale = quality(scenario, [...perfectStatements(subjects), def.canonical(withRetraction.entity ?? "", gone)]);
    expect(stale.staleRate).toBeGreaterThan(0);
    const noted = quality(scenario, [
      ...perfectStatements(subjects),
      def.retraction?.canonical(withRetraction.entity ?? "", gone) ?? "",
    ]);
    expect(noted.staleRate).toBe(0);
    expect(noted.precision).toBe(1);
    const collapsed = quality(
      scenario,
      subjects.map((subject) => def.canonical(subject.entity ?? "", currentValues(subject)[0] ?? "")),
    );
    expect(collapsed.currentFactRecall).toBeLessThan(0.5);
  });

  it("counts each direction of a role swap on its own", () => {
    const scenario = family("role-swaps");
    const subjects = [...scenario.scenario.truth.subjects.values()];
    expect(quality(scenario, perfectStatements(subjects)).currentFactRecall).toBe(1);
    const oneWay = quality(scenario, perfectStatements(subjects.slice(0, Math.floor(subjects.length / 2))));
    expect(oneWay.currentFactRecall).toBeLessThan(1);
  });

  it("reads a compound line's second clause through its memory's path", () => {
    const scenario = family("compound");
    const memory = scenario.scenario.memories[0] as { path: string; content: string };
    const line = memory.content.replace(/^- /, "").trim();
    const matches = createMatcher(scenario.scenario.truth).classify(line, memory.path);
    expect(matches.filter((match) => match.type === "value")).toHaveLength(2);
  });
});

describe("the replay on the families", () => {
  const tokenizer = createTiktokenTokenizer();

  it("emits cardinality and value for every fact, and polarity only for retractions", () => {
    for (const name of FamilyName.options) {
      const { scenario } = family(name);
      const core = createReplayCore(scenario.truth);
      const facts = [
        ...scenario.sessions
          .flatMap((session) => chunkTranscript(session, tokenizer, 1500))
          .flatMap((chunk) =>
            core.extractTranscript(
              chunk.key,
              chunk.lines.map((line) => ({ eventId: line.eventId, text: line.text })),
              0,
            ),
          ),
        ...core.extractMemories(
          scenario.memories.map((memory, index) => ({ id: `mem_${index}`, ...memory })),
          0,
        ),
      ];
      const expected = [...scenario.truth.items.values()].filter(
        (item) => item.type === "observation" || item.type === "retraction",
      );
      expect(facts, name).toHaveLength(expected.length);
      for (const fact of facts) {
        const subject = scenario.truth.subjects.get(fact.key) as TruthSubject;
        expect(fact.cardinality, fact.statement).toBe(subject.cardinality);
        expect(fact.value, fact.statement).toBeTruthy();
        expect(fact.statement).toContain(fact.value);
        expect(fact.polarity).toBe(hasRetractionCue(fact.statement) ? "negative" : undefined);
      }
      expect(facts.filter((fact) => fact.polarity === "negative")).toHaveLength(
        expected.filter((item) => item.type === "retraction").length,
      );
    }
  });

  it("reworded: every update comes out in the paraphrase vocabulary; noise at 1.5× the noisy rates", () => {
    expect(REWORDED.keyParaphrase).toBeCloseTo(NOISY.keyParaphrase * 1.5);
    expect(REWORDED.statementParaphrase).toBeCloseTo(Math.min(1, NOISY.statementParaphrase * 1.5));
    expect(REWORDED.updateParaphrase).toBe(1);
    const scenario = generateScenario({ seed: 4, sessions: 6, tokensPerSession: 2000, memories: 80, startAt: START });
    const core = createReplayCore(scenario.truth, { profile: { ...REWORDED, split: 0, merge: 0, badEvidence: 0 } });
    const phrases = (subject: TruthSubject, value: string) =>
      (PARAPHRASES[subject.attribute] ?? []).map((phrase) => phrase(subject.entity ?? "", value));
    let updates = 0;
    for (const session of scenario.sessions) {
      for (const chunk of chunkTranscript(session, tokenizer, 100_000)) {
        const facts = core.extractTranscript(
          chunk.key,
          chunk.lines.map((line) => ({ eventId: line.eventId, text: line.text })),
          0,
        );
        for (const fact of facts) {
          const item = scenario.truth.byEvent
            .get(fact.evidence[0]?.event_id ?? "")
            ?.find((entry) => entry.quote === fact.evidence[0]?.quote);
          if (item?.type !== "observation" || item.act !== "change") continue;
          updates++;
          const subject = scenario.truth.subjects.get(item.subjectKey) as TruthSubject;
          expect(phrases(subject, item.value)).toContain(fact.statement);
        }
      }
    }
    expect(updates).toBeGreaterThan(5);
  });

  it("eager-judge: says same for about a fifth of pairs about different subjects", () => {
    const scenario = generateScenario({ seed: 4, sessions: 2, tokensPerSession: 500, memories: 400, startAt: START });
    const subjects = [...scenario.truth.subjects.values()].filter((subject) => subject.entity !== null);
    const pairs = subjects.slice(0, 400).map((subject, index) => {
      const other = subjects[(index + 7) % subjects.length] as TruthSubject;
      return {
        id: `p${index}`,
        left: { key: subject.key, statements: [subject.history[0]?.statement ?? ""] },
        right: { key: other.key, statements: [other.history[0]?.statement ?? ""] },
      };
    });
    const rate = (profile: typeof NOISY) =>
      createReplayCore(scenario.truth, { profile })
        .judge(pairs)
        .filter((verdict) => verdict.same).length / pairs.length;
    const noisy = rate(NOISY);
    const eager = rate(EAGER_JUDGE);
    expect(noisy).toBeLessThan(0.1);
    expect(eager - noisy).toBeGreaterThan(0.12);
    expect(eager - noisy).toBeLessThan(0.28);
  });
});
