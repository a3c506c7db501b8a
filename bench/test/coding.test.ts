import { createTiktokenTokenizer, DREAM_DEFAULTS, Session } from "@nocturne/core";
import { chunkTranscript, renderTranscript } from "@nocturne/core/internals";
import { describe, expect, it } from "vitest";
import { generateCodingScenario } from "../scenario/coding.js";

const tokenizer = createTiktokenTokenizer();
const options = {
  seed: 3,
  sessions: 2,
  tokensPerSession: 24_000,
  startAt: "2099-01-05T09:00:00.000Z",
  countTokens: (text: string) => tokenizer.count(text),
};

describe("generateCodingScenario", () => {
  const { scenario, toolOnlySubjects, loggedSubjects } = generateCodingScenario(options);

  it("is deterministic, valid, and about 70 % tool results by tokens", () => {
    expect(JSON.stringify(generateCodingScenario(options).scenario.sessions)).toBe(JSON.stringify(scenario.sessions));
    for (const session of scenario.sessions) {
      expect(Session.safeParse(session).success).toBe(true);
      const lines = renderTranscript(session);
      const tokens = (role?: string) =>
        lines
          .filter((line) => role === undefined || line.role === role)
          .reduce((n, l) => n + tokenizer.count(l.text), 0);
      expect(tokens()).toBeGreaterThanOrEqual(options.tokensPerSession);
      expect(tokens("tool") / tokens()).toBeGreaterThan(0.65);
      expect(tokens("tool") / tokens()).toBeLessThan(0.75);
    }
  });

  it("keeps every tool-only fact where the default budget reads it, and cuts the logged one from its log", () => {
    const quoted = (key: string) =>
      [...scenario.truth.items.values()].filter((item) => "subjectKey" in item && item.subjectKey === key);
    expect(toolOnlySubjects).toHaveLength(3 * options.sessions);
    for (const session of scenario.sessions) {
      const chunks = chunkTranscript(session, tokenizer, DREAM_DEFAULTS.chunkTokens, {
        tokens: DREAM_DEFAULTS.toolResultTokens,
        tally: { toolResultsDeduplicated: 0, toolResultsCut: 0, toolTokensElided: 0 },
      });
      const read = chunks.flatMap((chunk) => chunk.lines);
      const textOf = (eventId: string) =>
        read
          .filter((line) => line.eventId === eventId)
          .map((line) => line.text)
          .join("");
      for (const key of toolOnlySubjects) {
        for (const item of quoted(key)) {
          if (item.source.type !== "event" || item.source.sessionId !== session.id) continue;
          expect(item.source.role).toBe("tool");
          expect(textOf(item.source.eventId)).toContain(item.quote);
        }
      }
      for (const key of loggedSubjects) {
        const value = scenario.truth.subjects.get(key)?.current ?? "";
        const items = quoted(key).filter(
          (item) => item.source.type === "event" && item.source.sessionId === session.id,
        );
        if (items.length === 0) continue;
        expect(items.every((item) => item.source.type === "event" && item.source.role === "user")).toBe(true);
        const logs = session.events.filter((event) => JSON.stringify(event).includes(`[db] connected to ${value}`));
        expect(logs).toHaveLength(1);
        expect(textOf(logs[0]?.id ?? "")).not.toContain(`[db] connected to ${value}`);
      }
    }
  });
});
