import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createNocturne, readAllMemories, sha256 } from "@nocturne/core";
import { createScriptedLanguageModel } from "@nocturne/testing";
import { afterAll, describe, expect, it } from "vitest";
import { seededRandom } from "../security/fixtures/seeded-random.js";
import { fingerprintInputs } from "../security/fixtures/store-fingerprint.js";
import { type ChildConfig, openBackend } from "./support/dream-child.js";
import { honestReply } from "./support/faulty-model.js";
import { generateInputs, loadInputs } from "./support/generated-inputs.js";

const SEED = 424242;
/** Each run starts a Node process that loads the sources through tsx (seconds), so CI runs a few; the flag runs many. */
const RUNS = process.env.NOCTURNE_LONG === "1" ? 40 : 2;
const CHILD = fileURLToPath(new URL("./support/dream-child.ts", import.meta.url));
const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "nocturne-crash-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the child dream and SIGKILLs it once it has printed `killAfterLines` lines (plus a short delay). */
function runAndKill(
  config: ChildConfig,
  killAfterLines: number,
  delayMs: number,
): Promise<{ lines: string[]; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=@nocturne/source", CHILD, JSON.stringify(config)],
      {
        cwd: REPO,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const lines: string[] = [];
    let buffered = "";
    let stderr = "";
    let killed = false;
    const kill = () => {
      if (killed) return;
      killed = true;
      setTimeout(() => child.kill("SIGKILL"), delayMs);
    };
    if (killAfterLines === 0) kill();
    child.stdout.on("data", (data: Buffer) => {
      buffered += data.toString("utf8");
      const parts = buffered.split("\n");
      buffered = parts.pop() ?? "";
      lines.push(...parts);
      if (lines.length >= killAfterLines) kill();
    });
    child.stderr.on("data", (data: Buffer) => {
      stderr += data.toString("utf8");
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL" || code === 0) resolve({ lines, killed: signal === "SIGKILL" });
      else reject(new Error(`dream child exited with ${code}: ${stderr}`));
    });
  });
}

describe.each(["fs", "sqlite"] as const)("SIGKILL at random points (%s adapter)", (backend) => {
  it(
    `${RUNS} killed runs: input unchanged, output whole, dream failed on recover`,
    async () => {
      const random = seededRandom(SEED + (backend === "fs" ? 1 : 2));
      const tally = { runs: 0, killed: 0, recoveredFailed: 0, completedBeforeKill: 0, noDream: 0 };
      for (let run = 0; run < RUNS; run++) {
        const location = join(scratch, `${backend}-${run}${backend === "sqlite" ? ".db" : ""}`);
        const setup = openBackend(backend, location);
        const inputs = await loadInputs(
          setup,
          generateInputs(SEED + run, { sessions: 6, memories: 5, minEvents: 6, maxEvents: 12 }),
        );
        const before = await fingerprintInputs(setup, inputs.storeId, inputs.sessionIds);
        await setup.close?.();

        // The first run's model answers after ten minutes, so the kill surely lands mid-dream; the others land at random points.
        const midDream = run === 0;
        const killAfter = midDream ? 1 : random.int(0, 30);
        const { killed } = await runAndKill(
          {
            backend,
            location,
            storeId: inputs.storeId,
            sessionIds: inputs.sessionIds,
            latencyMs: midDream ? 600_000 : 15,
          },
          killAfter,
          random.int(0, 25),
        );
        tally.runs++;
        if (killed) tally.killed++;

        const storage = openBackend(backend, location);
        const engine = createNocturne({ storage, model: createScriptedLanguageModel({ script: honestReply }) });
        const recovered = await engine.recover();
        expect(await fingerprintInputs(storage, inputs.storeId, inputs.sessionIds)).toBe(before);
        const dreams = (await engine.dreams.list({ include_archived: true })).data;
        expect(dreams.length).toBeLessThanOrEqual(1);
        const dream = dreams[0];
        if (dream === undefined) {
          tally.noDream++;
        } else if (dream.status === "completed") {
          tally.completedBeforeKill++;
        } else {
          expect(dream.status).toBe("failed");
          expect(dream.error?.type).toBe("internal_error");
          expect(dream.error?.message).toMatch(/stopped before it finished/);
          expect(recovered.map((entry) => entry.id)).toEqual([dream.id]);
          tally.recoveredFailed++;
        }
        const outputId = dream?.outputs[0]?.memory_store_id;
        if (outputId !== undefined) {
          for (const memory of await readAllMemories(storage, outputId)) {
            expect(memory.content_sha256).toBe(sha256(memory.content));
            expect(memory.content.startsWith("# ")).toBe(true);
            expect(memory.content.endsWith("\n")).toBe(true);
          }
          await storage.archiveMemoryStore(outputId);
        }
        expect(await engine.recover()).toEqual([]);
        await engine.close();
      }
      expect(tally.runs).toBe(RUNS);
      expect(tally.recoveredFailed + tally.completedBeforeKill + tally.noDream).toBe(RUNS);
      expect(tally.recoveredFailed).toBeGreaterThan(0);
      if (process.env.NOCTURNE_LONG === "1") console.info(`crash runs (${backend}): ${JSON.stringify(tally)}`);
    },
    60_000 + RUNS * 30_000,
  );
});
