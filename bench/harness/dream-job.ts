import { performance } from "node:perf_hooks";
import { createTiktokenTokenizer, type Tokenizer, type Usage } from "@nocturne/core";
import { renderTranscript } from "@nocturne/core/internals";
import { z } from "zod";
import { measureQuality, type QualityMetrics } from "../metrics/quality.js";
import type { CallMeter } from "../models/call-meter.js";
import { EXTRACTOR_PROFILES, type NoiseProfile, PERFECT } from "../models/noise-profile.js";
import { FamilyName } from "../scenario/families/index.js";
import { generateScenario } from "../scenario/generate.js";
import type { Scenario } from "../scenario/ground-truth.js";
import type { CodingResult } from "./coding-job.js";
import type { OfflineResult } from "./offline-job.js";
import { createBenchEngine, type DreamRun, type DreamRunOptions, runDream, seedStorage } from "./run-dream.js";
import type { ServerLoadResult } from "./server-job.js";

/** Sessions start here: after the input store is written (the engine dates memory facts by their write time). */
export const SCENARIO_START = "2099-01-05T09:00:00.000Z";

/** A server load job: concurrent SDK clients, each in its own workspace, against one `nocturne serve`. */
export const ServerLoad = z.object({
  clients: z.number().int().min(1).max(500),
  storage: z.enum(["sqlite", "postgres"]),
  /** Dreams each client creates one after another, polling each to its end. Default 1. */
  dreamsPerClient: z.number().int().min(1).optional(),
  /** Pause between two retrieves of one dream, in ms. Default 100. */
  pollMs: z.number().int().min(1).optional(),
});

/** One benchmark job, run in its own process so its peak memory is its own. */
export const DreamJob = z.object({
  label: z.string(),
  seed: z.union([z.number(), z.string()]).default(1),
  sessions: z.number().int().min(1).max(100),
  tokensPerSession: z.number().int().min(0).max(100_000),
  memories: z.number().int().min(0).max(20_000),
  extractor: z.enum(["perfect", "noisy", "reworded", "eager-judge"]),
  /**
   * Run a resolution family (`bench/scenario/families/`) instead of the generated scale scenario; `sessions` and
   * `memories` are then the family's own, and `tokensPerSession` sizes its transcripts.
   */
  family: FamilyName.optional(),
  /** Run once per concurrency (fresh engine, same inputs). Empty: the engine's default. */
  concurrency: z.array(z.number().int().min(1)).default([]),
  latencyMs: z.number().nonnegative().optional(),
  /** Engine chunk budget; default: the engine's. */
  chunkTokens: z.number().int().min(100).optional(),
  /** After the first dream, dream again over its output store with the same sessions. */
  repeat: z.boolean().default(false),
  quality: z.boolean().default(true),
  /** Replace the noisy profile's rates with these (for ablations). */
  noise: z.record(z.string(), z.number()).optional(),
  /**
   * Run the coding scenario (`bench/scenario/coding.ts`) instead of the generated scale scenario, once with the
   * engine's default tool-result budget and once reading tool output in full; `memories` is not read.
   */
  coding: z.boolean().default(false),
  /** Dream with the offline rule-based model (no replay, no quality figures): time, event-loop delay, cancels. */
  offline: z.boolean().default(false),
  /** With `offline`: also cancel dreams half-way through several stages and measure how fast they stop. */
  cancels: z.boolean().default(false),
  /**
   * Not a dream of its own: concurrent SDK clients against one `nocturne serve` (see `server-job.ts`), creating
   * and polling offline dreams.
   */
  server: ServerLoad.optional(),
});
export type DreamJob = z.input<typeof DreamJob>;

/** One dream of a job, measured. */
export interface RunSummary {
  concurrency: number | null;
  wallMs: number;
  engineMs: number;
  engineCpuMs: number;
  stageMs: DreamRun["stageMs"];
  /** Dedupe stage minus the replay's own time answering judge calls. */
  dedupeEngineMs: number | null;
  usage: Usage;
  /** Usage per model task (`record_facts`, `record_verdicts`, `record_insights`). */
  usageByTask: Record<string, Usage>;
  calls: Record<string, number>;
  totalCalls: number;
  maxInFlight: number;
  chunks: number;
  candidateFacts: number;
  judgeCalls: number;
  skippedSessions: number;
  outputMemories: number;
  quality: Omit<QualityMetrics, "examples"> | null;
  examples: QualityMetrics["examples"] | null;
}

/** What a family job adds: how many dreams its chain took and, for the chained family, the one-dream comparison. */
export interface FamilyResult {
  description: string;
  dreams: number;
  /** Jaccard agreement of the chain's and the single dream's current values (1 = identical); null if not compared. */
  agreement: number | null;
  /** Current values only the chain's output states, and only the single dream's (a few, for reading). */
  onlyChain: string[];
  onlySingle: string[];
  /** The single dream over every session, measured like the chain's last dream. */
  single: RunSummary | null;
}

/** What a job reports back. */
export interface DreamJobResult {
  job: z.infer<typeof DreamJob>;
  transcriptTokens: number;
  generateMs: number;
  /** For a family job: the chain's last dream, measured against every session of the chain. */
  runs: RunSummary[];
  repeat: RunSummary | null;
  peakRssMb: number;
  family?: FamilyResult;
  offline?: OfflineResult;
  server?: ServerLoadResult;
  coding?: CodingResult;
}

/** Tokens of every transcript line exactly as the engine reads them. */
export function transcriptTokensOf(scenario: Scenario, tokenizer: Tokenizer): number {
  let total = 0;
  for (const session of scenario.sessions) {
    for (const line of renderTranscript(session)) total += tokenizer.count(line.text);
  }
  return total;
}

/** The noise profile a job's replay uses: its extractor's, or only the ablation's rates. */
export function profileOf(job: z.infer<typeof DreamJob>): NoiseProfile {
  return job.noise ? { ...PERFECT, ...job.noise } : EXTRACTOR_PROFILES[job.extractor];
}

/** How a job's dreams run: its extractor and noise, seed, latency and chunk budget. */
export function runOptionsOf(job: z.infer<typeof DreamJob>, tokenizer: Tokenizer): DreamRunOptions {
  return {
    extractor: job.extractor,
    profile: profileOf(job),
    tokenizer,
    seed: job.seed,
    ...(job.latencyMs === undefined ? {} : { latency: { latencyMs: job.latencyMs } }),
    ...(job.chunkTokens === undefined ? {} : { chunkTokens: job.chunkTokens }),
  };
}

/** A job's scenario, generated from its seed and sizes, and how long generating it took. */
export function scenarioOf(
  job: z.infer<typeof DreamJob>,
  tokenizer: Tokenizer,
): { scenario: Scenario; generateMs: number } {
  const started = performance.now();
  const scenario = generateScenario({
    seed: job.seed,
    sessions: job.sessions,
    tokensPerSession: job.tokensPerSession,
    memories: job.memories,
    startAt: SCENARIO_START,
    countTokens: (text) => tokenizer.count(text),
  });
  const generateMs = performance.now() - started;
  return { scenario, generateMs };
}

/** Runs a job: generate, seed, dream (per concurrency, then optionally again over the output), measure. */
export async function runDreamJob(input: DreamJob): Promise<DreamJobResult> {
  const job = DreamJob.parse(input);
  const tokenizer = createTiktokenTokenizer();
  const { scenario, generateMs } = scenarioOf(job, tokenizer);
  const transcriptTokens = transcriptTokensOf(scenario, tokenizer);
  const seeded = await seedStorage(scenario);
  const options = runOptionsOf(job, tokenizer);

  const runs: RunSummary[] = [];
  let lastOutput: string | null = null;
  for (const concurrency of job.concurrency.length > 0 ? job.concurrency : [undefined]) {
    const engine = createBenchEngine(scenario, seeded.storage, {
      ...options,
      ...(concurrency === undefined ? {} : { concurrency }),
    });
    const run = await runDream(engine, seeded);
    runs.push(summarize(run, scenario, seeded.sessionIds, job.quality, concurrency ?? null, engine.meter));
    lastOutput = run.outputStoreId;
  }

  let repeat: RunSummary | null = null;
  if (job.repeat && lastOutput) {
    const engine = createBenchEngine(scenario, seeded.storage, options);
    const run = await runDream(engine, { storeId: lastOutput, sessionIds: seeded.sessionIds });
    repeat = summarize(run, scenario, seeded.sessionIds, job.quality, null, engine.meter);
  }
  return { job, transcriptTokens, generateMs, runs, repeat, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

/**
 * Measures one dream. Quality counts `sessionIds` as the dream's inputs (with the input store) and checks memory
 * evidence against `inputMemories` (default: the dream's own input store).
 */
export function summarize(
  run: DreamRun,
  scenario: Scenario,
  sessionIds: string[],
  quality: boolean,
  concurrency: number | null,
  meter: CallMeter,
  inputMemories: DreamRun["inputMemories"] = run.inputMemories,
): RunSummary {
  const selfMsByTask = meter.selfMsByTask;
  const metrics = quality
    ? measureQuality({
        truth: scenario.truth,
        sessionIds,
        inputMemories,
        report: run.report,
        outputMemories: run.outputMemories,
      })
    : null;
  const judgeSelf = (selfMsByTask.record_verdicts ?? 0) + (selfMsByTask.judge ?? 0);
  const { examples, ...figures } = metrics ?? { examples: null };
  return {
    concurrency,
    wallMs: run.wallMs,
    engineMs: run.engineMs,
    engineCpuMs: run.engineCpuMs,
    stageMs: run.stageMs,
    dedupeEngineMs: run.stageMs.dedupe === undefined ? null : Math.max(0, run.stageMs.dedupe - judgeSelf),
    usage: run.usage,
    usageByTask: structuredClone(meter.usageByTask),
    calls: run.calls,
    totalCalls: run.totalCalls,
    maxInFlight: run.maxInFlight,
    chunks: run.report.stats.chunks,
    candidateFacts: run.report.stats.candidateFacts,
    judgeCalls: run.report.stats.judgeCalls,
    skippedSessions: run.report.sessions.filter((session) => session.skipped).length,
    outputMemories: run.outputMemories.length,
    quality: metrics ? (figures as Omit<QualityMetrics, "examples">) : null,
    examples,
  };
}
