import type { ConsolidationModel } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { dreamOnce } from "../helpers/fixtures.js";

/** A model that reads only the first line of each memory, and cites memory `wrongId` instead of the real one. */
function partialReader(wrongId?: string): ConsolidationModel {
  return {
    id: "partial",
    offline: true,
    async extract(source) {
      if (source.type === "transcript") return [];
      return source.memories.flatMap((memory) => {
        const first = memory.content.split("\n").find((line) => line.startsWith("- "));
        if (!first) return [];
        const statement = first.slice(2);
        return [
          {
            key: "notes.first",
            topic: "notes",
            statement,
            kind: "fact" as const,
            evidence: [{ event_id: wrongId ?? memory.id, quote: statement }],
          },
        ];
      });
    },
    async judge(pairs) {
      return pairs.map((pair) => ({ id: pair.id, same: false }));
    },
    async synthesize() {
      return [];
    },
  };
}

function dreamOver(model: ConsolidationModel) {
  return dreamOnce(
    model,
    {
      "/notes.md":
        "# Notes\n\n- The staging cluster lives in Frankfurt.\n- Deploys need two approvals from the payments team.\n",
    },
    ["hello"],
  );
}

describe("memory lines the model did not read", () => {
  it("are carried over unchanged, counted, and shown as kept in the report", async () => {
    const { done, report, text } = await dreamOver(partialReader());
    expect(done.status).toBe("completed");
    expect(text).toContain("The staging cluster lives in Frankfurt.");
    expect(text).toContain("Deploys need two approvals from the payments team.");
    expect(report?.stats.carriedLines).toBe(1);
    expect(report?.notices.some((notice) => notice.includes("carried over unchanged"))).toBe(true);
    const fates = report?.inputs.flatMap((input) => input.facts.map((fact) => [fact.statement, fact.fate]));
    expect(fates).toContainEqual(["Deploys need two approvals from the payments team.", "kept"]);
  });

  it("a citation with a wrong memory id but an exact quote is pointed at the memory it quotes", async () => {
    const { report, text } = await dreamOver(partialReader("mem_does_not_exist"));
    expect(text).toContain("The staging cluster lives in Frankfurt.");
    expect(report?.dropped.some((fact) => /no valid evidence/.test(fact.reason))).toBe(false);
    expect(report?.stats.carriedLines).toBe(1);
  });
});
