import {
  type ConsolidationModel,
  type ConsolidationReport,
  createInMemoryAdapter,
  createNocturne,
  type ExtractedFact,
  readAllMemories,
  type Session,
  type StorageAdapter,
} from "@nocturne/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/**
 * Properties of resolution over generated histories: subjects (single values and sets, some sharing one key across
 * distinct entities), observations and retractions spread over sessions, dreamed in one dream or split over several
 * dreams fed in any order. A scripted model reads each statement back exactly (a perfect extractor), so what is
 * checked is the engine: blocking, resolution, lineage and the report.
 */

interface Subject {
  entity: string;
  attribute: string;
  cardinality: "single" | "multi";
  /** True when the key leaves the entity out (`ip_address` for every server): only the statement names it. */
  sharedKey: boolean;
}

interface Observation {
  subject: number;
  value: string;
  polarity: "positive" | "negative";
}

interface History {
  subjects: Subject[];
  /** In time order: observation i happens at day i. */
  observations: Observation[];
  /** Which session each observation is said in. */
  sessionOf: number[];
  sessions: number;
}

const ENTITIES = ["alpha-1", "alpha-2", "Borealis", "Cobalt-7", "Dunmore"];
const ATTRIBUTES = ["ip_address", "owner", "region", "languages", "pets"];
const VALUES = ["Quartz", "Tundra", "Velvet", "Zephyr", "10.0.0.4", "10.0.0.9"];

const keyOf = (subject: Subject) =>
  subject.sharedKey ? `things.${subject.attribute}` : `things.${subject.entity}.${subject.attribute}`;

function statementOf(subject: Subject, value: string, polarity: Observation["polarity"]): string {
  const attribute = subject.attribute.replace(/_/g, " ");
  if (polarity === "negative") return `${subject.entity} no longer has ${attribute} ${value}.`;
  return subject.cardinality === "single"
    ? `The ${attribute} of ${subject.entity} is ${value}.`
    : `${subject.entity} has ${attribute} ${value}.`;
}

const historyArbitrary: fc.Arbitrary<History> = fc
  .uniqueArray(
    fc.record({
      entity: fc.constantFrom(...ENTITIES),
      attribute: fc.constantFrom(...ATTRIBUTES),
      cardinality: fc.constantFrom("single" as const, "multi" as const),
      sharedKey: fc.boolean(),
    }),
    { minLength: 1, maxLength: 5, selector: (subject) => `${subject.entity}|${subject.attribute}` },
  )
  .chain((subjects) =>
    fc
      .record({
        observations: fc.array(
          fc.record({
            subject: fc.nat({ max: subjects.length - 1 }),
            value: fc.constantFrom(...VALUES),
            polarity: fc.constantFrom("positive" as const, "positive" as const, "negative" as const),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        sessions: fc.integer({ min: 1, max: 5 }),
      })
      .chain(({ observations, sessions }) =>
        fc
          .array(fc.nat({ max: sessions - 1 }), { minLength: observations.length, maxLength: observations.length })
          .map((sessionOf) => ({ subjects, observations, sessions, sessionOf })),
      ),
  )
  .map((history) => ({
    ...history,
    subjects: history.subjects.map((subject) => ({
      ...subject,
      sharedKey: subject.sharedKey && subject.cardinality === "single",
    })),
  }));

const day = (index: number) => new Date(Date.UTC(2099, 0, 1 + index)).toISOString();

/** The sessions of a history: each holds its observations as user messages at their own time. */
function sessionsOf(history: History): Session[] {
  return Array.from({ length: history.sessions }, (_, index) => {
    const events = history.observations.flatMap((observation, at) => {
      if (history.sessionOf[at] !== index) return [];
      const subject = history.subjects[observation.subject] as Subject;
      return [
        {
          id: `evt_${at}`,
          type: "user.message" as const,
          processed_at: day(at),
          content: [{ type: "text" as const, text: statementOf(subject, observation.value, observation.polarity) }],
        },
      ];
    });
    return { id: `sesn_${index}`, title: null, created_at: day(0), metadata: {}, events };
  }).filter((session) => session.events.length > 0);
}

/** A perfect extractor: every statement of the history read back with its key, cardinality, value and polarity. */
function perfectModel(history: History): ConsolidationModel {
  const known = new Map<string, Omit<ExtractedFact, "evidence">>();
  for (const subject of history.subjects) {
    for (const value of VALUES) {
      for (const polarity of ["positive", "negative"] as const) {
        known.set(statementOf(subject, value, polarity), {
          key: keyOf(subject),
          topic: "things",
          statement: statementOf(subject, value, polarity),
          kind: "fact",
          cardinality: subject.cardinality,
          value,
          polarity,
        });
      }
    }
  }
  const read = (id: string, text: string): ExtractedFact[] => {
    const line = text.replace(/^- /, "").trim();
    const fact = known.get(line);
    return fact ? [{ ...fact, evidence: [{ event_id: id, quote: line }] }] : [];
  };
  return {
    id: "perfect",
    offline: true,
    async extract(source) {
      if (source.type === "transcript") return source.chunk.lines.flatMap((line) => read(line.eventId, line.text));
      return source.memories.flatMap((memory) => memory.content.split("\n").flatMap((line) => read(memory.id, line)));
    },
    async judge(pairs) {
      return pairs.map((pair) => ({ id: pair.id, same: false }));
    },
    async synthesize() {
      return [];
    },
  };
}

/**
 * What must be true at the end: per single-valued subject its latest asserted value, or "(none)" when that was
 * retracted afterwards (retraction lines may stay); per set, the members whose latest word is "yes".
 */
function expectedState(history: History): Map<string, string> {
  const state = new Map<string, string>();
  for (const [index, subject] of history.subjects.entries()) {
    const said = history.observations.filter((observation) => observation.subject === index);
    if (said.length === 0) continue;
    if (subject.cardinality === "single") {
      const positives = said.filter((observation) => observation.polarity === "positive");
      const last = positives.at(-1);
      const retracted =
        last !== undefined && said.slice(said.lastIndexOf(last) + 1).some((o) => o.value === last.value);
      state.set(`${subject.entity}|${subject.attribute}`, last === undefined || retracted ? "(none)" : last.value);
    } else {
      const members = new Map<string, Observation["polarity"]>();
      for (const observation of said) members.set(observation.value, observation.polarity);
      const current = [...members.entries()]
        .filter(([, polarity]) => polarity === "positive")
        .map(([value]) => value)
        .sort();
      if (current.length > 0) state.set(`${subject.entity}|${subject.attribute}`, current.join(","));
    }
  }
  return state;
}

/** The state an output store states: the same shape as {@link expectedState}, read from its memory lines. */
function statedState(history: History, lines: string[]): Map<string, string> {
  const state = new Map<string, string>();
  const present = new Set(lines);
  for (const subject of history.subjects) {
    const id = `${subject.entity}|${subject.attribute}`;
    const positives = VALUES.filter((value) => present.has(statementOf(subject, value, "positive")));
    const negatives = VALUES.filter((value) => present.has(statementOf(subject, value, "negative")));
    if (subject.cardinality === "single") {
      if (positives.length > 1) state.set(id, `STALE:${positives.join(",")}`);
      else if (positives.length === 1) state.set(id, positives[0] as string);
      else if (negatives.length > 0 || history.observations.some((o) => history.subjects[o.subject] === subject)) {
        state.set(id, "(none)");
      }
    } else if (positives.length > 0) {
      state.set(id, positives.sort().join(","));
    }
  }
  return state;
}

async function dream(storage: StorageAdapter, model: ConsolidationModel, storeId: string, sessionIds: string[]) {
  const nocturne = createNocturne({ storage, model });
  const created = await nocturne.dreams.create({
    inputs: [
      { type: "memory_store", memory_store_id: storeId },
      { type: "sessions", session_ids: sessionIds },
    ],
  });
  const done = await nocturne.dreams.wait(created.id);
  expect(done.status, JSON.stringify(done.error)).toBe("completed");
  const report = (await nocturne.dreams.report(created.id)) as ConsolidationReport;
  const outputId = done.outputs[0]?.memory_store_id ?? "";
  const memories = await readAllMemories(storage, outputId);
  const lines = memories.flatMap((memory) =>
    memory.content
      .split("\n")
      .filter((line) => line.startsWith("- "))
      .map((line) => line.slice(2)),
  );
  return { outputId, report, lines, contents: memories.map((memory) => [memory.path, memory.content]) };
}

/** Dreams the sessions in the given groups, in the given order, each dream over the previous dream's output. */
async function chained(history: History, groups: string[][]) {
  const storage = createInMemoryAdapter();
  for (const session of sessionsOf(history)) await storage.putSession(session);
  let storeId = (await storage.createMemoryStore({ name: "start" })).id;
  let last: Awaited<ReturnType<typeof dream>> | null = null;
  for (const group of groups) {
    last = await dream(storage, perfectModel(history), storeId, group);
    storeId = last.outputId;
  }
  if (last === null) throw new Error("no dream ran");
  return { storage, last };
}

const RUNS = { numRuns: 40, seed: 20261201 };

describe("resolution properties (fast-check)", () => {
  it("one dream over all sessions states exactly the latest value of every subject", async () => {
    await fc.assert(
      fc.asyncProperty(historyArbitrary, async (history) => {
        const ids = sessionsOf(history).map((session) => session.id);
        const { last } = await chained(history, [ids]);
        expect(statedState(history, last.lines)).toEqual(expectedState(history));
      }),
      RUNS,
    );
  });

  it("splitting the sessions over dreams, fed in any order, gives the same current values", async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArbitrary.chain((history) => {
          const ids = sessionsOf(history).map((session) => session.id);
          return fc
            .tuple(
              fc.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length }),
              fc.array(fc.boolean(), { minLength: ids.length, maxLength: ids.length }),
            )
            .map(([order, cuts]) => {
              const groups: string[][] = [[]];
              for (const [index, id] of order.entries()) {
                if (index > 0 && cuts[index]) groups.push([]);
                groups.at(-1)?.push(id);
              }
              return { history, groups };
            });
        }),
        async ({ history, groups }) => {
          const { last } = await chained(history, groups);
          expect(statedState(history, last.lines)).toEqual(expectedState(history));
        },
      ),
      RUNS,
    );
  });

  it("dreaming an output again (its sessions already folded in) changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(historyArbitrary, async (history) => {
        const ids = sessionsOf(history).map((session) => session.id);
        const { storage, last } = await chained(history, [ids]);
        const again = await dream(storage, perfectModel(history), last.outputId, ids);
        expect(again.report.sessions.every((session) => session.skipped)).toBe(true);
        expect(again.contents).toEqual(last.contents);
      }),
      RUNS,
    );
  });

  it("every input fact and every extracted fact is in the output or accounted for in the report", async () => {
    await fc.assert(
      fc.asyncProperty(historyArbitrary, async (history) => {
        const ids = sessionsOf(history).map((session) => session.id);
        const half = Math.ceil(ids.length / 2);
        const { last } = await chained(
          history,
          [ids.slice(0, half), ids.slice(half)].filter((g) => g.length > 0),
        );
        const report = last.report;
        for (const fact of report.outputs.flatMap((output) => output.facts)) {
          expect(fact.cardinality).toMatch(/^(single|multi)$/);
          expect(fact.polarity).toMatch(/^(positive|negative)$/);
        }
        for (const input of report.inputs) {
          for (const fact of input.facts) {
            if (fact.fate === "dropped") expect(fact.reason).toBeTruthy();
            else if (fact.fate === "superseded") expect(fact.replacedBy).not.toBeNull();
            else expect(fact.into).not.toBeNull();
          }
        }
        const accounted = new Set([
          ...report.outputs.flatMap((output) =>
            output.facts.flatMap((fact) => [
              fact.statement,
              ...fact.merged.map((m) => m.statement),
              ...fact.superseded.map((m) => m.statement),
            ]),
          ),
          ...report.dropped.map((fact) => fact.statement),
        ]);
        const read = new Set(report.sessions.map((session) => session.sessionId));
        for (const [at, observation] of history.observations.entries()) {
          if (!read.has(`sesn_${history.sessionOf[at]}`)) continue;
          const subject = history.subjects[observation.subject] as Subject;
          const text = statementOf(subject, observation.value, observation.polarity);
          expect(accounted.has(text), `"${text}" is neither written nor reported`).toBe(true);
        }
      }),
      RUNS,
    );
  });
});
