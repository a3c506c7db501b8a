import { createInMemoryAdapter } from "@nocturne/core";
import { createScriptedLanguageModel, scripted } from "@nocturne/testing";
import { describe, expect, it } from "vitest";
import { fingerprintInputs } from "../security/fixtures/store-fingerprint.js";
import { createFaultyModel, honestReply, MODEL_FAULTS, type ModelFault } from "./support/faulty-model.js";
import { generateInputs, loadInputs } from "./support/generated-inputs.js";
import { expectConsistentOutput, runDream } from "./support/run-dream.js";

const SEED = 20260301;

async function setUp(sessions: number) {
  const storage = createInMemoryAdapter();
  const inputs = await loadInputs(storage, generateInputs(SEED, { sessions, memories: 10 }));
  return { storage, inputs, before: await fingerprintInputs(storage, inputs.storeId, inputs.sessionIds) };
}

describe("model faults", () => {
  it("completes a 100-session dream with 20% of model calls failing, with the same output as a clean run", async () => {
    // A small chunk budget keeps these short sessions in many calls (the default packs them into a few).
    const options = { chunkTokens: 150 };
    const clean = await setUp(100);
    const cleanModel = createScriptedLanguageModel({ script: honestReply });
    const cleanRun = await runDream(clean.storage, cleanModel, clean.inputs, options);
    expect(cleanRun.dream.status).toBe("completed");

    const faulty = await setUp(100);
    const model = createFaultyModel({ seed: SEED, rate: 0.2 });
    const { dream, output } = await runDream(faulty.storage, model, faulty.inputs, options);

    expect(dream.status, JSON.stringify(dream.error)).toBe("completed");
    const injected = Object.values(model.tally.faults).reduce((sum, n) => sum + n, 0);
    expect(injected).toBeGreaterThanOrEqual(20);
    for (const fault of MODEL_FAULTS) expect(model.tally.faults[fault], fault).toBeGreaterThan(0);
    expect(output.length).toBeGreaterThan(0);
    // Memories may name the dream that wrote them; apart from that the output must be the clean run's bytes.
    const bytes = (memories: typeof output) =>
      memories.map((memory) => [memory.path, memory.content.replace(/drm_[0-9a-z]+/g, "drm_…")]);
    expect(bytes(output)).toEqual(bytes(cleanRun.output));
    expect(await fingerprintInputs(faulty.storage, faulty.inputs.storeId, faulty.inputs.sessionIds)).toBe(
      faulty.before,
    );
    await expectConsistentOutput(faulty.storage, dream, output);
  });

  const total: Array<[string, readonly ModelFault[] | "auth", string]> = [
    ["429 rate limits", ["rate_limited"], "model_error"],
    ["529 overloads", ["overloaded"], "model_error"],
    ["500 server errors", ["server_error"], "model_error"],
    ["timeouts", ["timeout"], "model_error"],
    ["truncated output", ["truncated"], "model_output_invalid"],
    ["schema-violating output", ["schema_violation"], "model_output_invalid"],
    ["a rejected API key", "auth", "model_error"],
  ];

  it.each(total)("fails with the right error type when every call fails: %s", async (_name, faults, type) => {
    const { storage, inputs, before } = await setUp(10);
    const model =
      faults === "auth"
        ? createScriptedLanguageModel({
            script: () => {
              throw scripted.authFailed();
            },
          })
        : createFaultyModel({ seed: SEED, rate: 1, faults });
    const { dream, output } = await runDream(storage, model, inputs);
    expect(dream.status).toBe("failed");
    expect(dream.error?.type).toBe(type);
    expect(dream.error?.message).toMatch(/model|output/i);
    expect(dream.error?.message).toMatch(/check|retry|try a|start a new dream/i);
    expect(await fingerprintInputs(storage, inputs.storeId, inputs.sessionIds)).toBe(before);
    const record = await storage.getDreamRecord(dream.id);
    expect(record?.report?.status).toBe("failed");
    expect(record?.report?.error).toEqual(dream.error);
    await expectConsistentOutput(storage, dream, output);
  });
});
