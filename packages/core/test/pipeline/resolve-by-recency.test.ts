import type { CandidateFact, Trust } from "@nocturne/core";
import { clausesOf, resolveByRecency } from "@nocturne/core/internals";
import { describe, expect, it } from "vitest";

function fact(
  id: string,
  statement: string,
  day: number,
  trust: Trust = "user",
  extra: Partial<CandidateFact> = {},
): CandidateFact {
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
    ...extra,
  };
}

const statements = (facts: { statement: string }[]) => facts.map((f) => f.statement).sort();

describe("resolveByRecency: single-valued attributes", () => {
  it("lets the latest observation win and keeps what it replaced as history", () => {
    const { facts, dropped } = resolveByRecency([
      fact("b", "User lives in Lisbon.", 20),
      fact("a", "User lives in Berlin.", 3),
      fact("c", "User lives in Porto.", 11),
    ]);
    expect(facts).toHaveLength(1);
    const [winner] = facts;
    expect(winner?.statement).toBe("User lives in Lisbon.");
    expect(winner?.superseded.map((old) => old.statement)).toEqual(["User lives in Berlin.", "User lives in Porto."]);
    expect(winner?.sourceFactIds[0]).toBe("b");
    expect(dropped).toEqual([]);
  });

  it("merges restatements of the same value and pools their evidence", () => {
    const { facts } = resolveByRecency([fact("a", "User lives in Lisbon.", 3), fact("b", "user lives in lisbon", 9)]);
    expect(facts[0]?.merged.map((m) => m.factId)).toEqual(["a"]);
    expect(facts[0]?.superseded).toEqual([]);
    expect(facts[0]?.evidence).toHaveLength(2);
  });

  it("tells values apart by the value the extractor named, whatever the wording", () => {
    const { facts } = resolveByRecency([
      fact("a", "The user is based in Lisbon.", 3, "user", { value: "Lisbon" }),
      fact("b", "Home is Lisbon these days.", 9, "user", { value: "lisbon" }),
      fact("c", "The user lives in Berlin.", 1, "user", { value: "Berlin" }),
    ]);
    expect(facts).toHaveLength(1);
    expect(facts[0]?.merged.map((m) => m.factId)).toEqual(["a"]);
    expect(facts[0]?.superseded.map((m) => m.factId)).toEqual(["c"]);
  });

  it("never lets a newer tool-sourced value override what the user said", () => {
    const { facts, dropped } = resolveByRecency([
      fact("u", "User lives in Berlin.", 3),
      fact("t", "User lives in Atlantis.", 9, "tool"),
    ]);
    expect(facts[0]?.statement).toBe("User lives in Berlin.");
    expect(facts[0]?.trust).toBe("user");
    expect(dropped.map((d) => d.statement)).toEqual(["User lives in Atlantis."]);
    expect(dropped[0]?.factId).toBe("t");
    expect(dropped[0]?.reason).toMatch(/lower-trust/);
  });

  it.each([
    ["an agent's newer word replaces an older line of the store", "memory", "agent", "newer"],
    ["an agent's newer word does not replace what the user said", "user", "agent", "older"],
    ["a newer line of the store replaces what the user said earlier", "user", "memory", "newer"],
    ["a tool's newer output replaces nothing the agent said", "agent", "tool", "older"],
  ] as const)("%s", (_name, olderTrust, newerTrust, wins) => {
    const { facts, dropped } = resolveByRecency([
      fact("o", "Atlas CI runs on GitHub Actions.", 3, olderTrust),
      fact("n", "Atlas CI runs on GitLab CI.", 9, newerTrust),
    ]);
    expect(facts).toHaveLength(1);
    expect(facts[0]?.statement).toBe(
      wins === "newer" ? "Atlas CI runs on GitLab CI." : "Atlas CI runs on GitHub Actions.",
    );
    expect(dropped.map((d) => d.factId)).toEqual(wins === "newer" ? [] : ["n"]);
  });

  it("resolves ties in time the same way whatever the input order or ids", () => {
    const a = resolveByRecency([fact("x", "User lives in Oslo.", 5), fact("y", "User lives in Rome.", 5)]);
    const b = resolveByRecency([fact("q", "User lives in Rome.", 5), fact("p", "User lives in Oslo.", 5)]);
    expect(a.facts[0]?.statement).toBe(b.facts[0]?.statement);
  });

  it("keeps the retraction when the current value is retracted, superseding the assertion", () => {
    const { facts } = resolveByRecency([
      fact("a", "The project uses Jest.", 3, "user", { value: "Jest", key: "tests.runner" }),
      fact("b", "The project no longer uses Jest.", 9, "user", {
        value: "Jest",
        key: "tests.runner",
        polarity: "negative",
      }),
    ]);
    expect(statements(facts)).toEqual(["The project no longer uses Jest."]);
    expect(facts[0]?.superseded.map((m) => m.factId)).toEqual(["a"]);
  });

  it("does not let the retraction of another value unseat the current one, and keeps it if said later", async () => {
    const { facts } = resolveByRecency([
      fact("a", "Tests run with Jest.", 1, "user", { value: "Jest" }),
      fact("b", "Tests run with Vitest.", 5, "user", { value: "Vitest" }),
      fact("c", "We no longer use Jest.", 9, "user", { value: "Jest", polarity: "negative" }),
    ]);
    expect(statements(facts)).toEqual(["Tests run with Vitest.", "We no longer use Jest."]);
    expect(facts.find((f) => f.polarity === "negative")?.superseded.map((m) => m.factId)).toEqual(["a"]);
    const older = resolveByRecency([
      fact("a", "Tests run with Jest.", 1, "user", { value: "Jest" }),
      fact("c", "We no longer use Jest.", 3, "user", { value: "Jest", polarity: "negative" }),
      fact("b", "Tests run with Vitest.", 5, "user", { value: "Vitest" }),
    ]);
    expect(statements(older.facts)).toEqual(["Tests run with Vitest."]);
    expect(older.facts[0]?.superseded.map((m) => m.factId).sort()).toEqual(["a", "c"]);
  });

  it("replaces only the clause of a compound statement that held the old value", () => {
    const { facts } = resolveByRecency([
      fact("a", "Tests run with Jest; integration tests need docker compose.", 1, "memory", { key: "tests.runner" }),
      fact("b", "The project switched its tests to Vitest.", 9, "user", { key: "tests.runner" }),
    ]);
    expect(statements(facts)).toEqual([
      "Integration tests need docker compose.",
      "The project switched its tests to Vitest.",
    ]);
    expect(facts.find((f) => f.statement.startsWith("The project"))?.superseded.map((m) => m.factId)).toEqual(["a"]);
  });
});

describe("resolveByRecency: sets", () => {
  const hobby = (id: string, statement: string, day: number, extra: Partial<CandidateFact> = {}) =>
    fact(id, statement, day, "user", { key: "user.hobbies", cardinality: "multi", ...extra });

  it("keeps every member: a new member never replaces the others", () => {
    const { facts } = resolveByRecency([
      hobby("a", "The user plays chess.", 1, { value: "chess" }),
      hobby("b", "The user took up climbing.", 5, { value: "climbing" }),
      hobby("c", "The user enjoys chess.", 7, { value: "chess" }),
    ]);
    expect(statements(facts)).toEqual(["The user enjoys chess.", "The user took up climbing."]);
    expect(facts.flatMap((f) => f.superseded)).toEqual([]);
  });

  it("removes a member only on an explicit retraction, which is kept so an older mention cannot revive it", () => {
    const { facts } = resolveByRecency([
      hobby("a", "The user plays chess.", 1, { value: "chess" }),
      hobby("b", "The user took up climbing.", 5, { value: "climbing" }),
      hobby("c", "The user does not play chess any more.", 7, { value: "chess", polarity: "negative" }),
    ]);
    expect(statements(facts)).toEqual(["The user does not play chess any more.", "The user took up climbing."]);
    expect(facts.find((f) => f.polarity === "negative")?.superseded.map((m) => m.factId)).toEqual(["a"]);
  });

  it("treats a cluster with any fact of unknown cardinality as a set (never replaces silently)", () => {
    const { facts } = resolveByRecency([
      fact("a", "User speaks Portuguese.", 1),
      fact("b", "User speaks Italian.", 5, "user", { cardinality: "multi" }),
    ]);
    expect(statements(facts)).toEqual(["User speaks Italian.", "User speaks Portuguese."]);
  });
});

describe("resolveByRecency: the same source span", () => {
  it("merges two wordings drawn from the same event instead of calling one superseded", () => {
    const a = fact("a", "The team switched to pnpm.", 9);
    const b = { ...fact("b", "Use pnpm instead of npm for everything.", 9), evidence: a.evidence };
    const { facts } = resolveByRecency([a, b]);
    expect(facts[0]?.superseded).toEqual([]);
    expect(facts[0]?.merged).toHaveLength(1);
  });

  it("never merges statements that swap roles, even from one span", () => {
    const a = fact("a", "Alice mentors Bob.", 9, "user", { cardinality: "multi" });
    const b = { ...fact("b", "Bob mentors Alice.", 9, "user", { cardinality: "multi" }), evidence: a.evidence };
    expect(statements(resolveByRecency([a, b]).facts)).toEqual(["Alice mentors Bob.", "Bob mentors Alice."]);
  });
});

describe("clausesOf", () => {
  it("splits on semicolons and sentence breaks, keeping short tails with their clause", () => {
    expect(clausesOf("Tests run with Jest; integration tests need docker compose")).toEqual([
      "Tests run with Jest",
      "integration tests need docker compose",
    ]);
    expect(clausesOf("The team uses pnpm. It installs fast.")).toEqual(["The team uses pnpm.", "It installs fast."]);
    expect(clausesOf("Uses pnpm. It is fast.")).toEqual(["Uses pnpm. It is fast."]);
    expect(clausesOf("Deploys on Fridays; rarely")).toEqual(["Deploys on Fridays; rarely"]);
    expect(clausesOf("Dr. Smith leads the platform team.")).toEqual(["Dr. Smith leads the platform team."]);
  });
});

describe("roles and values", () => {
  it("does not read a rephrasing around the value as a role swap", () => {
    const a = fact("a", "CI for Harbor-193 is on CircleCI.", 3, "user", { key: "ci", value: "CircleCI" });
    const b = fact("b", "Harbor-193 runs its CI on CircleCI.", 5, "user", { key: "ci", value: "CircleCI" });
    const { facts } = resolveByRecency([a, b]);
    expect(facts).toHaveLength(1);
    expect(facts[0]?.merged.map((m) => m.factId)).toEqual(["a"]);
  });
});
