import type { ExtractedFact, JudgePair, JudgeVerdict, ProposedInsight, SynthesisFact } from "@nocturne/core";
import { createRandom, type Random } from "../lib/random.js";
import { createMatcher } from "../metrics/match.js";
import { attributeById } from "../scenario/attributes.js";
import type { GroundTruth, TruthItem, TruthSubject } from "../scenario/ground-truth.js";
import { PARAPHRASES } from "../scenario/paraphrase-vocabulary.js";
import { type NoiseProfile, PERFECT, paraphraseKey } from "./noise-profile.js";

/** One line of a transcript as the replay model sees it. */
export interface ReplayLine {
  /** The id the model cites for the line: the event id, or the alias a compact prompt shows. */
  eventId: string;
  text: string;
  /**
   * The session the line is from, when the prompt shows aliases instead of event ids: its statements are then
   * recognized by their text among the session's, as a model reading the prompt would.
   */
  sessionId?: string;
}

/** One memory as the replay model sees it. */
export interface ReplayMemory {
  id: string;
  path: string;
  content: string;
}

/**
 * A model that answers from ground truth: it returns the facts the truth says a chunk or memory states, with
 * correct evidence — or, with a noise profile, the same facts with the errors a real model makes (seeded, so the
 * same input always gets the same answer, whatever order calls arrive in).
 */
export interface ReplayCore {
  readonly profile: NoiseProfile;
  /** Facts in transcript lines. `sourceKey` (the chunk key) seeds the noise; `attempt` > 0 is a retry after feedback. */
  extractTranscript(sourceKey: string, lines: readonly ReplayLine[], attempt: number): ExtractedFact[];
  /** Facts in memories; each memory's id is cited as the event id. */
  extractMemories(memories: readonly ReplayMemory[], attempt: number): ExtractedFact[];
  /** Whether each pair is about one subject, per the ground truth. */
  judge(pairs: readonly JudgePair[]): JudgeVerdict[];
  /** An insight for every pattern whose occurrences the facts cite in two or more sessions. */
  synthesize(facts: readonly SynthesisFact[], attempt: number): ProposedInsight[];
}

/** Options of {@link createReplayCore}. */
export interface ReplayCoreOptions {
  /** Default: {@link PERFECT}. */
  profile?: NoiseProfile;
  /** Seeds the noise. Default 0. */
  seed?: number | string;
}

/** Lowercase, NFKC, whitespace collapsed: how the engine compares quotes with event text. */
export function normalizeForQuote(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

function attributeOf(subject: TruthSubject) {
  return attributeById(subject.attribute);
}

interface Located {
  item: TruthItem;
  citeId: string;
}

/** Creates a replay core over a scenario's ground truth. */
export function createReplayCore(truth: GroundTruth, options: ReplayCoreOptions = {}): ReplayCore {
  const profile = options.profile ?? PERFECT;
  const seed = String(options.seed ?? 0);
  const matcher = createMatcher(truth);
  const randomFor = (...parts: string[]): Random => createRandom(`${seed}|${parts.join("|")}`);
  let bySession: Map<string, TruthItem[]> | undefined;
  /** The items a line states: those of its event, or, read by text, those of its session whose quote it holds. */
  const itemsOf = (line: ReplayLine): readonly TruthItem[] => {
    if (line.sessionId === undefined) return truth.byEvent.get(line.eventId) ?? [];
    if (!bySession) {
      bySession = new Map();
      for (const items of truth.byEvent.values()) {
        for (const item of items) {
          if (item.source.type !== "event") continue;
          const list = bySession.get(item.source.sessionId) ?? [];
          list.push(item);
          bySession.set(item.source.sessionId, list);
        }
      }
    }
    return bySession.get(line.sessionId) ?? [];
  };

  const canonical = (subject: TruthSubject, value: string): string =>
    subject.history.find((entry) => entry.value === value)?.statement ??
    attributeOf(subject).canonical(subject.entity ?? "", value);

  const retracted = (subject: TruthSubject, value: string): string => {
    const phrase = attributeOf(subject).retraction?.canonical;
    return phrase ? phrase(subject.entity ?? "", value) : `No longer true: ${canonical(subject, value)}`;
  };

  /** The fact a subject's value gives: its key, kind, cardinality, value and polarity as the truth knows them. */
  const subjectFact = (
    subject: TruthSubject,
    value: string,
    polarity: "positive" | "negative",
    evidence: ExtractedFact["evidence"],
  ): ExtractedFact => ({
    key: subject.key,
    topic: subject.topic,
    statement: polarity === "positive" ? canonical(subject, value) : retracted(subject, value),
    kind: subject.kind,
    cardinality: subject.cardinality,
    value,
    // As the prompt asks: polarity only for a retraction.
    ...(polarity === "negative" ? { polarity } : {}),
    evidence,
  });

  /** The fact a perfect model reads from an item, or null when there is none to read. */
  const baseFact = (located: Located, random: Random): ExtractedFact | null => {
    const { item, citeId } = located;
    const evidence = [{ event_id: citeId, quote: item.quote }];
    switch (item.type) {
      case "observation": {
        const subject = truth.subjects.get(item.subjectKey);
        return subject ? subjectFact(subject, item.value, "positive", evidence) : null;
      }
      case "retraction": {
        const subject = truth.subjects.get(item.subjectKey);
        return subject ? subjectFact(subject, item.value, "negative", evidence) : null;
      }
      case "history": {
        const subject = truth.subjects.get(item.subjectKey);
        if (!subject || !random.chance(profile.historyMisread)) return null;
        return subjectFact(subject, item.value, "positive", evidence);
      }
      case "noise":
        return {
          key: item.key,
          topic: topicOfKey(item.key),
          statement: item.statement,
          kind: "transient",
          cardinality: "multi",
          value: `${item.error} at ${item.time}`,
          evidence,
        };
      case "occurrence": {
        const pattern = truth.patterns.get(item.patternKey);
        return {
          key: item.key,
          topic: pattern?.topic ?? topicOfKey(item.key),
          statement: item.statement,
          kind: "transient",
          cardinality: "multi",
          value: pattern?.occurrenceMarker ?? item.statement.slice(0, 200),
          evidence,
        };
      }
    }
  };

  const reword = (located: Located, fact: ExtractedFact, random: Random): string => {
    const item = located.item;
    if (item.type !== "observation" && item.type !== "history" && item.type !== "retraction") return fact.statement;
    const subject = truth.subjects.get(item.subjectKey);
    if (!subject) return fact.statement;
    const def = attributeOf(subject);
    const wordings = item.type === "retraction" ? (def.retraction?.wordings ?? []) : def.wordings;
    return wordings.length > 0 ? random.pick(wordings)(subject.entity ?? "", item.value) : fact.statement;
  };

  /** An update stated in the paraphrase vocabulary, or null when the attribute has none. */
  const paraphraseUpdate = (located: Located, random: Random): string | null => {
    const item = located.item;
    if (item.type !== "observation" || item.act !== "change") return null;
    const subject = truth.subjects.get(item.subjectKey);
    const phrases = subject ? PARAPHRASES[subject.attribute] : undefined;
    if (!subject || !phrases || phrases.length === 0 || !random.chance(profile.updateParaphrase)) return null;
    return random.pick(phrases)(subject.entity ?? "", item.value);
  };

  const distort = (located: Located[], sourceKey: string, attempt: number): ExtractedFact[] => {
    const out: ExtractedFact[] = [];
    const prepared = located.map((entry) => {
      const random = randomFor(sourceKey, entry.item.id);
      return { entry, random, fact: baseFact(entry, random) };
    });
    for (let index = 0; index < prepared.length; index++) {
      const { entry, random, fact } = prepared[index] as (typeof prepared)[number];
      if (!fact) continue;
      if (random.chance(profile.kindError)) fact.kind = fact.kind === "transient" ? "fact" : "transient";
      if (random.chance(profile.keyParaphrase)) fact.key = paraphraseKey(fact.key, random);
      if (random.chance(profile.statementParaphrase)) fact.statement = reword(entry, fact, random);
      if (profile.updateParaphrase > 0) {
        const paraphrased = paraphraseUpdate(entry, randomFor(sourceKey, entry.item.id, "update"));
        if (paraphrased !== null) fact.statement = paraphrased;
      }
      const badEvidence =
        random.chance(profile.badEvidence) &&
        (attempt === 0 || randomFor(sourceKey, entry.item.id, "evidence", String(attempt)).chance(profile.badEvidence));
      if (badEvidence) {
        const cited = fact.evidence[0];
        if (cited) {
          fact.evidence = random.chance(0.5)
            ? [{ event_id: `${cited.event_id}_missing`, quote: cited.quote }]
            : [{ event_id: cited.event_id, quote: `${cited.quote.slice(0, 40)} as noted earlier` }];
        }
      }
      if (random.chance(profile.split)) {
        out.push(fact, { ...fact, key: paraphraseKey(fact.key, random), statement: reword(entry, fact, random) });
        continue;
      }
      const next = prepared[index + 1];
      if (next?.fact && random.chance(profile.merge)) {
        out.push({
          ...fact,
          statement: `${fact.statement} ${next.fact.statement}`,
          evidence: [...fact.evidence, ...next.fact.evidence],
        });
        index++;
        continue;
      }
      out.push(fact);
    }
    return out;
  };

  /**
   * Reads a memory the generator did not write (a dream's output, say) line by line: each bullet is read as the
   * ground-truth statements it carries, citing the line itself.
   */
  const readWrittenMemory = (memory: ReplayMemory): { located: Located[]; insights: ExtractedFact[] } => {
    const located: Located[] = [];
    const insights: ExtractedFact[] = [];
    for (const [index, raw] of memory.content.split("\n").entries()) {
      const line = raw.replace(/^\s*[-*]\s+/, "").trim();
      if (line === "" || line.startsWith("#")) continue;
      const base = { quote: line, source: { type: "memory" as const, path: memory.path }, order: 0 };
      for (const [n, match] of matcher.classify(line, memory.path).entries()) {
        const id = `${memory.path}#${index}.${n}`;
        if (match.type === "retraction") {
          const item: TruthItem = { ...base, id, type: "retraction", subjectKey: match.subjectKey, value: match.value };
          located.push({ item, citeId: memory.id });
        } else if (match.type === "value" || match.type === "wrong_value") {
          const item: TruthItem = {
            ...base,
            id,
            type: "observation",
            subjectKey: match.subjectKey,
            value: match.value,
            act: "store",
          };
          located.push({ item, citeId: memory.id });
        } else if (match.type === "noise") {
          const noise = truth.items.get(match.noiseId);
          if (noise?.type === "noise") located.push({ item: { ...noise, ...base, id }, citeId: memory.id });
        } else if (match.type === "occurrence") {
          const item: TruthItem = {
            ...base,
            id,
            type: "occurrence",
            patternKey: match.patternKey,
            key: `${match.patternKey}.${id}`,
            statement: line,
          };
          located.push({ item, citeId: memory.id });
        } else {
          const pattern = truth.patterns.get(match.patternKey);
          if (!pattern) continue;
          insights.push({
            key: `insights.${pattern.patternId}.${pattern.entity.toLowerCase()}`,
            topic: "insights",
            statement: line,
            kind: "insight",
            cardinality: "multi",
            value: pattern.marker,
            evidence: [{ event_id: memory.id, quote: line }],
          });
        }
      }
    }
    return { located, insights };
  };

  return {
    profile,
    extractTranscript(sourceKey, lines, attempt) {
      const located: Located[] = [];
      const seen = new Set<string>();
      for (const line of lines) {
        const text = normalizeForQuote(line.text);
        for (const item of itemsOf(line)) {
          if (seen.has(item.id) || !text.includes(normalizeForQuote(item.quote))) continue;
          seen.add(item.id);
          located.push({ item, citeId: line.eventId });
        }
      }
      return distort(located, sourceKey, attempt);
    },
    extractMemories(memories, attempt) {
      const out: ExtractedFact[] = [];
      for (const memory of memories) {
        const seeded = truth.byMemoryPath.get(memory.path);
        if (!seeded) {
          const read = readWrittenMemory(memory);
          out.push(...read.insights, ...distort(read.located, memory.path, attempt));
          continue;
        }
        const text = normalizeForQuote(memory.content);
        const located = seeded
          .filter((item) => text.includes(normalizeForQuote(item.quote)))
          .map((item) => ({ item, citeId: memory.id }));
        out.push(...distort(located, memory.path, attempt));
      }
      return out;
    },
    judge(pairs) {
      return pairs.map((pair) => {
        const left = identities(matcher, truth, pair.left.statements, pair.left.key);
        const right = identities(matcher, truth, pair.right.statements, pair.right.key);
        let same = [...left].some((identity) => right.has(identity));
        if (randomFor("judge", pair.left.key, pair.right.key).chance(profile.judgeError)) same = !same;
        if (!same && profile.judgeFalseSame > 0) {
          same = randomFor("judge-eager", pair.left.key, pair.right.key).chance(profile.judgeFalseSame);
        }
        return { id: pair.id, same };
      });
    },
    synthesize(facts, attempt) {
      const byPattern = new Map<string, Map<string, string>>();
      for (const fact of facts) {
        for (const cited of fact.evidence) {
          for (const item of truth.byEvent.get(cited.event_id) ?? []) {
            if (
              item.type !== "occurrence" ||
              item.source.type !== "event" ||
              item.source.sessionId !== cited.session_id
            ) {
              continue;
            }
            const sessions = byPattern.get(item.patternKey) ?? new Map<string, string>();
            if (!sessions.has(cited.session_id)) sessions.set(cited.session_id, cited.event_id);
            byPattern.set(item.patternKey, sessions);
          }
        }
      }
      const insights: ProposedInsight[] = [];
      for (const [key, sessions] of [...byPattern.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const pattern = truth.patterns.get(key);
        if (!pattern || sessions.size < 2) continue;
        insights.push({
          key: `insights.${pattern.patternId}.${pattern.entity.toLowerCase()}`,
          topic: "insights",
          statement: pattern.insight,
          evidence: [...sessions.entries()].map(([session_id, event_id]) => ({ session_id, event_id })),
        });
      }
      const random = randomFor("synthesize", String(facts.length));
      const lonely = facts.find((fact) => fact.kind !== "transient" && fact.evidence.length > 0);
      const first = lonely?.evidence[0];
      if (attempt === 0 && lonely && first && random.chance(profile.unsupportedInsight)) {
        insights.push({
          key: `insights.recurring.${lonely.key}`,
          topic: "insights",
          statement: `This keeps coming up: ${lonely.statement}`,
          evidence: [first, first],
        });
      }
      return insights;
    },
  };
}

function topicOfKey(key: string): string {
  const parts = key.split(".");
  return parts[0] === "projects" && parts[1] ? `projects/${parts[1]}` : "general";
}

/**
 * What a group of statements is about: its subjects — for a `multi` subject, the subject and the member, since two
 * members of one set are two facts that one memory entry must not merge.
 */
function identities(
  matcher: ReturnType<typeof createMatcher>,
  truth: GroundTruth,
  statements: readonly string[],
  key: string,
): Set<string> {
  const out = new Set<string>();
  for (const statement of statements) {
    for (const match of matcher.classify(statement, key)) {
      if (match.type === "value" || match.type === "wrong_value" || match.type === "retraction") {
        const multi = truth.subjects.get(match.subjectKey)?.cardinality === "multi";
        out.add(multi ? `s:${match.subjectKey}=${match.value}` : `s:${match.subjectKey}`);
      } else if (match.type === "noise") out.add(`n:${match.noiseId}`);
      else out.add(`p:${match.patternKey}`);
    }
  }
  return out;
}
