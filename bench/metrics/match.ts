import { anchorOf, attributeById } from "../scenario/attributes.js";
import { RETRACTION_CUES } from "../scenario/family-vocabulary.js";
import type { GroundTruth, NoiseItem, TruthPattern, TruthSubject } from "../scenario/ground-truth.js";
import { NOISE_ERRORS } from "../scenario/vocabulary.js";

/** What a statement says, according to the ground truth. A statement may say several things. */
export type StatementMatch =
  | { type: "value"; subjectKey: string; value: string }
  /** A value the subject never held: invented. */
  | { type: "wrong_value"; subjectKey: string; value: string }
  /** A `multi` subject's member stated as removed ("no longer plays chess"): not a claim that it is current. */
  | { type: "retraction"; subjectKey: string; value: string }
  | { type: "noise"; noiseId: string }
  | { type: "occurrence"; patternKey: string }
  | { type: "insight"; patternKey: string };

const cache = new Map<string, RegExp>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** True when `marker` occurs in `text` as a whole phrase (not inside a longer word), ignoring case. */
export function containsMarker(text: string, marker: string): boolean {
  let pattern = cache.get(marker);
  if (!pattern) {
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(marker)}(?![\\p{L}\\p{N}])`, "iu");
    cache.set(marker, pattern);
  }
  return pattern.test(text.normalize("NFC"));
}

const ENTITY_PATTERN = /(?<![\p{L}\p{N}])([A-Za-z]+-\d+)(?![\p{L}\p{N}])/gu;

/** True when the text carries one of the phrases that retract a set member. */
export function hasRetractionCue(text: string): boolean {
  return RETRACTION_CUES.some((cue) => containsMarker(text, cue));
}

/** Classifies statements against a scenario's ground truth by the markers they carry (project, value, phrase). */
export interface Matcher {
  /**
   * What a statement says. `context` (a memory path or a subject key) names the entity for a sentence that names
   * none itself, as the second clause of "Orchid-12 unit tests run with Jest; integration tests need LocalStack".
   */
  classify(statement: string, context?: string): StatementMatch[];
}

/** Builds a matcher over a ground truth. */
export function createMatcher(truth: GroundTruth): Matcher {
  const subjectsByEntity = new Map<string, TruthSubject[]>();
  const userSubjects: TruthSubject[] = [];
  const phraseSubjects: Array<{ anchor: string; subject: TruthSubject }> = [];
  for (const subject of truth.subjects.values()) {
    const anchor = anchorOf(subject.entity, attributeById(subject.attribute));
    if (anchor === null) userSubjects.push(subject);
    else if (new RegExp(`^${ENTITY_PATTERN.source}$`, "u").test(anchor)) {
      push(subjectsByEntity, anchor.toLowerCase(), subject);
    } else phraseSubjects.push({ anchor, subject });
  }
  const patternsByEntity = new Map<string, TruthPattern[]>();
  for (const pattern of truth.patterns.values()) push(patternsByEntity, pattern.entity.toLowerCase(), pattern);
  const noiseByError = new Map<string, NoiseItem[]>();
  for (const item of truth.items.values()) if (item.type === "noise") push(noiseByError, item.error, item);

  const matchSubject = (subject: TruthSubject, statement: string, out: StatementMatch[]) => {
    let retracting: boolean | undefined;
    for (const value of attributeById(subject.attribute).values) {
      if (value === subject.entity || !containsMarker(statement, value)) continue;
      if (subject.cardinality === "multi") {
        retracting ??= hasRetractionCue(statement);
        if (retracting) {
          out.push({ type: "retraction", subjectKey: subject.key, value });
          continue;
        }
      }
      const held = subject.history.some((entry) => entry.value === value);
      out.push({ type: held ? "value" : "wrong_value", subjectKey: subject.key, value });
    }
  };
  const entitiesIn = (text: string): Set<string> => {
    const entities = new Set<string>();
    for (const found of text.normalize("NFC").matchAll(ENTITY_PATTERN)) {
      entities.add((found[1] as string).toLowerCase());
    }
    return entities;
  };

  const classifySentence = (statement: string, context: string | undefined): StatementMatch[] => {
    const out: StatementMatch[] = [];
    for (const error of NOISE_ERRORS) {
      if (!containsMarker(statement, error)) continue;
      for (const item of noiseByError.get(error) ?? []) {
        if (containsMarker(statement, item.time)) out.push({ type: "noise", noiseId: item.id });
      }
    }
    if (out.length > 0) return out;
    let entities = entitiesIn(statement);
    if (entities.size === 0 && context !== undefined) entities = entitiesIn(context);
    for (const entity of entities) {
      for (const pattern of patternsByEntity.get(entity) ?? []) {
        if (containsMarker(statement, pattern.marker)) out.push({ type: "insight", patternKey: pattern.key });
        else if (containsMarker(statement, pattern.occurrenceMarker)) {
          out.push({ type: "occurrence", patternKey: pattern.key });
        }
      }
      for (const subject of subjectsByEntity.get(entity) ?? []) matchSubject(subject, statement, out);
    }
    for (const { anchor, subject } of phraseSubjects) {
      if (containsMarker(statement, anchor)) matchSubject(subject, statement, out);
    }
    for (const subject of userSubjects) matchSubject(subject, statement, out);
    return out;
  };

  return {
    classify(statement, context) {
      const seen = new Set<string>();
      const out: StatementMatch[] = [];
      for (const sentence of sentencesOf(statement)) {
        for (const match of classifySentence(sentence, context)) {
          const id = JSON.stringify(match);
          if (seen.has(id)) continue;
          seen.add(id);
          out.push(match);
        }
      }
      return out;
    },
  };
}

/**
 * Splits text into sentences (after `.`, `!`, `?` or `;` followed by white space), so that a statement merging two
 * facts is read as two: a value in one sentence is never credited to a project named in another.
 */
export function sentencesOf(text: string): string[] {
  return text.split(/(?<=[.!?;])\s+/u).filter((sentence) => sentence.trim() !== "");
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
