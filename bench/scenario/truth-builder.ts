import { attributeById, subjectKeyOf, topicOf } from "./attributes.js";
import type { GroundTruth, ObservationItem, SourceRef, TruthItem, TruthSubject } from "./ground-truth.js";
import type { AttributeDef } from "./vocabulary.js";

/** A sentence placed in a session, with what it states. */
export interface Statement {
  sentence: string;
  role: "user" | "agent";
  record: (source: SourceRef, order: number) => TruthItem;
}

/** Appends to the list under `key`, creating it. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The attribute a subject is an instance of. */
export function attributeOfSubject(subject: TruthSubject): AttributeDef {
  return attributeById(subject.attribute);
}

/** Builds a scenario's ground truth as the timeline unfolds. */
export class TruthBuilder {
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

  /** The subject of `attribute` for `entity` (null: the user), created on first use. */
  subject(entity: string | null, attribute: AttributeDef): TruthSubject {
    const key = subjectKeyOf(entity, attribute.id);
    let subject = this.truth.subjects.get(key);
    if (!subject) {
      subject = {
        key,
        topic: topicOf(entity, attribute),
        kind: attribute.kind,
        cardinality: attribute.cardinality,
        entity,
        attribute: attribute.id,
        history: [],
        current: "",
        lastOrder: -1,
        memberStates: new Map(),
      };
      this.truth.subjects.set(key, subject);
    }
    return subject;
  }

  /** Records that `subject` was observed holding `value` (or, `present` false, retracting it) at `order`. */
  observe(subject: TruthSubject, value: string, order: number, present = true): void {
    if (present && !subject.history.some((entry) => entry.value === value)) {
      subject.history.push({
        value,
        statement: attributeOfSubject(subject).canonical(subject.entity ?? "", value),
        firstOrder: order,
      });
    }
    if (subject.cardinality === "multi") {
      const state = subject.memberStates.get(value);
      if (!state || order >= state.order) subject.memberStates.set(value, { order, present });
    }
    if (present && order >= subject.lastOrder) {
      subject.current = value;
      subject.lastOrder = order;
    }
  }

  add(item: TruthItem): TruthItem {
    this.truth.items.set(item.id, item);
    if (item.source.type === "event") push(this.truth.byEvent, item.source.eventId, item);
    else push(this.truth.byMemoryPath, item.source.path, item);
    if (item.type === "observation" || item.type === "retraction") {
      const subject = this.truth.subjects.get(item.subjectKey);
      if (subject) this.observe(subject, item.value, item.order, item.type === "observation");
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

/** A statement that `subject` holds `value`. */
export function observation(
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

/** A statement that `value` is no longer a member of the `multi` subject. */
export function retraction(builder: TruthBuilder, subject: TruthSubject, value: string, sentence: string): Statement {
  return {
    sentence,
    role: "user",
    record: (source, order) => ({
      id: builder.nextItemId("ret"),
      type: "retraction",
      subjectKey: subject.key,
      value,
      quote: sentence,
      source,
      order,
    }),
  };
}
