import { type CandidateFact, resolveByRecency, type Trust } from "@nocturne/core";
import { describe, expect, it } from "vitest";

function fact(id: string, statement: string, day: number, trust: Trust = "user"): CandidateFact {
  return {
    id,
    key: "home.city",
    topic: "profile",
    statement,
    kind: "fact",
    cardinality: "single",
    polarity: "positive",
    value: null,
    observedAt: new Date(Date.UTC(2026, 0, day)).toISOString(),
    trust,
    evidence: [{ type: "event", sessionId: `s${day}`, eventId: `e_${id}` }],
  };
}

describe("resolveByRecency", () => {
  it("lets the latest observation win and keeps what it replaced as history", () => {
    const { fact: winner, dropped } = resolveByRecency([
      fact("b", "User lives in Lisbon.", 20),
      fact("a", "User lives in Berlin.", 3),
      fact("c", "User lives in Porto.", 11),
    ]);
    expect(winner.statement).toBe("User lives in Lisbon.");
    expect(winner.superseded.map((old) => old.statement)).toEqual(["User lives in Berlin.", "User lives in Porto."]);
    expect(winner.sourceFactIds[0]).toBe("b");
    expect(dropped).toEqual([]);
  });

  it("merges restatements of the same value and pools their evidence", () => {
    const { fact: winner } = resolveByRecency([
      fact("a", "User lives in Lisbon.", 3),
      fact("b", "user lives in lisbon", 9),
    ]);
    expect(winner.merged.map((m) => m.factId)).toEqual(["a"]);
    expect(winner.superseded).toEqual([]);
    expect(winner.evidence).toHaveLength(2);
  });

  it("never lets a newer tool-sourced value override what the user said", () => {
    const { fact: winner, dropped } = resolveByRecency([
      fact("u", "User lives in Berlin.", 3),
      fact("t", "User lives in Atlantis.", 9, "tool"),
    ]);
    expect(winner.statement).toBe("User lives in Berlin.");
    expect(winner.trust).toBe("user");
    expect(dropped.map((d) => d.statement)).toEqual(["User lives in Atlantis."]);
    expect(dropped[0]?.reason).toMatch(/lower-trust/);
  });

  it("breaks ties in time by fact id so every run resolves the same way", () => {
    const a = resolveByRecency([fact("x", "User lives in Oslo.", 5), fact("y", "User lives in Rome.", 5)]);
    const b = resolveByRecency([fact("y", "User lives in Rome.", 5), fact("x", "User lives in Oslo.", 5)]);
    expect(a.fact.statement).toBe(b.fact.statement);
  });
});

describe("resolveByRecency: the same source span", () => {
  it("merges two wordings drawn from the same event instead of calling one superseded", () => {
    const a = fact("a", "The team switched to pnpm.", 9);
    const b = { ...fact("b", "Use pnpm instead of npm for everything.", 9), evidence: a.evidence };
    const { fact: winner } = resolveByRecency([a, b]);
    expect(winner.superseded).toEqual([]);
    expect(winner.merged).toHaveLength(1);
  });
});
