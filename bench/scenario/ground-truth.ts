import type { Cardinality, FactKind, Session } from "@nocturne/core";

/** Where a ground-truth statement appears: an event of a session, or a line of an input memory. */
export type SourceRef =
  | { type: "event"; sessionId: string; eventId: string; role: "user" | "agent" | "tool" }
  | { type: "memory"; path: string };

interface ItemBase {
  /** Unique within a scenario. */
  id: string;
  /** The sentence exactly as it appears in the event or memory line. */
  quote: string;
  source: SourceRef;
  /** Position on the timeline: 0 for the input store, increasing through the sessions. */
  order: number;
}

/** A subject stated to hold a value (a first statement, a restatement or a dated change). */
export interface ObservationItem extends ItemBase {
  type: "observation";
  subjectKey: string;
  value: string;
  /** How it was said: introduced, restated in other words, or changed to a new value. */
  act: "introduce" | "restate" | "change" | "store";
}

/** An explicit removal of one member from a `multi` subject's set ("I don't play chess any more"). */
export interface RetractionItem extends ItemBase {
  type: "retraction";
  subjectKey: string;
  value: string;
}

/** A mention of a value the subject held before (not an observation of its current value). */
export interface HistoryItem extends ItemBase {
  type: "history";
  subjectKey: string;
  value: string;
}

/** One-off debugging noise: true when said, worthless as memory. */
export interface NoiseItem extends ItemBase {
  type: "noise";
  key: string;
  statement: string;
  error: string;
  time: string;
}

/** One occurrence of a cross-session pattern. */
export interface OccurrenceItem extends ItemBase {
  type: "occurrence";
  patternKey: string;
  key: string;
  statement: string;
}

/** Anything the ground truth knows a source says. */
export type TruthItem = ObservationItem | RetractionItem | HistoryItem | NoiseItem | OccurrenceItem;

/** One value a subject held, in the order values were first observed. */
export interface TruthValue {
  value: string;
  /** The normalized statement of this value (what a perfect extractor returns). */
  statement: string;
  /** Order of its first observation. */
  firstOrder: number;
}

/** A subject (`projects.atlas-17.deploy_region`, `user.editor`, `user.hobbies`) and its full history. */
export interface TruthSubject {
  key: string;
  topic: string;
  kind: Exclude<FactKind, "insight" | "transient">;
  /** `single`: one current value. `multi`: a set of members, each added or retracted on its own. */
  cardinality: Cardinality;
  /** The entity it is about (project, person, server), or null for the user. */
  entity: string | null;
  attribute: string;
  /** Every value, oldest first; for `single`, the last one observed is `current`. */
  history: TruthValue[];
  /** The latest value observed (for `multi`, the latest member added). */
  current: string;
  /** Order of the latest observation. */
  lastOrder: number;
  /** For `multi`: each member's latest state (observed → present, retracted → absent) and its order. */
  memberStates: Map<string, { order: number; present: boolean }>;
}

/** The current members of a `multi` subject (for `single`, its current value), in first-observed order. */
export function currentValues(subject: TruthSubject): string[] {
  if (subject.cardinality === "single") return subject.current === "" ? [] : [subject.current];
  return subject.history
    .map((entry) => entry.value)
    .filter((value) => subject.memberStates.get(value)?.present === true);
}

/** Members of a `multi` subject whose latest state is a retraction. */
export function retractedValues(subject: TruthSubject): string[] {
  return [...subject.memberStates.entries()].filter(([, state]) => !state.present).map(([value]) => value);
}

/** A pattern that only shows across sessions, and the insight it supports. */
export interface TruthPattern {
  key: string;
  topic: string;
  entity: string;
  patternId: string;
  /** The insight statement a perfect synthesizer proposes. */
  insight: string;
  marker: string;
  occurrenceMarker: string;
  /** Ids of its occurrence items. */
  occurrences: string[];
  /** Distinct sessions it occurs in: an insight is expected only when there are two or more. */
  sessionIds: string[];
}

/** Everything known about a generated scenario. */
export interface GroundTruth {
  subjects: Map<string, TruthSubject>;
  patterns: Map<string, TruthPattern>;
  items: Map<string, TruthItem>;
  /** Items stated in each event (event ids are unique across the scenario). */
  byEvent: Map<string, TruthItem[]>;
  /** Items stated in each input memory, by memory path. */
  byMemoryPath: Map<string, TruthItem[]>;
  /** Every event id of every session, by session id (for evidence validity). */
  eventIds: Map<string, Set<string>>;
}

/** A memory the input store starts with. */
export interface SeedMemory {
  path: string;
  content: string;
}

/** What the generator was asked for. */
export interface ScenarioOptions {
  seed: number | string;
  /** Number of sessions, 1–100. */
  sessions: number;
  /** Approximate transcript size of each session, in tokens (≤100k). */
  tokensPerSession: number;
  /** Memories in the input store (≤10,000). */
  memories: number;
  /** Time of the first session. Sessions must come after the input store is written (memories are dated then). */
  startAt: string;
  /** Durable statements per session (first statements, restatements, changes). Default 12. */
  factsPerSession?: number;
  /** Share of a session's statements that change a known subject's value. Default 0.25. */
  changeRate?: number;
  /** Share that restate a known subject's value in other words. Default 0.3. */
  restateRate?: number;
  /** One-off debugging notes per session. Default 3. */
  noisePerSession?: number;
  /** Chance per session of mentioning a superseded value as history. Default 0.5. */
  historyRate?: number;
  /** Share of store facts written a second time, in other words, in a second memory. Default 0.03. */
  storeDuplicateRate?: number;
  /** Cross-session patterns. Default: one per four sessions. */
  patterns?: number;
  /** Time between sessions. Default one hour. */
  sessionSpacingMs?: number;
  /** Token estimate used to size transcripts. Default: characters / 4. */
  countTokens?: (text: string) => number;
}

/** A generated scenario: the input store's memories, the sessions, and the ground truth behind both. */
export interface Scenario {
  options: ScenarioOptions;
  memories: SeedMemory[];
  sessions: Session[];
  truth: GroundTruth;
  /** Estimated transcript tokens, per the `countTokens` given. */
  transcriptTokens: number;
}
