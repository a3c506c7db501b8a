import type { CandidateFact, JudgePair } from "@nocturne/core";
import { deduplicate } from "@nocturne/core/internals";
import { describe, expect, it } from "vitest";

let counter = 0;
function fact(key: string, statement: string, observedAt = "2026-01-05T09:00:00.000Z"): CandidateFact {
  counter++;
  return {
    id: `fact_${String(counter).padStart(5, "0")}`,
    key,
    topic: "t",
    statement,
    kind: "fact",
    cardinality: "single",
    polarity: "positive",
    value: null,
    observedAt,
    trust: "user",
    evidence: [{ type: "event", sessionId: "s", eventId: `e${counter}` }],
  };
}

const never = async (): Promise<never> => {
  throw new Error("the model must not be asked");
};

describe("deduplicate", () => {
  it("groups facts with the same normalized key without asking the model", async () => {
    const facts = [
      fact("home.city", "User lives in Berlin."),
      fact("home.city", "User lives in Lisbon."),
      fact("pets", "User has a cat."),
    ];
    const { clusters, judgeCalls } = await deduplicate(facts, { judge: never });
    expect(judgeCalls).toBe(0);
    expect(clusters.map((c) => c.map((f) => f.statement).sort())).toEqual(
      expect.arrayContaining([["User has a cat."], ["User lives in Berlin.", "User lives in Lisbon."]]),
    );
  });

  it("never asks about statements alike but about different identifiers; one shared identifier is still asked", async () => {
    const twins = [
      fact("quartz_795.release", "Quartz-795 ships on weekly releases."),
      fact("xenon_307.cadence", "Xenon-307 ships on weekly releases."),
    ];
    const twinRun = await deduplicate(twins, { judge: never });
    expect(twinRun.judgeCalls).toBe(0);
    expect(twinRun.clusters).toHaveLength(2);

    const asked: JudgePair[] = [];
    const same = [
      fact("quartz_795.release", "Quartz-795 ships on weekly releases."),
      fact("quartz_795.cadence", "Quartz-795 ships on biweekly releases from now on."),
    ];
    await deduplicate(same, {
      judge: async (pairs) => {
        asked.push(...pairs);
        return pairs.map((pair) => ({ id: pair.id, same: true }));
      },
    });
    expect(asked).toHaveLength(1);
  });

  it("merges near-identical statements under different keys deterministically", async () => {
    const facts = [
      fact("editor", "User prefers the Helix editor for all Rust code reviews."),
      fact("preferred_editor", "user prefers the helix editor for all rust code reviews"),
    ];
    const { clusters, judgeCalls } = await deduplicate(facts, { judge: never });
    expect(judgeCalls).toBe(0);
    expect(clusters).toHaveLength(1);
  });

  it("asks the model only about ambiguous pairs, in batches, and follows its verdict", async () => {
    const facts = [
      fact("indentation", "User prefers tabs for indentation in Go code."),
      fact("go.indent", "For Go code the user indents with tabs always."),
      fact("coffee", "User drinks espresso every morning."),
    ];
    const asked: JudgePair[][] = [];
    const { clusters, judgeCalls } = await deduplicate(facts, {
      judge: async (pairs) => {
        asked.push(pairs);
        return pairs.map((pair) => ({ id: pair.id, same: true }));
      },
    });
    expect(judgeCalls).toBe(1);
    expect(asked[0]?.map((pair) => [pair.left.key, pair.right.key].sort())).toEqual([["go.indent", "indentation"]]);
    expect(clusters.map((c) => c.length).sort()).toEqual([1, 2]);
  });

  const reworded = (): [CandidateFact, CandidateFact] => [
    {
      ...fact("atlas_404_test_cmd", "Always run `just test` before pushing Atlas-404.", "2026-01-01T09:00:00.000Z"),
      value: "just test",
      trust: "memory" as const,
      evidence: [{ type: "memory" as const, memoryId: "mem_1", path: "/projects/atlas-404.md" }],
    },
    { ...fact("projects.atlas_404.test_command", "Invoke `rake spec` → Atlas-404 checks pass."), value: "rake spec" },
  ];

  it("pairs a reworded update with the attributes of its entity, and replaces a value only if the model says so twice", async () => {
    let call = 0;
    const once = await deduplicate(reworded(), {
      judge: async (pairs) => pairs.map((pair) => ({ id: pair.id, same: call++ === 0 })),
    });
    expect(once.judgeCalls).toBe(2);
    expect(once.clusters).toHaveLength(2);
    const twice = await deduplicate(reworded(), {
      judge: async (pairs) => pairs.map((pair) => ({ id: pair.id, same: true })),
    });
    expect(twice.judgeCalls).toBe(2);
    expect(twice.clusters).toHaveLength(1);
  });

  it("asks once about a reworded update whose value is held elsewhere under the partner's attribute", async () => {
    const [old, update] = reworded();
    const elsewhere = {
      ...fact("projects.kestrel_5.test_cmd", "To test Kestrel-5, run `rake spec`.", "2026-01-01T09:00:00.000Z"),
      value: "rake spec",
      trust: "memory" as const,
      evidence: [{ type: "memory" as const, memoryId: "mem_2", path: "/projects/kestrel-5.md" }],
    };
    const facts = [old, elsewhere, { ...update, key: "projects.atlas_404.verification" }];
    const { clusters, judgeCalls } = await deduplicate(facts, {
      judge: async (pairs) => pairs.map((pair) => ({ id: pair.id, same: true })),
    });
    expect(judgeCalls).toBe(1);
    expect(clusters.map((cluster) => cluster.length).sort()).toEqual([1, 2]);
  });

  it("asks again, sides swapped, when the model calls such a value-kin pair different", async () => {
    const [old, update] = reworded();
    const elsewhere = {
      ...fact("projects.kestrel_5.test_cmd", "To test Kestrel-5, run `rake spec`.", "2026-01-01T09:00:00.000Z"),
      value: "rake spec",
    };
    let call = 0;
    const { clusters, judgeCalls } = await deduplicate([old, elsewhere, update], {
      judge: async (pairs) => pairs.map((pair) => ({ id: pair.id, same: call++ > 0 })),
    });
    expect(judgeCalls).toBe(2);
    expect(clusters.map((cluster) => cluster.length).sort()).toEqual([1, 2]);
  });

  it("reads the value a split clause names from values held elsewhere, and asks about it like any value", async () => {
    const [old] = reworded();
    const elsewhere = {
      ...fact("projects.kestrel_5.test_cmd", "To test Kestrel-5, run `rake spec`.", "2026-01-01T09:00:00.000Z"),
      value: "rake spec",
    };
    const clause = {
      ...fact("clause.atlas_404_is_now_checked_with_rake_spec", "Atlas-404 is now checked with `rake spec`."),
      derived: "clause" as const,
    };
    let call = 0;
    const { clusters, judgeCalls } = await deduplicate([old, elsewhere, clause], {
      judge: async (pairs) => pairs.map((pair) => ({ id: pair.id, same: call++ === 0 })),
    });
    expect(judgeCalls).toBe(1);
    expect(clusters.map((cluster) => cluster.map((member) => member.key).sort())).toContainEqual([
      "atlas_404_test_cmd",
      "clause.atlas_404_is_now_checked_with_rake_spec",
    ]);
  });

  it("asks nothing about a new attribute whose value is held elsewhere under a key like its own", async () => {
    const [old] = reworded();
    const memory = (key: string, statement: string) => ({
      ...fact(key, statement, "2026-01-01T09:00:00.000Z"),
      value: "Rust",
      trust: "memory" as const,
      evidence: [{ type: "memory" as const, memoryId: "mem_3", path: "/projects/kestrel-5.md" }],
    });
    const facts = [
      old,
      memory("projects.kestrel_5.language", "Kestrel-5 is written in Rust."),
      { ...fact("projects.atlas_404.language", "Atlas-404 is written in Rust."), value: "Rust" },
    ];
    const { clusters, judgeCalls } = await deduplicate(facts, { judge: never });
    expect(judgeCalls).toBe(0);
    expect(clusters).toHaveLength(3);
  });

  it("asks again, sides swapped, when the model calls a strongly similar pair different, and merges on a second same", async () => {
    const facts = () => [
      fact("indentation", "User prefers tabs for indentation in Go code."),
      fact("go.indent", "For Go code the user prefers spaces for indentation."),
    ];
    const asked: JudgePair[][] = [];
    let call = 0;
    const second = await deduplicate(facts(), {
      judge: async (pairs) => {
        asked.push(pairs);
        return pairs.map((pair) => ({ id: pair.id, same: call++ > 0 }));
      },
    });
    expect(second.judgeCalls).toBe(2);
    expect(asked[1]?.map((pair) => [pair.right.key, pair.left.key])).toEqual(
      asked[0]?.map((pair) => [pair.left.key, pair.right.key]),
    );
    expect(second.clusters).toHaveLength(1);
    const never = await deduplicate(facts(), {
      judge: async (pairs) => pairs.map((pair) => ({ id: pair.id, same: false })),
    });
    expect(never.clusters).toHaveLength(2);
  });

  it("merges two wordings of one value, or two set members, on one answer", async () => {
    const members = [
      { ...fact("hobbies", "User plays chess on weekends."), cardinality: "multi" as const },
      { ...fact("user.hobby", "User plays go on weekends too."), cardinality: "multi" as const },
    ];
    const { clusters, judgeCalls } = await deduplicate(members, {
      judge: async (pairs) => pairs.map((pair) => ({ id: pair.id, same: true })),
    });
    expect(judgeCalls).toBe(1);
    expect(clusters).toHaveLength(1);
  });

  it("keeps model calls linear in the number of facts, never quadratic", async () => {
    const topics = ["deploy", "review", "testing", "logging", "cache", "search"];
    const facts = Array.from({ length: 3000 }, (_, i) =>
      fact(`k${i}`, `The team ${topics[i % topics.length]} process uses tool ${i % 97} with option ${i % 13}.`),
    );
    let pairs = 0;
    const { judgeCalls } = await deduplicate(facts, {
      batchSize: 25,
      judge: async (batch) => {
        pairs += batch.length;
        return batch.map((pair) => ({ id: pair.id, same: false }));
      },
    });
    expect(pairs).toBeLessThanOrEqual(2 * 3000);
    expect(judgeCalls).toBe(Math.ceil(pairs / 25));
  });
});
