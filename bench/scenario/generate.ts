import type { Session } from "@nocturne/core";
import { createRandom, type Random } from "../lib/random.js";
import { slugOf, subjectKeyOf } from "./attributes.js";
import type { Scenario, ScenarioOptions, SeedMemory, TruthPattern, TruthSubject } from "./ground-truth.js";
import { buildSession } from "./session-builder.js";
import { attributeOfSubject, observation, push, type Statement, TruthBuilder } from "./truth-builder.js";
import {
  type AttributeDef,
  CODENAMES,
  NOISE_ERRORS,
  NOISE_TEMPLATES,
  PATTERNS,
  PROJECT_ATTRIBUTES,
  USER_ATTRIBUTES,
} from "./vocabulary.js";

/** Most sessions, memories (as many as a dream reads by default) and tokens per session the generator produces. */
export const SCENARIO_LIMITS = { sessions: 100, memories: 20_000, tokensPerSession: 100_000 } as const;

const DAY_MS = 86_400_000;

/** A default token estimate: about four characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export { slugOf, subjectKeyOf } from "./attributes.js";

function attributeOf(subject: TruthSubject): AttributeDef {
  return attributeOfSubject(subject);
}

function label(subject: TruthSubject): string {
  return subject.entity ?? "";
}

/** Hands out unique project names. */
class EntityPool {
  private readonly used = new Set<string>();
  constructor(private readonly random: Random) {}

  next(): string {
    for (;;) {
      const name = `${this.random.pick(CODENAMES)}-${this.random.int(1, 999)}`;
      if (!this.used.has(name)) {
        this.used.add(name);
        return name;
      }
    }
  }
}

/**
 * Generates a scenario: an input store and `sessions` transcripts from a known timeline of facts, with the ground
 * truth behind them. Deterministic: the same options always give the same scenario.
 */
export function generateScenario(options: ScenarioOptions): Scenario {
  if (options.sessions < 1 || options.sessions > SCENARIO_LIMITS.sessions) {
    throw new RangeError(`sessions must be 1–${SCENARIO_LIMITS.sessions}`);
  }
  if (options.memories < 0 || options.memories > SCENARIO_LIMITS.memories) {
    throw new RangeError(`memories must be 0–${SCENARIO_LIMITS.memories}`);
  }
  if (options.tokensPerSession < 0 || options.tokensPerSession > SCENARIO_LIMITS.tokensPerSession) {
    throw new RangeError(`tokensPerSession must be 0–${SCENARIO_LIMITS.tokensPerSession}`);
  }
  const random = createRandom(options.seed);
  const builder = new TruthBuilder();
  const entities = new EntityPool(random.fork("entities"));
  const entityAttributes = new Map<string, Set<string>>();
  const memories = generateStore(options, random.fork("store"), builder, entities, entityAttributes);
  const count = options.countTokens ?? estimateTokens;
  const sessions = generateSessions(options, random.fork("sessions"), builder, entities, entityAttributes, count);
  let transcriptTokens = 0;
  for (const session of sessions.sessions) transcriptTokens += sessions.tokens.get(session.id) ?? 0;
  return { options, memories, sessions: sessions.sessions, truth: builder.truth, transcriptTokens };
}

function generateStore(
  options: ScenarioOptions,
  random: Random,
  builder: TruthBuilder,
  entities: EntityPool,
  entityAttributes: Map<string, Set<string>>,
): SeedMemory[] {
  const memories: SeedMemory[] = [];
  const duplicateRate = options.storeDuplicateRate ?? 0.03;
  const addMemory = (path: string, lines: Array<{ subject: TruthSubject; value: string; quote: string }>) => {
    memories.push({ path, content: `${lines.map((line) => `- ${line.quote}`).join("\n")}\n` });
    for (const line of lines) {
      builder.add({
        id: builder.nextItemId("mem"),
        type: "observation",
        subjectKey: line.subject.key,
        value: line.value,
        act: "store",
        quote: line.quote,
        source: { type: "memory", path },
        order: 0,
      });
    }
  };
  for (const attribute of random.shuffle(USER_ATTRIBUTES).slice(0, 3)) {
    if (memories.length >= options.memories) break;
    const subject = builder.subject(null, attribute);
    const value = random.pick(attribute.values);
    addMemory(`/preferences/${attribute.id}.md`, [{ subject, value, quote: attribute.canonical("", value) }]);
  }
  while (memories.length < options.memories) {
    const entity = entities.next();
    const attributes = random.shuffle(PROJECT_ATTRIBUTES).slice(0, random.int(2, 5));
    entityAttributes.set(entity, new Set(attributes.map((attribute) => attribute.id)));
    for (let i = 0; i < attributes.length && memories.length < options.memories; i++) {
      const attribute = attributes[i] as AttributeDef;
      const lines = [attribute];
      const second = attributes[i + 1];
      if (second && random.chance(0.25)) {
        lines.push(second);
        i++;
      }
      const facts = lines.map((def) => {
        const subject = builder.subject(entity, def);
        const value = random.pick(def.values);
        return { subject, value, quote: def.canonical(entity, value) };
      });
      addMemory(`/projects/${slugOf(entity)}/${attribute.id}.md`, facts);
      for (const fact of facts) {
        if (memories.length >= options.memories || !random.chance(duplicateRate)) continue;
        const def = attributeOf(fact.subject);
        const quote = random.pick(def.wordings)(entity, fact.value);
        addMemory(`/notes/${slugOf(entity)}-${def.id}.md`, [{ subject: fact.subject, value: fact.value, quote }]);
      }
    }
  }
  return memories;
}

interface PlannedOccurrence {
  pattern: TruthPattern;
  occurrence: (date: string) => string;
}

function planPatterns(
  options: ScenarioOptions,
  random: Random,
  builder: TruthBuilder,
  entities: EntityPool,
  sessionIds: string[],
): Map<number, PlannedOccurrence[]> {
  const plan = new Map<number, PlannedOccurrence[]>();
  const count = options.patterns ?? Math.floor(options.sessions / 4);
  for (let p = 0; p < count; p++) {
    const def = random.pick(PATTERNS);
    const entity = entities.next();
    const key = `projects.${slugOf(entity)}.patterns.${def.id}`;
    const pattern: TruthPattern = {
      key,
      topic: `projects/${slugOf(entity)}`,
      entity,
      patternId: def.id,
      insight: def.insight(entity),
      marker: def.marker,
      occurrenceMarker: def.occurrenceMarker,
      occurrences: [],
      sessionIds: [],
    };
    builder.truth.patterns.set(key, pattern);
    const lone = options.sessions < 2 || random.chance(0.25);
    const wanted = lone ? 1 : Math.min(options.sessions, random.int(2, 3));
    const chosen = random.shuffle(sessionIds.map((_, index) => index)).slice(0, wanted);
    for (const index of chosen) push(plan, index, { pattern, occurrence: (date) => def.occurrence(entity, date) });
  }
  return plan;
}

function generateSessions(
  options: ScenarioOptions,
  random: Random,
  builder: TruthBuilder,
  entities: EntityPool,
  entityAttributes: Map<string, Set<string>>,
  count: (text: string) => number,
): { sessions: Session[]; tokens: Map<string, number> } {
  const start = Date.parse(options.startAt);
  if (Number.isNaN(start)) throw new RangeError(`startAt is not a timestamp: ${options.startAt}`);
  const spacing = options.sessionSpacingMs ?? 3_600_000;
  const seedTag =
    String(options.seed)
      .replace(/[^a-z0-9]/gi, "")
      .slice(0, 12) || "0";
  const sessionIds = Array.from(
    { length: options.sessions },
    (_, i) => `sesn_bench${seedTag}_${String(i + 1).padStart(3, "0")}`,
  );
  const patternPlan = planPatterns(options, random.fork("patterns"), builder, entities, sessionIds);
  const sessionEntities: string[] = [];
  const usedNoise = new Set<string>();
  const sessions: Session[] = [];
  const tokens = new Map<string, number>();

  for (let s = 0; s < options.sessions; s++) {
    const sessionRandom = random.fork(`session-${s}`);
    const sessionId = sessionIds[s] as string;
    const createdAt = start + s * spacing;
    const date = new Date(Math.floor(createdAt / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
    const statements = planStatements(
      options,
      sessionRandom.fork("facts"),
      builder,
      entities,
      entityAttributes,
      sessionEntities,
      date,
    );
    for (const planned of patternPlan.get(s) ?? []) {
      const sentence = planned.occurrence(date);
      statements.push({
        sentence,
        role: "user",
        record: (source, order) => ({
          id: builder.nextItemId("occ"),
          type: "occurrence",
          patternKey: planned.pattern.key,
          key: `${planned.pattern.key}.${date}.${s}`,
          statement: sentence,
          quote: sentence,
          source,
          order,
        }),
      });
    }
    const noiseRandom = sessionRandom.fork("noise");
    for (let n = 0; n < (options.noisePerSession ?? 3); n++) {
      statements.push(planNoise(noiseRandom, builder, entities, sessionEntities, usedNoise));
    }
    const built = buildSession(
      sessionRandom.fork("events"),
      builder,
      { id: sessionId, index: s, createdAt, title: `Session ${s + 1} (${date})` },
      sessionRandom.shuffle(statements),
      options.tokensPerSession,
      count,
    );
    sessions.push(built.session);
    tokens.set(sessionId, built.tokens);
  }
  return { sessions, tokens };
}

function planNoise(
  random: Random,
  builder: TruthBuilder,
  entities: EntityPool,
  sessionEntities: string[],
  used: Set<string>,
): Statement {
  const entity = sessionEntities.length > 0 && random.chance(0.7) ? random.pick(sessionEntities) : entities.next();
  let error = "";
  let time = "";
  do {
    error = random.pick(NOISE_ERRORS);
    time = `${String(random.int(0, 23)).padStart(2, "0")}:${String(random.int(0, 59)).padStart(2, "0")}`;
  } while (used.has(`${error} ${time}`));
  used.add(`${error} ${time}`);
  const sentence = random.pick(NOISE_TEMPLATES)(entity, error, time);
  return {
    sentence,
    role: random.chance(0.7) ? "user" : "agent",
    record: (source, order) => ({
      id: builder.nextItemId("noise"),
      type: "noise",
      key: `projects.${slugOf(entity)}.debug.${error.toLowerCase()}`,
      statement: sentence,
      error,
      time,
      quote: sentence,
      source,
      order,
    }),
  };
}

function planStatements(
  options: ScenarioOptions,
  random: Random,
  builder: TruthBuilder,
  entities: EntityPool,
  entityAttributes: Map<string, Set<string>>,
  sessionEntities: string[],
  date: string,
): Statement[] {
  const statements: Statement[] = [];
  const touched = new Set<string>();
  const known = [...builder.truth.subjects.values()].filter((subject) => subject.history.length > 0);
  const changeRate = options.changeRate ?? 0.25;
  const restateRate = options.restateRate ?? 0.3;
  const wanted = Math.max(1, Math.round((options.factsPerSession ?? 12) * (0.7 + random.next() * 0.6)));

  const pickKnown = (filter: (subject: TruthSubject) => boolean): TruthSubject | undefined => {
    for (let attempt = 0; attempt < 20 && known.length > 0; attempt++) {
      const subject = random.pick(known);
      if (!touched.has(subject.key) && filter(subject)) return subject;
    }
    return undefined;
  };

  for (let n = 0; n < wanted; n++) {
    const roll = random.next();
    if (roll < changeRate) {
      const subject = pickKnown((candidate) => attributeOf(candidate).values.length > 1);
      if (subject) {
        touched.add(subject.key);
        const def = attributeOf(subject);
        const value = random.pick(def.values.filter((candidate) => candidate !== subject.current));
        statements.push(
          observation(builder, subject, value, "change", random.pick(def.changes)(label(subject), value, date), "user"),
        );
        continue;
      }
    } else if (roll < changeRate + restateRate) {
      const subject = pickKnown(() => true);
      if (subject) {
        touched.add(subject.key);
        const def = attributeOf(subject);
        const sentence = random.pick(def.wordings)(label(subject), subject.current);
        const role = random.chance(0.3) ? "agent" : "user";
        statements.push(observation(builder, subject, subject.current, "restate", sentence, role));
        continue;
      }
    }
    const fresh = introduce(random, builder, entities, entityAttributes, sessionEntities);
    if (!fresh || touched.has(fresh.subject.key)) continue;
    touched.add(fresh.subject.key);
    const def = attributeOf(fresh.subject);
    const value = random.pick(def.values);
    const sentence = random.pick(def.wordings)(label(fresh.subject), value);
    statements.push(observation(builder, fresh.subject, value, "introduce", sentence, "user"));
  }

  if (random.chance(options.historyRate ?? 0.5)) {
    const changed = known.filter((subject) => subject.history.length > 1 && !touched.has(subject.key));
    if (changed.length > 0) {
      const subject = random.pick(changed);
      const old = random.pick(subject.history.filter((entry) => entry.value !== subject.current));
      if (old) {
        const sentence = attributeOf(subject).history(label(subject), old.value);
        statements.push({
          sentence,
          role: "user",
          record: (source, order) => ({
            id: builder.nextItemId("hist"),
            type: "history",
            subjectKey: subject.key,
            value: old.value,
            quote: sentence,
            source,
            order,
          }),
        });
      }
    }
  }
  return statements;
}

function introduce(
  random: Random,
  builder: TruthBuilder,
  entities: EntityPool,
  entityAttributes: Map<string, Set<string>>,
  sessionEntities: string[],
): { subject: TruthSubject } | undefined {
  const unsetUser = USER_ATTRIBUTES.filter(
    (attribute) => !builder.truth.subjects.get(subjectKeyOf(null, attribute.id)),
  );
  if (unsetUser.length > 0 && random.chance(0.15)) {
    return { subject: builder.subject(null, random.pick(unsetUser)) };
  }
  const roll = random.next();
  let entity: string;
  if (roll < 0.5 && sessionEntities.length > 0) entity = random.pick(sessionEntities);
  else if (roll < 0.7 && entityAttributes.size > 0) entity = random.pick([...entityAttributes.keys()]);
  else {
    entity = entities.next();
    sessionEntities.push(entity);
    entityAttributes.set(entity, new Set());
  }
  const taken = entityAttributes.get(entity) ?? new Set<string>();
  const free = PROJECT_ATTRIBUTES.filter((attribute) => !taken.has(attribute.id));
  if (free.length === 0) return undefined;
  const attribute = random.pick(free);
  taken.add(attribute.id);
  entityAttributes.set(entity, taken);
  return { subject: builder.subject(entity, attribute) };
}
