import { performance } from "node:perf_hooks";
import { type ConsolidationReport, createTiktokenTokenizer, DREAM_DEFAULTS } from "@nocturne/core";
import { renderTranscript } from "@nocturne/core/internals";
import { createMatcher } from "../metrics/match.js";
import { generateCodingScenario } from "../scenario/coding.js";
import type { GroundTruth } from "../scenario/ground-truth.js";
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

/** One dream of the coding job: its tool-result budget, what it left out, and how many tool-only facts it kept. */
export interface CodingRun {
  toolResultTokens: number;
  toolResultsDeduplicated: number;
  toolResultsCut: number;
  toolTokensElided: number;
  /** Subjects stated only in a tool result whose value is in the output, of `toolOnlySubjects`. */
  toolOnlyRecalled: number;
  /** Subjects the user states (and a long log's middle repeats) whose value is in the output. */
  loggedRecalled: number;
}

/** What the coding job adds to a job result. */
export interface CodingResult {
  /** Share of transcript tokens in tool results, as the engine renders them. */
  toolShare: number;
  toolOnlySubjects: number;
  loggedSubjects: number;
  /** One per run, in the order of `runs`. */
  runs: CodingRun[];
}

/** How many of `keys` have their current value stated by a fact the report says was written. */
function recalled(truth: GroundTruth, report: ConsolidationReport, keys: readonly string[]): number {
  const matcher = createMatcher(truth);
  const found = new Set<string>();
  for (const output of report.outputs) {
    for (const fact of output.facts) {
      for (const match of matcher.classify(fact.statement, output.path)) {
        if (match.type === "value" && truth.subjects.get(match.subjectKey)?.current === match.value) {
          found.add(match.subjectKey);
        }
      }
    }
  }
  return keys.filter((key) => found.has(key)).length;
}

/**
 * Runs the coding job: generates the coding scenario, then dreams it twice over the same inputs — with the engine's
 * default tool-result budget, and with tool output read in full (`toolResultTokens: 0`) — and measures both.
 */
export async function runCodingJob(input: DreamJob): Promise<DreamJobResult> {
  const job = DreamJob.parse(input);
  const tokenizer = createTiktokenTokenizer();
  const started = performance.now();
  const coding = generateCodingScenario({
    seed: job.seed,
    sessions: job.sessions,
    tokensPerSession: job.tokensPerSession,
    startAt: SCENARIO_START,
    countTokens: (text) => tokenizer.count(text),
  });
  const generateMs = performance.now() - started;
  const { scenario } = coding;
  let toolTokens = 0;
  let allTokens = 0;
  for (const session of scenario.sessions) {
    for (const line of renderTranscript(session)) {
      const tokens = tokenizer.count(line.text);
      allTokens += tokens;
      if (line.role === "tool") toolTokens += tokens;
    }
  }
  const seeded = await seedStorage(scenario);
  const options = runOptionsOf(job, tokenizer);
  const runs: RunSummary[] = [];
  const codingRuns: CodingRun[] = [];
  for (const toolResultTokens of [DREAM_DEFAULTS.toolResultTokens, 0]) {
    const engine = createBenchEngine(scenario, seeded.storage, { ...options, toolResultTokens });
    const run = await runDream(engine, seeded);
    runs.push(summarize(run, scenario, seeded.sessionIds, job.quality, null, engine.meter));
    codingRuns.push({
      toolResultTokens,
      toolResultsDeduplicated: run.report.stats.toolResultsDeduplicated ?? 0,
      toolResultsCut: run.report.stats.toolResultsCut ?? 0,
      toolTokensElided: run.report.stats.toolTokensElided ?? 0,
      toolOnlyRecalled: recalled(scenario.truth, run.report, coding.toolOnlySubjects),
      loggedRecalled: recalled(scenario.truth, run.report, coding.loggedSubjects),
    });
  }
  return {
    job,
    transcriptTokens: transcriptTokensOf(scenario, tokenizer),
    generateMs,
    runs,
    repeat: null,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    coding: {
      toolShare: allTokens > 0 ? toolTokens / allTokens : 0,
      toolOnlySubjects: coding.toolOnlySubjects.length,
      loggedSubjects: coding.loggedSubjects.length,
      runs: codingRuns,
    },
  };
}
