import { performance } from "node:perf_hooks";
import { createTiktokenTokenizer, type Memory } from "@nocturne/core";
import { claimAgreement, claimDifference, currentClaims } from "../metrics/agreement.js";
import { generateFamily } from "../scenario/families/index.js";
import {
  DreamJob,
  type DreamJobResult,
  type RunSummary,
  runOptionsOf,
  SCENARIO_START,
  summarize,
  transcriptTokensOf,
} from "./dream-job.js";
import { createBenchEngine, runDream, seedStorage } from "./run-dream.js";

/**
 * Runs a resolution-family job: generates the family, dreams its chain (each dream over the previous dream's
 * output), measures the last dream against every session of the chain and, when the family asks, dreams all its
 * sessions in one dream too and compares the two outputs' current values.
 */
export async function runFamilyJob(input: DreamJob): Promise<DreamJobResult> {
  const job = DreamJob.parse(input);
  if (!job.family) throw new Error(`job ${job.label} names no family`);
  const tokenizer = createTiktokenTokenizer();
  const started = performance.now();
  const family = generateFamily(job.family, {
    seed: job.seed,
    tokensPerSession: job.tokensPerSession,
    startAt: SCENARIO_START,
    countTokens: (text) => tokenizer.count(text),
  });
  const generateMs = performance.now() - started;
  const { scenario } = family;
  const seeded = await seedStorage(scenario);
  const options = runOptionsOf(job, tokenizer);

  const allSessions = family.chain.flat();
  const inputMemories: Memory[] = [];
  let storeId = seeded.storeId;
  let last: RunSummary | null = null;
  let lastOutput: Memory[] = [];
  for (const sessionIds of family.chain) {
    const engine = createBenchEngine(scenario, seeded.storage, options);
    const run = await runDream(engine, { storeId, sessionIds });
    inputMemories.push(...run.inputMemories);
    storeId = run.outputStoreId;
    lastOutput = run.outputMemories;
    last = summarize(run, scenario, allSessions, job.quality, null, engine.meter, inputMemories);
  }
  if (!last) throw new Error(`family ${job.family} has no dreams`);

  let single: RunSummary | null = null;
  let agreement: number | null = null;
  let onlyChain: string[] = [];
  let onlySingle: string[] = [];
  if (family.compareSingle) {
    const engine = createBenchEngine(scenario, seeded.storage, options);
    const run = await runDream(engine, { storeId: seeded.storeId, sessionIds: allSessions });
    single = summarize(run, scenario, allSessions, job.quality, null, engine.meter);
    const chained = currentClaims(scenario.truth, lastOutput);
    const once = currentClaims(scenario.truth, run.outputMemories);
    agreement = claimAgreement(chained, once);
    onlyChain = claimDifference(chained, once).slice(0, 5);
    onlySingle = claimDifference(once, chained).slice(0, 5);
  }
  return {
    job,
    transcriptTokens: transcriptTokensOf(scenario, tokenizer),
    generateMs,
    runs: [last],
    repeat: null,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    family: {
      description: family.description,
      dreams: family.chain.length,
      agreement,
      onlyChain,
      onlySingle,
      single,
    },
  };
}
