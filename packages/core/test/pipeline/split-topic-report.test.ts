import { type ConsolidationModel, createOfflineConsolidationModel } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { dreamOnce } from "../helpers/fixtures.js";

/** The offline model with every fact filed under one topic, so the topic outgrows one memory. */
function oneTopicModel(): ConsolidationModel {
  const offline = createOfflineConsolidationModel();
  return {
    ...offline,
    extract: async (source, context) =>
      (await offline.extract(source, context)).map((fact) => ({ ...fact, topic: "tooling" })),
  };
}

/** Lines long enough that two files of them overflow one output memory. */
function lines(prefix: string, count: number): string {
  return Array.from(
    { length: count },
    (_, index) =>
      `- Service ${prefix}-${index} listens on port ${1000 + index} and writes its logs to /var/log/${prefix}-${index}.log.`,
  ).join("\n");
}

describe("report of a topic split across memories", () => {
  it("credits each output memory with exactly the facts its content holds", async () => {
    const { report, text } = await dreamOnce(
      oneTopicModel(),
      { "/a.md": lines("alpha", 700), "/b.md": lines("beta", 700) },
      ["Hello."],
    );
    const outputs = report?.outputs.filter((output) => output.path.startsWith("/tooling")) ?? [];
    expect(outputs.map((output) => output.path)).toEqual(["/tooling-2.md", "/tooling.md"]);
    const credited = outputs.flatMap((output) => output.facts.map((fact) => fact.statement));
    expect(new Set(credited).size).toBe(credited.length);
    expect(credited).toHaveLength(text.split("\n").filter((line) => line.startsWith("- Service")).length);
    const kept = report?.inputs.flatMap((input) => input.facts).filter((fact) => fact.fate === "kept") ?? [];
    expect(kept.length).toBeGreaterThan(1000);
    for (const fact of kept) {
      const holder = outputs.find((output) => output.path === fact.into);
      expect(holder?.facts.map((held) => held.statement)).toContain(fact.statement);
    }
  });
});
