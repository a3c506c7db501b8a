import { describe, expect, it } from "vitest";
import { runExample } from "../run-example.js";

describe("the self-hosted agent loop example", () => {
  it("records sessions, dreams every four, reviews each report and adopts or keeps the memory", async () => {
    const result = await runExample("examples/agent-loop/agent-loop.ts", []);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(result.stdout.match(/^session /gm)).toHaveLength(12);
    expect(result.stdout.match(/^dreaming over 4 sessions$/gm)).toHaveLength(3);
    const decisions = result.stdout.match(/^ {2}(adopted|kept) memstore_\w+/gm) ?? [];
    expect(decisions).toHaveLength(3);
    expect(result.stdout).toMatch(/"status":"completed"/);
    expect(result.stdout).toContain("The agent's memory now");
  });
});
