import type { Session, SessionEvent } from "@nocturne/core";
import { createRandom, type Random } from "../lib/random.js";
import { type EventClock, fillerBlock, fillerSentence } from "./filler.js";
import type {
  GroundTruth,
  ObservationItem,
  Scenario,
  ScenarioOptions,
  SeedMemory,
  SourceRef,
  TruthItem,
  TruthPattern,
  TruthSubject,
} from "./ground-truth.js";
import {
  type AttributeDef,
  CODENAMES,
  NOISE_ERRORS,
  NOISE_TEMPLATES,
  PATTERNS,
  PROJECT_ATTRIBUTES,
  USER_ATTRIBUTES,
} from "./vocabulary.js";

/** Most sessions, memories and tokens per session the generator produces. */
export const SCENARIO_LIMITS = { sessions: 100, memories: 10_000, tokensPerSession: 100_000 } as const;

const DAY_MS = 86_400_000;

/** A default token estimate: about four characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** A project's slug, as used in keys and paths: `Atlas-17` → `atlas-17`. */
export function slugOf(entity: string): string {
  return entity.toLowerCase();
}

/** The subject key of an attribute of a project, or of the user when `entity` is null. */
export function subjectKeyOf(entity: string | null, attribute: string): string {
  return entity === null ? `user.${attribute}` : `projects.${slugOf(entity)}.${attribute}`;
}

function topicOf(entity: string | null, attribute: AttributeDef): string {
  if (entity !== null) return `projects/${slugOf(entity)}`;
  return attribute.kind === "preference" ? "preferences" : "profile";
}

function attributeOf(subject: TruthSubject): AttributeDef {
  const list = subject.entity === null ? USER_ATTRIBUTES : PROJECT_ATTRIBUTES;
  const found = list.find((attribute) => attribute.id === subject.attribute);
  if (!found) throw new Error(`unknown attribute ${subject.attribute}`);
  return found;
}

function label(subject: TruthSubject): string {
  return subject.entity ?? "";
}

/** A sentence placed in a session, with what it states. */
interface Statement {
  sentence: string;
  role: "user" | "agent";
  record: (source: SourceRef, order: number) => TruthItem;
}

/** Builds the scenario's ground truth as the timeline unfolds. */
class TruthBuilder {
  readonly truth: GroundTruth = {
    subjects: new Map(),
    patterns: new Map(),
    items: new Map(),
    byEvent: new Map(),
    byMemoryPath: new Map(),
    eventIds: new Map(),
  };
  private counter = 0;

  nextItemId(prefix: string): string {
    this.counter++;
    return `${prefix}_${this.counter}`;
  }

  subject(entity: string | null, attribute: AttributeDef): TruthSubject {
    const key = subjectKeyOf(entity, attribute.id);
    let subject = this.truth.subjects.get(key);
    if (!subject) {
      subject = {
        key,
        topic: topicOf(entity, attribute),
        kind: attribute.kind,
        entity,
        attribute: attribute.id,
        history: [],
        current: "",
        lastOrder: -1,
      };
      this.truth.subjects.set(key, subject);
    }
    return subject;
  }

  /** Records that `subject` was observed holding `value` at `order`. */
  observe(subject: TruthSubject, value: string, order: number): void {
    if (!subject.history.some((entry) => entry.value === value)) {
      subject.history.push({
        value,
        statement: attributeOf(subject).canonical(label(subject), value),
        firstOrder: order,
      });
    }
    if (order >= subject.lastOrder) {
      subject.current = value;
      subject.lastOrder = order;
    }
  }

  add(item: TruthItem): TruthItem {
    this.truth.items.set(item.id, item);
    if (item.source.type === "event") push(this.truth.byEvent, item.source.eventId, item);
    else push(this.truth.byMemoryPath, item.source.path, item);
    if (item.type === "observation") {
      const subject = this.truth.subjects.get(item.subjectKey);
      if (subject) this.observe(subject, item.value, item.order);
    }
    if (item.type === "occurrence") {
      const pattern = this.truth.patterns.get(item.patternKey);
      if (pattern) {
        pattern.occurrences.push(item.id);
        if (item.source.type === "event" && !pattern.sessionIds.includes(item.source.sessionId)) {
          pattern.sessionIds.push(item.source.sessionId);
        }
      }
    }
    return item;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
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

function observation(
  builder: TruthBuilder,
  subject: TruthSubject,
  value: string,
  act: ObservationItem["act"],
  sentence: string,
  role: "user" | "agent",
): Statement {
  return {
    sentence,
    role,
    record: (source, order) => ({
      id: builder.nextItemId("obs"),
      type: "observation",
      subjectKey: subject.key,
      value,
      act,
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

function buildSession(
  random: Random,
  builder: TruthBuilder,
  meta: { id: string; index: number; createdAt: number; title: string },
  statements: Statement[],
  tokensPerSession: number,
  count: (text: string) => number,
): { session: Session; tokens: number } {
  let eventNumber = 0;
  let at = meta.createdAt;
  const tag = String(meta.index + 1).padStart(3, "0");
  const clock: EventClock = {
    nextId: () => `sevt_${tag}_${String(++eventNumber).padStart(5, "0")}`,
    nextAt: () => {
      at += 2000;
      return new Date(at).toISOString();
    },
  };
  const ids = new Set<string>();
  builder.truth.eventIds.set(meta.id, ids);

  const factMessages: Array<Statement[]> = [];
  for (let i = 0; i < statements.length; i++) {
    const first = statements[i] as Statement;
    const next = statements[i + 1];
    if (next && next.role === first.role && random.chance(0.3)) {
      factMessages.push([first, next]);
      i++;
    } else factMessages.push([first]);
  }

  const events: SessionEvent[] = [];
  let tokens = 0;
  const estimatedFillerBlocks = Math.max(0, Math.ceil(tokensPerSession / 600));
  const slots = factMessages.map(() => random.int(0, estimatedFillerBlocks));
  slots.sort((a, b) => a - b);
  let slot = 0;
  let block = 0;
  const placeFacts = (upTo: number) => {
    while (slot < factMessages.length && (slots[slot] as number) <= upTo) {
      const group = factMessages[slot] as Statement[];
      const role = (group[0] as Statement).role;
      const prefix = random.chance(0.5) ? `${fillerSentence(random)} ` : "";
      const text = `${prefix}${group.map((statement) => statement.sentence).join(" ")}`;
      const id = clock.nextId();
      const order = (meta.index + 1) * 1_000_000 + eventNumber;
      events.push({
        id,
        type: role === "user" ? "user.message" : "agent.message",
        processed_at: clock.nextAt(),
        content: [{ type: "text", text }],
      });
      tokens += count(text);
      for (const statement of group)
        builder.add(statement.record({ type: "event", sessionId: meta.id, eventId: id, role }, order));
      slot++;
    }
  };
  while (tokens < tokensPerSession || slot < factMessages.length) {
    placeFacts(block);
    if (tokens >= tokensPerSession) {
      placeFacts(Number.POSITIVE_INFINITY);
      break;
    }
    const filler = fillerBlock(random, clock);
    events.push(...filler.events);
    tokens += count(filler.text);
    block++;
  }
  for (const event of events) ids.add(event.id);
  return {
    session: {
      id: meta.id,
      title: meta.title,
      created_at: new Date(meta.createdAt).toISOString(),
      metadata: {},
      events,
    },
    tokens,
  };
}
