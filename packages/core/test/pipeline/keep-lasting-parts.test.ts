import {
  type ConsolidationModel,
  createInMemoryAdapter,
  createNocturne,
  type ExtractedFact,
  readAllMemories,
} from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { sessionOf, storeWith } from "../helpers/fixtures.js";

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

async function dream(memory: string, userLines: string[], keyOf: (text: string) => string = (text) => text) {
  const storage = createInMemoryAdapter();
  await storage.putSession(sessionOf("sesn_a", 1, userLines));
  const storeId = await storeWith(storage, { "/projects.md": memory });
  const nocturne = createNocturne({ storage, model: everythingOneOff(keyOf) });
  const created = await nocturne.dreams.create({
    inputs: [
      { type: "memory_store", memory_store_id: storeId },
      { type: "sessions", session_ids: ["sesn_a"] },
    ],
  });
  const done = await nocturne.dreams.wait(created.id);
  const report = await nocturne.dreams.report(created.id);
  const text = (await readAllMemories(storage, done.outputs[0]?.memory_store_id ?? ""))
    .map((written) => written.content)
    .join("\n");
  return { done, report, text, dropped: report?.dropped.map((fact) => fact.statement) ?? [] };
}

describe("statements a model calls one-off", () => {
  it("a memory line is pruned only when it reads as one-off", async () => {
    const { text, dropped } = await dream(
      "# Projects\n\n- Cobalt-6 runs its CI on GitHub Actions.\n- 2026-03-02: the Cobalt-6 build failed with ECONNRESET, a rerun fixed it.\n",
      ["hello"],
    );
    expect(text).toContain("Cobalt-6 runs its CI on GitHub Actions.");
    expect(text).not.toContain("ECONNRESET");
    expect(dropped).toContain("2026-03-02: the Cobalt-6 build failed with ECONNRESET, a rerun fixed it.");
  });

  it("a statement built from a one-off note and a fact about something else keeps the fact", async () => {
    const { text, dropped, report } = await dream("# Projects\n\n- Quartz-7 ships on monthly releases.\n", [
      "Got ENOSPC from Lumen-2 at 17:47 during the migration, probably a blip. Quartz-7 ships on weekly releases.",
      "CI is red today. Use the staging branch.",
    ]);
    expect(text).toContain("Quartz-7 ships on weekly releases.");
    expect(text).not.toContain("ENOSPC");
    expect(text).not.toContain("staging branch");
    expect(dropped).toContain("Got ENOSPC from Lumen-2 at 17:47 during the migration, probably a blip.");
    expect(dropped).toContain("CI is red today. Use the staging branch.");
    expect(report?.notices.some((notice) => notice.includes("read as lasting"))).toBe(true);
  });

  it("a statement under the key of a lasting fact that reads as lasting is that fact's newer value", async () => {
    const keyOf = (text: string) => (text.includes("Quartz-7") ? "projects.quartz_7.release_cadence" : text);
    const storage = createInMemoryAdapter();
    await storage.putSession(sessionOf("sesn_a", 1, ["Quartz-7 moved to weekly releases."]));
    const storeId = await storeWith(storage, {
      "/projects.md": "# Projects\n\n- Quartz-7 ships on monthly releases.\n",
    });
    const model = everythingOneOff(keyOf);
    const lasting: ConsolidationModel = {
      ...model,
      async extract(source, context) {
        const facts = await model.extract(source, context);
        return source.type === "memories" ? facts.map((fact) => ({ ...fact, kind: "fact" as const })) : facts;
      },
    };
    const nocturne = createNocturne({ storage, model: lasting });
    const created = await nocturne.dreams.create({
      inputs: [
        { type: "memory_store", memory_store_id: storeId },
        { type: "sessions", session_ids: ["sesn_a"] },
      ],
    });
    const done = await nocturne.dreams.wait(created.id);
    const text = (await readAllMemories(storage, done.outputs[0]?.memory_store_id ?? ""))
      .map((written) => written.content)
      .join("\n");
    expect(text).toContain("Quartz-7 moved to weekly releases.");
    expect(text).not.toContain("monthly");
  });

  it.each([
    [true, "Quartz-7 moved to weekly releases.", "monthly"],
    [false, "Quartz-7 ships on monthly releases.", "weekly"],
  ])(
    "under another key it is kept only if the model finds it about a lasting fact's subject (same: %s)",
    async (same, kept, gone) => {
      const storage = createInMemoryAdapter();
      await storage.putSession(sessionOf("sesn_a", 1, ["Quartz-7 moved to weekly releases."]));
      const storeId = await storeWith(storage, {
        "/projects.md": "# Projects\n\n- Quartz-7 ships on monthly releases.\n",
      });
      const model = everythingOneOff((text) => (text.includes("monthly") ? "quartz7.releases" : "quartz_7.cadence"));
      const judged: ConsolidationModel = {
        ...model,
        async extract(source, context) {
          const facts = await model.extract(source, context);
          return source.type === "memories" ? facts.map((fact) => ({ ...fact, kind: "fact" as const })) : facts;
        },
        async judge(pairs) {
          return pairs.map((pair) => ({ id: pair.id, same }));
        },
      };
      const nocturne = createNocturne({ storage, model: judged });
      const created = await nocturne.dreams.create({
        inputs: [
          { type: "memory_store", memory_store_id: storeId },
          { type: "sessions", session_ids: ["sesn_a"] },
        ],
      });
      const done = await nocturne.dreams.wait(created.id);
      const report = await nocturne.dreams.report(created.id);
      const text = (await readAllMemories(storage, done.outputs[0]?.memory_store_id ?? ""))
        .map((written) => written.content)
        .join("\n");
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
