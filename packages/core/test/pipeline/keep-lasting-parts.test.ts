import type { ConsolidationModel, ExtractedFact } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { dreamOnce } from "../helpers/fixtures.js";

/**
 * A model that calls every statement one-off (`transient`): each memory bullet and each user line becomes one fact,
 * keyed as `keyOf` says, quoting its whole text.
 */
function everythingOneOff(keyOf: (text: string) => string): ConsolidationModel {
  const fact = (text: string, eventId: string): ExtractedFact => ({
    key: keyOf(text),
    topic: "projects",
    statement: text,
    kind: "transient",
    cardinality: "single",
    evidence: [{ event_id: eventId, quote: text }],
  });
  return {
    id: "everything-one-off",
    offline: true,
    async extract(source) {
      if (source.type === "memories") {
        return source.memories.flatMap((memory) =>
          memory.content
            .split("\n")
            .filter((line) => line.startsWith("- "))
            .map((line) => fact(line.slice(2), memory.id)),
        );
      }
      return source.chunk.lines.filter((line) => line.role === "user").map((line) => fact(line.text, line.eventId));
    },
    async judge(pairs) {
      return pairs.map((pair) => ({ id: pair.id, same: false }));
    },
    async synthesize() {
      return [];
    },
  };
}

/** The same model, but lines of the store are lasting facts, and its verdict on every pair is `same`. */
function storeLasting(model: ConsolidationModel, same = false): ConsolidationModel {
  return {
    ...model,
    async extract(source, context) {
      const facts = await model.extract(source, context);
      return source.type === "memories" ? facts.map((fact) => ({ ...fact, kind: "fact" as const })) : facts;
    },
    async judge(pairs) {
      return pairs.map((pair) => ({ id: pair.id, same }));
    },
  };
}

const MONTHLY = { "/projects.md": "# Projects\n\n- Quartz-7 ships on monthly releases.\n" };

describe("statements a model calls one-off", () => {
  it("a memory line is pruned only when it reads as one-off", async () => {
    const { text, report } = await dreamOnce(
      everythingOneOff((text) => text),
      {
        "/projects.md":
          "# Projects\n\n- Cobalt-6 runs its CI on GitHub Actions.\n- 2026-03-02: the Cobalt-6 build failed with ECONNRESET, a rerun fixed it.\n",
      },
      ["hello"],
    );
    expect(text).toContain("Cobalt-6 runs its CI on GitHub Actions.");
    expect(text).not.toContain("ECONNRESET");
    expect(report?.dropped.map((fact) => fact.statement)).toContain(
      "2026-03-02: the Cobalt-6 build failed with ECONNRESET, a rerun fixed it.",
    );
  });

  it("a statement built from a one-off note and a fact about something else keeps the fact", async () => {
    const { text, report } = await dreamOnce(
      everythingOneOff((text) => text),
      MONTHLY,
      [
        "Got ENOSPC from Lumen-2 at 17:47 during the migration, probably a blip. Quartz-7 ships on weekly releases.",
        "CI is red today. Use the staging branch.",
      ],
    );
    const dropped = report?.dropped.map((fact) => fact.statement) ?? [];
    expect(text).toContain("Quartz-7 ships on weekly releases.");
    expect(text).not.toContain("ENOSPC");
    expect(text).not.toContain("staging branch");
    expect(dropped).toContain("Got ENOSPC from Lumen-2 at 17:47 during the migration, probably a blip.");
    expect(dropped).toContain("CI is red today. Use the staging branch.");
    expect(report?.notices.some((notice) => notice.includes("read as lasting"))).toBe(true);
  });

  it("a statement under the key of a lasting fact that reads as lasting is that fact's newer value", async () => {
    const keyOf = (text: string) => (text.includes("Quartz-7") ? "projects.quartz_7.release_cadence" : text);
    const { text } = await dreamOnce(storeLasting(everythingOneOff(keyOf)), MONTHLY, [
      "Quartz-7 moved to weekly releases.",
    ]);
    expect(text).toContain("Quartz-7 moved to weekly releases.");
    expect(text).not.toContain("monthly");
  });

  it.each([
    [true, "Quartz-7 moved to weekly releases.", "monthly"],
    [false, "Quartz-7 ships on monthly releases.", "weekly"],
  ])(
    "under another key it is kept only if the model finds it about a lasting fact's subject (same: %s)",
    async (same, kept, gone) => {
      const keyOf = (text: string) => (text.includes("monthly") ? "quartz7.releases" : "quartz_7.cadence");
      const { text, report } = await dreamOnce(storeLasting(everythingOneOff(keyOf), same), MONTHLY, [
        "Quartz-7 moved to weekly releases.",
      ]);
      expect(text).toContain(kept);
      expect(text).not.toContain(gone);
      if (!same) {
        expect(report?.dropped.map((fact) => [fact.statement, fact.reason.split(":")[0]])).toContainEqual([
          "Quartz-7 moved to weekly releases.",
          "transient",
        ]);
      }
    },
  );
});
