import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderBlock, syncDocFigures } from "../harness/doc-figures.js";

const ROOT = join(import.meta.dirname, "..", "..");

describe("figures quoted in docs/performance.md", () => {
  it("are exactly what the committed bench JSON files give (regenerate with bench/doc-figures.ts --write)", async () => {
    const stale = await syncDocFigures(ROOT, "docs/performance.md", false);
    expect(stale.map((block) => block.file)).toEqual([]);
  });

  it("would be reported stale after a figure changes", () => {
    const json = (value: number) =>
      JSON.stringify({
        generated_at: "2026-12-01T12:00:00.000Z",
        figures: [{ name: "f", value, unit: "ms", scenario: "s", meets_goal: null }],
      });
    expect(renderBlock("x.json", json(1))).not.toBe(renderBlock("x.json", json(2)));
    expect(renderBlock("x.json", json(1))).toContain("| `f` | 1.00 ms |");
    expect(renderBlock("x.json", json(1), "coding.")).not.toContain("`f`");
  });
});
