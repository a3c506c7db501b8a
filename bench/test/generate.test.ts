import { memoryPathProblem, Session } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { createMatcher } from "../metrics/match.js";
import { generateScenario } from "../scenario/generate.js";
import type { Scenario, TruthItem } from "../scenario/ground-truth.js";
import { PROJECT_ATTRIBUTES, USER_ATTRIBUTES } from "../scenario/vocabulary.js";

const START = "2099-01-05T09:00:00.000Z";
const options = { seed: 7, sessions: 12, tokensPerSession: 4000, memories: 400, startAt: START };

function textOf(event: Session["events"][number]): string {
  if ("content" in event && Array.isArray(event.content)) {
    return event.content.map((block) => ("text" in block ? String(block.text) : "")).join("\n");
  }
  if ("content" in event && typeof event.content === "string") return event.content;
  return "";
}

function eventsById(scenario: Scenario): Map<string, string> {
  const texts = new Map<string, string>();
  for (const session of scenario.sessions) for (const event of session.events) texts.set(event.id, textOf(event));
  return texts;
}

describe("generateScenario", () => {
  const scenario = generateScenario(options);

  it("is deterministic for a seed and differs across seeds", () => {
    const again = generateScenario(options);
    expect(JSON.stringify(again.sessions)).toBe(JSON.stringify(scenario.sessions));
    expect(JSON.stringify(again.memories)).toBe(JSON.stringify(scenario.memories));
    const other = generateScenario({ ...options, seed: 8 });
    expect(JSON.stringify(other.sessions)).not.toBe(JSON.stringify(scenario.sessions));
  });

  it("produces valid sessions and memories in the requested numbers", () => {
    expect(scenario.sessions).toHaveLength(12);
    expect(scenario.memories).toHaveLength(400);
    for (const session of scenario.sessions) expect(Session.safeParse(session).success).toBe(true);
    for (const memory of scenario.memories) expect(memoryPathProblem(memory.path)).toBeNull();
    expect(new Set(scenario.memories.map((memory) => memory.path)).size).toBe(400);
    const ids = scenario.sessions.flatMap((session) => session.events.map((event) => event.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("dates every session after the start, in order", () => {
    const times = scenario.sessions.map((session) => Date.parse(session.created_at));
    expect(times[0]).toBe(Date.parse(START));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1] as number);
  });

  it("sizes transcripts near the requested tokens", () => {
    const perSession = scenario.transcriptTokens / scenario.sessions.length;
    expect(perSession).toBeGreaterThan(4000 * 0.95);
    expect(perSession).toBeLessThan(4000 * 1.25);
  });

  it("places every ground-truth statement verbatim in its event or memory", () => {
    const events = eventsById(scenario);
    const memories = new Map(scenario.memories.map((memory) => [memory.path, memory.content]));
    for (const item of scenario.truth.items.values()) {
      const text = item.source.type === "event" ? events.get(item.source.eventId) : memories.get(item.source.path);
      expect(text, item.id).toContain(item.quote);
    }
  });

  it("holds each subject's current value as its latest observation, and a history of changes", () => {
    const observations = [...scenario.truth.items.values()].filter(
      (item): item is Extract<TruthItem, { type: "observation" }> => item.type === "observation",
    );
    let changed = 0;
    for (const subject of scenario.truth.subjects.values()) {
      const own = observations.filter((item) => item.subjectKey === subject.key).sort((a, b) => a.order - b.order);
      if (own.length === 0) continue;
      expect(subject.current).toBe(own.at(-1)?.value);
      expect(subject.history.map((entry) => entry.value)).toEqual([...new Set(own.map((item) => item.value))]);
      if (subject.history.length > 1) changed++;
    }
    expect(changed).toBeGreaterThan(5);
    const acts = new Set(observations.map((item) => item.act));
    expect([...acts].sort()).toEqual(["change", "introduce", "restate", "store"]);
    const types = new Set([...scenario.truth.items.values()].map((item) => item.type));
    expect([...types].sort()).toEqual(["history", "noise", "observation", "occurrence"]);
  });

  it("spreads at least one pattern over two or more sessions, and records which events state it", () => {
    const spread = [...scenario.truth.patterns.values()].filter((pattern) => pattern.sessionIds.length >= 2);
    expect(spread.length).toBeGreaterThan(0);
    for (const pattern of spread) {
      for (const id of pattern.occurrences) {
        const item = scenario.truth.items.get(id);
        expect(item?.type).toBe("occurrence");
        if (item?.source.type === "event") expect(pattern.sessionIds).toContain(item.source.sessionId);
      }
    }
  });

  it("keeps markers unambiguous: filler matches nothing, each statement matches what it states", () => {
    const matcher = createMatcher(scenario.truth);
    for (const session of scenario.sessions) {
      for (const event of session.events) {
        if (scenario.truth.byEvent.has(event.id)) continue;
        expect(matcher.classify(textOf(event)), event.id).toEqual([]);
      }
    }
    for (const item of scenario.truth.items.values()) {
      const matches = matcher.classify(item.quote);
      if (item.type === "observation" || item.type === "history") {
        expect(matches, item.quote).toContainEqual({ type: "value", subjectKey: item.subjectKey, value: item.value });
        expect(matches.filter((match) => match.type !== "value" || match.subjectKey !== item.subjectKey)).toEqual([]);
      } else if (item.type === "noise") expect(matches).toEqual([{ type: "noise", noiseId: item.id }]);
      else if (item.type === "occurrence")
        expect(matches).toEqual([{ type: "occurrence", patternKey: item.patternKey }]);
      else throw new Error(`the base scenario has no ${item.type} items`);
    }
    for (const pattern of scenario.truth.patterns.values()) {
      expect(matcher.classify(pattern.insight)).toEqual([{ type: "insight", patternKey: pattern.key }]);
    }
  });

  it("never lets one attribute's value contain another's", () => {
    for (const list of [PROJECT_ATTRIBUTES, USER_ATTRIBUTES]) {
      const values = list.flatMap((attribute) => attribute.values.map((value) => ({ attribute: attribute.id, value })));
      expect(new Set(values.map((entry) => entry.value.toLowerCase())).size).toBe(values.length);
    }
  });

  it("rejects sizes beyond the limits", () => {
    expect(() => generateScenario({ ...options, sessions: 0 })).toThrow(RangeError);
    expect(() => generateScenario({ ...options, sessions: 101 })).toThrow(RangeError);
    expect(() => generateScenario({ ...options, memories: 20_001 })).toThrow(RangeError);
    expect(() => generateScenario({ ...options, tokensPerSession: 100_001 })).toThrow(RangeError);
  });
});
