import { createOfflineConsolidationModel } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { callContext, userChunk } from "./support.js";

const model = createOfflineConsolidationModel();

async function kindsOf(text: string): Promise<string[]> {
  const facts = await model.extract({ type: "transcript", chunk: userChunk("sesn_x", [text]) }, callContext());
  return facts.map((fact) => fact.kind);
}

/** One-off debugging notes a user writes: each must come out as one transient fact. */
const TRANSIENT = [
  "today the build failed because the cache was stale",
  "2026-03-02: restarted the flaky runner",
  "temporarily disable the e2e tests until the fix lands",
  "For now, skip the snapshot tests.",
  "The tests are flaky again today, CI timed out twice.",
  "integration tests are failing again with ECONNREFUSED 127.0.0.1:5433",
  "CI integration job fails: connect ECONNREFUSED 127.0.0.1:5433.",
  "Yesterday the deploy crashed with exit code 137.",
  "This morning I rolled back the release after the 500s.",
  "Remember that for now we pin Node 18 until the upgrade PR is merged.",
  "TypeError: Cannot read properties of undefined (reading 'map')",
];

/** Statements that mention failures or dates but are lasting, or are not notes at all. */
const NOT_TRANSIENT: Array<[string, string[]]> = [
  ["Remember that the build fails if NODE_ENV is unset.", ["fact"]],
  ["Today I moved to Lisbon.", ["fact"]],
  ["Remember that money amounts are integer cents, not even temporarily floats.", ["fact"]],
  ["Never merge with failing tests.", ["procedure"]],
  ["The bug is in the parser, can you look?", []],
];

describe("offline model: transient notes", () => {
  it.each(TRANSIENT)("%j is transient", async (text) => {
    expect(await kindsOf(text)).toEqual(["transient"]);
  });

  it.each(NOT_TRANSIENT)("%j is not transient", async (text, kinds) => {
    expect(await kindsOf(text)).toEqual(kinds);
  });

  it("turns a pasted stack trace into one transient fact citing its headline", async () => {
    const text = [
      "the worker crashes on start:",
      "TypeError: Cannot read properties of undefined (reading 'id')",
      "    at loadTenant (/srv/app/src/tenants.ts:41:17)",
      "    at async main (/srv/app/src/main.ts:12:3)",
    ].join("\n");
    const facts = await model.extract({ type: "transcript", chunk: userChunk("sesn_x", [text]) }, callContext());
    expect(facts).toHaveLength(1);
    expect(facts[0]).toMatchObject({
      kind: "transient",
      topic: "debugging",
      statement: "TypeError: Cannot read properties of undefined (reading 'id').",
      evidence: [{ event_id: "sesn_x_e0", quote: "TypeError: Cannot read properties of undefined (reading 'id')" }],
    });
    expect(facts[0]?.key).toMatch(/^transient\./);
  });

  it("keeps the time words of a transient note, which say when it happened", async () => {
    const facts = await model.extract(
      { type: "transcript", chunk: userChunk("sesn_x", ["Yesterday the deploy crashed with exit code 137."]) },
      callContext(),
    );
    expect(facts[0]?.statement).toBe("Yesterday the deploy crashed with exit code 137.");
  });
});
