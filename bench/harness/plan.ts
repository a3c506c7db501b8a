import { FamilyName } from "../scenario/families/index.js";
import type { CodingResult } from "./coding-job.js";
import type { DreamJob, DreamJobResult, RunSummary } from "./dream-job.js";
import { type Figure, figure, growthExponent } from "./figures.js";

/** The jobs of a run, by role. */
export interface BenchPlan {
  scale: DreamJob;
  noisy: DreamJob;
  /** The scale scenario under the other noisy extractors (`reworded`, `eager-judge`). */
  profiles: DreamJob[];
  /** One job per resolution family, with the perfect extractor. */
  families: DreamJob[];
  wall: DreamJob;
  /** Many short sessions (50 × 4k tokens): model calls per session, which packing sessions keeps low. */
  smallSessions: DreamJob;
  /** Coding sessions, mostly tool output: model tokens per transcript token, and facts only a tool result states. */
  coding: DreamJob;
  sweep: DreamJob | null;
  sessionsGrowth: DreamJob[];
  memoriesGrowth: DreamJob[];
  ablation: DreamJob[];
  /** Offline-model dreams of growing size (about 2k, 5k and 20k facts); the largest also measures cancels. */
  offline: DreamJob[];
  /** `nocturne serve` under concurrent SDK clients creating and polling dreams, on SQLite and on PostgreSQL. */
  server: DreamJob[];
}

const ABLATION_COMPONENTS = [
  "keyParaphrase",
  "statementParaphrase",
  "split",
  "merge",
  "badEvidence",
  "kindError",
  "historyMisread",
  "judgeError",
] as const;

/** The full plan (under 10 minutes on 2 cores) or the quick one (under a minute). */
export function benchPlan(quick: boolean): BenchPlan {
  const big = quick
    ? { sessions: 10, tokensPerSession: 5_000, memories: 300 }
    : { sessions: 100, tokensPerSession: 20_000, memories: 1_000 };
  return {
    scale: { label: "scale-perfect", ...big, extractor: "perfect", repeat: true },
    noisy: { label: "scale-noisy", ...big, extractor: "noisy" },
    profiles: (["reworded", "eager-judge"] as const).map((extractor) => ({
      label: `scale-${extractor}`,
      ...big,
      extractor,
    })),
    families: FamilyName.options.map((family) => ({
      label: `family-${family}`,
      family,
      // A family sets its own sessions and memories; these two are not read.
      sessions: 1,
      memories: 0,
      tokensPerSession: 2_000,
      extractor: "perfect" as const,
    })),
    wall: {
      label: "wall-c8",
      ...big,
      extractor: "perfect",
      latencyMs: quick ? 200 : 2_000,
      concurrency: [8],
      quality: false,
    },
    smallSessions: {
      label: "small-sessions",
      sessions: 50,
      tokensPerSession: 4_000,
      memories: 300,
      extractor: "perfect",
    },
    coding: {
      label: "coding",
      sessions: quick ? 3 : 10,
      tokensPerSession: 24_000,
      memories: 0,
      extractor: "perfect",
      coding: true,
    },
    sweep: quick
      ? null
      : { label: "sweep", ...big, extractor: "perfect", latencyMs: 50, concurrency: [1, 4, 8, 16], quality: false },
    sessionsGrowth: (quick ? [1, 5] : [1, 10, 50]).map((sessions) => ({
      label: `sessions-${sessions}`,
      ...big,
      sessions,
      extractor: "perfect" as const,
      quality: false,
    })),
    memoriesGrowth: (quick ? [100, 300, 1_000] : [100, 1_000, 3_000, 10_000]).map((memories) => ({
      label: `memories-${memories}`,
      sessions: 1,
      tokensPerSession: quick ? 2_000 : 20_000,
      memories,
      extractor: "perfect" as const,
    })),
    offline: (quick ? OFFLINE_QUICK : OFFLINE_FULL).map((size, index, sizes) => ({
      label: `offline-${size.facts}-facts`,
      sessions: size.sessions,
      tokensPerSession: 4_000,
      memories: size.memories,
      extractor: "perfect" as const,
      quality: false,
      offline: true,
      cancels: index === sizes.length - 1,
    })),
    server: (["sqlite", "postgres"] as const).map((storage) => {
      const clients = quick ? 10 : 50;
      return {
        label: `server-${storage}-${clients}`,
        // A server job dreams its own small inputs; these are not read.
        sessions: 1,
        tokensPerSession: 0,
        memories: 0,
        extractor: "perfect" as const,
        quality: false,
        server: { clients, storage },
      };
    }),
    ablation: quick
      ? []
      : ABLATION_COMPONENTS.map((component) => ({
          label: `ablation-${component}`,
          sessions: 20,
          tokensPerSession: 4_000,
          memories: 300,
          extractor: "noisy" as const,
          noise: { [component]: noisyRate(component) },
        })),
  };
}

/** Offline dream sizes: memories (about 1.2 facts each) and sessions grow together; `facts` names the job. */
const OFFLINE_FULL = [
  { facts: "2k", memories: 1_600, sessions: 10 },
  { facts: "5k", memories: 4_000, sessions: 25 },
  { facts: "20k", memories: 16_000, sessions: 100 },
];
const OFFLINE_QUICK = [
  { facts: "0.5k", memories: 400, sessions: 3 },
  { facts: "1k", memories: 800, sessions: 5 },
  { facts: "2k", memories: 1_600, sessions: 10 },
];

const NOISY_RATES: Record<(typeof ABLATION_COMPONENTS)[number], number> = {
  keyParaphrase: 0.3,
  statementParaphrase: 0.5,
  split: 0.05,
  merge: 0.05,
  badEvidence: 0.05,
  kindError: 0.03,
  historyMisread: 0.3,
  judgeError: 0.05,
};

function noisyRate(component: (typeof ABLATION_COMPONENTS)[number]): number {
  return NOISY_RATES[component];
}

/** Every job of a plan, in the order they run. */
export function planJobs(plan: BenchPlan): DreamJob[] {
  return [
    plan.scale,
    plan.noisy,
    ...plan.profiles,
    ...plan.families,
    ...plan.memoriesGrowth,
    ...plan.sessionsGrowth,
    ...(plan.sweep ? [plan.sweep] : []),
    plan.wall,
    plan.smallSessions,
    plan.coding,
    ...plan.ablation,
    ...plan.offline,
    ...plan.server,
  ];
}

function describe(job: DreamJob, extra = ""): string {
  const tokens = `${Math.round(job.tokensPerSession / 1000)}k`;
  const latency = job.latencyMs === undefined ? "no latency" : `${job.latencyMs} ms/call`;
  const concurrency = job.concurrency?.length ? `c${job.concurrency.join("/")}` : "c4";
  return `${job.sessions} sessions × ${tokens} tokens, ${job.memories.toLocaleString("en-US")} memories, ${job.extractor} replay, ${latency}, ${concurrency}, seed ${job.seed ?? 1}${extra}`;
}

function totalTokens(run: RunSummary): number {
  const usage = run.usage;
  return usage.input_tokens + usage.output_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens;
}

type Results = Map<string, DreamJobResult>;

/** Turns job results into the figures `bench/results.json` holds. Missing jobs give null values. */
export function figuresOf(plan: BenchPlan, results: Results): Figure[] {
  const figures: Figure[] = [];
  const first = (job: DreamJob | null) => (job ? results.get(job.label)?.runs[0] : undefined);

  const scale = results.get(plan.scale.label);
  const scaleRun = scale?.runs[0];
  const sized = plan.scale.sessions === 100 ? "100_sessions" : `${plan.scale.sessions}_sessions`;
  const scaleScenario = describe(plan.scale);
  figures.push(
    figure({
      name: `engine_ms_${sized}`,
      value: scaleRun?.engineMs ?? null,
      unit: "ms",
      scenario: scaleScenario,
      goal: { op: "<", value: 10_000 },
      note: "dream wall time minus the replay model's own compute time (no model latency)",
    }),
    figure({
      name: `engine_cpu_ms_${sized}`,
      value: scaleRun?.engineCpuMs ?? null,
      unit: "ms",
      scenario: scaleScenario,
      goal: { op: "<", value: 10_000 },
      note: "process CPU time during the dream minus the replay model's CPU time: what engine_ms would be on an idle machine (includes GC and tiktoken threads)",
    }),
    figure({
      name: `peak_rss_mb_${sized}`,
      value: scale?.peakRssMb ?? null,
      unit: "MB",
      scenario: scaleScenario,
      goal: { op: "<", value: 500 },
      note: "max RSS of the job's process: scenario generation, in-memory storage, first and repeat dream",
    }),
  );
  if (scaleRun && scale) {
    const perToken = (value: number) => value / scale.transcriptTokens;
    const uncached = totalTokens(scaleRun) - scaleRun.usage.cache_read_input_tokens;
    figures.push(
      figure({
        name: "model_tokens_per_transcript_token",
        value: perToken(totalTokens(scaleRun)),
        unit: "ratio",
        scenario: scaleScenario,
        goal: { op: "<=", value: 1.2 },
        note: `all model tokens (input, output, cache writes and reads) over ${scale.transcriptTokens.toLocaleString("en-US")} transcript tokens`,
      }),
      figure({
        name: "model_tokens_per_transcript_token_uncached",
        value: perToken(uncached),
        unit: "ratio",
        scenario: scaleScenario,
        note: "the same without cache reads of the shared system prompt",
      }),
    );
    for (const [task, usage] of Object.entries(scaleRun.usageByTask)) {
      const sum =
        usage.input_tokens + usage.output_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens;
      figures.push(
        figure({
          name: `model_tokens_per_transcript_token.${task}`,
          value: perToken(sum),
          unit: "ratio",
          scenario: scaleScenario,
        }),
      );
    }
    figures.push(
      figure({ name: `model_calls_${sized}`, value: scaleRun.totalCalls, unit: "calls", scenario: scaleScenario }),
      figure({
        name: "model_calls_per_chunk",
        value: scaleRun.chunks > 0 ? scaleRun.totalCalls / scaleRun.chunks : null,
        unit: "ratio",
        scenario: scaleScenario,
        note: `${scaleRun.chunks} transcript chunks; calls: ${JSON.stringify(scaleRun.calls)}`,
      }),
    );
    for (const [stage, ms] of Object.entries(scaleRun.stageMs)) {
      figures.push(
        figure({
          name: `stage_ms.${stage}`,
          value: ms,
          unit: "ms",
          scenario: scaleScenario,
          note: "includes replay time",
        }),
      );
    }
  }

  const wall = first(plan.wall);
  figures.push(
    figure({
      name: `wall_s_${sized}_c8`,
      value: wall ? wall.wallMs / 1000 : null,
      unit: "s",
      scenario: describe(plan.wall),
      goal: { op: "<", value: 120 },
      note: wall ? `${wall.totalCalls} model calls, at most ${wall.maxInFlight} in flight` : undefined,
    }),
  );
  const small = first(plan.smallSessions);
  figures.push(
    figure({
      name: "model_calls_per_session",
      value: small ? small.totalCalls / plan.smallSessions.sessions : null,
      unit: "ratio",
      scenario: describe(plan.smallSessions),
      goal: { op: "<=", value: 1.2 },
      note: small
        ? `${small.totalCalls} calls ${JSON.stringify(small.calls)}, ${small.chunks} transcript chunks; recall ${small.quality?.currentFactRecall}, duplicates ${small.quality?.duplicateRate}, stale ${small.quality?.staleRate}`
        : undefined,
    }),
  );
  figures.push(...codingFigures(plan.coding, results.get(plan.coding.label)));
  const sweep = plan.sweep ? results.get(plan.sweep.label) : undefined;
  for (const run of sweep?.runs ?? []) {
    figures.push(
      figure({
        name: `wall_s_${sized}_c${run.concurrency}_latency_${plan.sweep?.latencyMs}ms`,
        value: run.wallMs / 1000,
        unit: "s",
        scenario: describe({ ...(plan.sweep as DreamJob), concurrency: [run.concurrency ?? 4] }),
        note: `${run.totalCalls} calls, at most ${run.maxInFlight} in flight`,
      }),
    );
  }

  const repeat = scale?.repeat;
  figures.push(
    figure({
      name: "repeat_dream_cost_ratio",
      value: repeat && scaleRun ? totalTokens(repeat) / totalTokens(scaleRun) : null,
      unit: "ratio",
      scenario: `${scaleScenario}; the same sessions dreamed again over the first dream's output`,
      goal: { op: "<=", value: 0.01 },
      note: repeat
        ? `${repeat.skippedSessions} of ${plan.scale.sessions} sessions skipped; ${repeat.totalCalls} calls`
        : undefined,
    }),
    ...Object.entries(repeat?.usageByTask ?? {}).map(([task, usage]) =>
      figure({
        name: `repeat_dream_tokens.${task}`,
        value:
          usage.input_tokens + usage.output_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens,
        unit: "tokens",
        scenario: `${scaleScenario}; repeat dream`,
        note: `${repeat?.calls[task] ?? 0} calls`,
      }),
    ),
    figure({
      name: "repeat_dream_wall_ratio",
      value: repeat && scaleRun ? repeat.wallMs / scaleRun.wallMs : null,
      unit: "ratio",
      scenario: `${scaleScenario}; repeat dream, no latency`,
    }),
  );

  const memoryPoints: Array<{ x: number; y: number }> = [];
  for (const job of plan.memoriesGrowth) {
    const run = first(job);
    if (run?.dedupeEngineMs != null) memoryPoints.push({ x: job.memories, y: Math.max(1, run.dedupeEngineMs) });
    figures.push(
      figure({
        name: `dedup_ms_${job.memories}_memories`,
        value: run?.dedupeEngineMs ?? null,
        unit: "ms",
        scenario: describe(job),
        ...(job.memories === 10_000 ? { goal: { op: "<" as const, value: 5_000 } } : {}),
        note: run
          ? `dedupe stage wall time less the replay's judge time; ${run.candidateFacts} candidate facts, ${run.judgeCalls} judge calls`
          : undefined,
      }),

      figure({
        name: `engine_ms_${job.memories}_memories`,
        value: run?.engineMs ?? null,
        unit: "ms",
        scenario: describe(job),
      }),
      figure({
        name: `engine_cpu_ms_${job.memories}_memories`,
        value: run?.engineCpuMs ?? null,
        unit: "ms",
        scenario: describe(job),
      }),
    );
  }
  figures.push(
    figure({
      name: "dedup_growth_exponent",
      value: growthExponent(memoryPoints),
      unit: "exponent",
      scenario: "dedup time over 100 → 10,000 memories (log-log slope; 1 = linear)",
      goal: { op: "<", value: 1.3 },
    }),
  );

  const sessionPoints: Array<{ x: number; y: number }> = [];
  for (const job of [...plan.sessionsGrowth, plan.scale]) {
    const result = results.get(job.label);
    const run = result?.runs[0];
    if (run) sessionPoints.push({ x: job.sessions, y: run.engineCpuMs });
    if (job === plan.scale) continue;
    figures.push(
      figure({
        name: `engine_ms_${job.sessions}_sessions`,
        value: run?.engineMs ?? null,
        unit: "ms",
        scenario: describe(job),
      }),
      figure({
        name: `engine_cpu_ms_${job.sessions}_sessions`,
        value: run?.engineCpuMs ?? null,
        unit: "ms",
        scenario: describe(job),
      }),
      figure({
        name: `peak_rss_mb_${job.sessions}_sessions`,
        value: result?.peakRssMb ?? null,
        unit: "MB",
        scenario: describe(job),
      }),
    );
  }
  figures.push(
    figure({
      name: "engine_growth_exponent_sessions",
      value: growthExponent(sessionPoints),
      unit: "exponent",
      scenario: `engine CPU time over 1 → ${plan.scale.sessions} sessions (log-log slope; 1 = linear)`,
    }),
  );

  figures.push(...qualityFigures(plan.scale, scaleRun, "perfect"));
  figures.push(...qualityFigures(plan.noisy, first(plan.noisy), "noisy"));
  for (const job of plan.profiles) {
    figures.push(...qualityFigures(job, first(job), job.extractor as keyof typeof QUALITY_GOALS));
  }
  for (const job of plan.families) figures.push(...familyFigures(job, results.get(job.label)));
  if (repeat?.quality) {
    for (const [name, value] of [
      ["duplicate_rate", repeat.quality.duplicateRate],
      ["stale_rate", repeat.quality.staleRate],
      ["current_fact_recall", repeat.quality.currentFactRecall],
    ] as const) {
      figures.push(
        figure({
          name: `repeat_dream.${name}`,
          value,
          unit: "rate",
          scenario: `${scaleScenario}; repeat dream`,
          extractor: "perfect",
        }),
      );
    }
  }
  for (const job of plan.ablation) {
    const run = first(job);
    const component = Object.keys(job.noise ?? {})[0] ?? job.label;
    for (const [name, value] of [
      ["duplicate_rate", run?.quality?.duplicateRate ?? null],
      ["stale_rate", run?.quality?.staleRate ?? null],
      ["current_fact_recall", run?.quality?.currentFactRecall ?? null],
      ["precision", run?.quality?.precision ?? null],
    ] as const) {
      figures.push(
        figure({
          name: `noisy_ablation.${component}.${name}`,
          value,
          unit: "rate",
          scenario: describe(job, `; only ${component} = ${job.noise?.[component]}`),
          extractor: "noisy",
        }),
      );
    }
  }
  figures.push(...offlineFigures(plan.offline, results));
  figures.push(...serverFigures(plan.server, results));
  return figures;
}

/** A run's model tokens per transcript token, by task (`record_facts 0.61, …`). */
function byTask(run: RunSummary | undefined, transcriptTokens: number): string {
  return Object.entries(run?.usageByTask ?? {})
    .map(([task, usage]) => {
      const sum =
        usage.input_tokens + usage.output_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens;
      return `${task} ${(sum / transcriptTokens).toFixed(3)}`;
    })
    .join(", ");
}

/** Tokens per transcript token and recall of the coding scenario, with the default tool-result budget and without. */
function codingFigures(job: DreamJob, result: DreamJobResult | undefined): Figure[] {
  const [bounded, full] = result?.runs ?? [];
  const [boundedRun, fullRun] = result?.coding?.runs ?? [];
  const coding = result?.coding;
  const share = coding
    ? `${Math.round(coding.toolShare * 100)} % of tokens in tool results`
    : "about 70 % of tokens in tool results";
  const scenario = `coding sessions: ${job.sessions} sessions × ≥${Math.round(job.tokensPerSession / 1000)}k tokens, ${share} (files read again unchanged, long test and build logs, diffs), perfect replay, toolResultTokens ${boundedRun?.toolResultTokens.toLocaleString("en-US") ?? "default"}, seed ${job.seed ?? 1}`;
  const perToken = (run: RunSummary | undefined) =>
    run && result && result.transcriptTokens > 0 ? totalTokens(run) / result.transcriptTokens : null;
  const elided = (run: CodingResult["runs"][number] | undefined) =>
    run
      ? `${run.toolResultsDeduplicated} repeated tool results read once, ${run.toolResultsCut} cut to head and tail, ${run.toolTokensElided.toLocaleString("en-US")} tool-output tokens left out`
      : undefined;
  const toolOnlyRecall = (run: CodingResult["runs"][number] | undefined) =>
    run && coding && coding.toolOnlySubjects > 0 ? run.toolOnlyRecalled / coding.toolOnlySubjects : null;
  return [
    figure({
      name: "coding.model_tokens_per_transcript_token",
      value: perToken(bounded),
      unit: "ratio",
      scenario,
      goal: { op: "<=", value: 0.5 },
      note: result
        ? `all model tokens (input, output, cache writes and reads) over ${result.transcriptTokens.toLocaleString("en-US")} transcript tokens; by task ${byTask(bounded, result.transcriptTokens)}; ${bounded?.totalCalls} calls; ${elided(boundedRun)}`
        : undefined,
    }),
    figure({
      name: "coding.model_tokens_per_transcript_token_full_tool_output",
      value: perToken(full),
      unit: "ratio",
      scenario: `${scenario.replace(/toolResultTokens (?:[\d,]*\d|default)/, "toolResultTokens 0")}; the same sessions read in full`,
      note: full ? `${full.totalCalls} calls` : undefined,
    }),
    figure({
      name: "coding.current_fact_recall",
      value: bounded?.quality?.currentFactRecall ?? null,
      unit: "rate",
      scenario,
      extractor: "perfect",
      goal: { op: "==", value: 1 },
      note: bounded?.quality
        ? `subjects whose current value is in the output; counts ${JSON.stringify(bounded.quality.counts)}; examples ${JSON.stringify(bounded.examples ?? {})}; the user's database, which the first test log also prints in its cut middle: ${boundedRun?.loggedRecalled} of ${coding?.loggedSubjects}`
        : undefined,
    }),
    figure({
      name: "coding.tool_only_recall",
      value: toolOnlyRecall(boundedRun),
      unit: "rate",
      scenario,
      extractor: "perfect",
      goal: { op: "==", value: 1 },
      note: coding
        ? `facts only a tool result states (framework version in package.json, port in .env, timeout in config/app.yaml) whose value is in the output: ${boundedRun?.toolOnlyRecalled} of ${coding.toolOnlySubjects}; with tool output in full ${fullRun?.toolOnlyRecalled} of ${coding.toolOnlySubjects}`
        : "facts only a tool result states whose value is in the output",
    }),
    ...(
      [
        ["duplicate_rate", bounded?.quality?.duplicateRate ?? null],
        ["precision", bounded?.quality?.precision ?? null],
        ["evidence_validity", bounded?.quality?.evidenceValidity ?? null],
      ] as const
    ).map(([name, value]) =>
      figure({
        name: `coding.${name}`,
        value,
        unit: "rate",
        scenario,
        extractor: "perfect",
        goal: QUALITY_GOALS.perfect[name],
      }),
    ),
  ];
}

/** Wall and CPU time of offline dreams by size, their growth, event-loop delay, and cancel latency. */
function offlineFigures(jobs: readonly DreamJob[], results: Results): Figure[] {
  const figures: Figure[] = [];
  const cpuPoints: Array<{ x: number; y: number }> = [];
  const wallPoints: Array<{ x: number; y: number }> = [];
  const last = jobs.at(-1);
  for (const job of jobs) {
    const offline = results.get(job.label)?.offline;
    const size = job.label.replace(/^offline-|-facts$/g, "");
    const scenario = `${describeOffline(job)}${offline ? `; ${offline.facts.toLocaleString("en-US")} candidate facts` : ""}`;
    if (offline) {
      cpuPoints.push({ x: offline.facts, y: offline.cpuMs });
      wallPoints.push({ x: offline.facts, y: offline.wallMs });
    }
    const note = offline
      ? `stages (ms) ${JSON.stringify(roundAll(offline.stageMs))}; ${offline.outputMemories} output memories, sha256 ${offline.outputSha256.slice(0, 16)}; first offline extraction in the process (NLP load, not in the dream) ${Math.round(offline.nlpLoadMs)} ms, longest event-loop delay meanwhile ${offline.nlpLoadMaxLagMs.toFixed(1)} ms`
      : undefined;
    figures.push(
      figure({ name: `offline_dream_ms_${size}_facts`, value: offline?.wallMs ?? null, unit: "ms", scenario, note }),
      figure({ name: `offline_dream_cpu_ms_${size}_facts`, value: offline?.cpuMs ?? null, unit: "ms", scenario }),
      figure({
        name: `offline_event_loop_lag_max_ms_${size}_facts`,
        value: offline?.maxLagMs ?? null,
        unit: "ms",
        scenario,
        ...(job === last ? { goal: { op: "<" as const, value: 50 } } : {}),
        note: offline
          ? `longest event-loop delay while the dream ran (monitorEventLoopDelay, 1 ms resolution); p99 ${offline.p99LagMs.toFixed(1)} ms; longest garbage-collection pause ${offline.maxGcPauseMs.toFixed(1)} ms; longest stall between two ticks of a 1 ms timer ${offline.longestStall.ms.toFixed(1)} ms, in ${offline.longestStall.stage}, ${offline.longestStall.gcMs.toFixed(1)} ms of it GC`
          : undefined,
      }),
    );
  }
  const lastOffline = last ? results.get(last.label)?.offline : undefined;
  figures.push(
    figure({
      name: "offline_nlp_load_lag_max_ms",
      value: lastOffline?.nlpLoadMaxLagMs ?? null,
      unit: "ms",
      scenario: "the first offline extraction in a process: loading the NLP library and its English model",
      goal: { op: "<", value: 50 },
      note: lastOffline
        ? `longest event-loop delay while it loads (monitorEventLoopDelay, 1 ms resolution); the load took ${Math.round(lastOffline.nlpLoadMs)} ms`
        : undefined,
    }),
  );
  const span = cpuPoints.length > 1 ? `${cpuPoints[0]?.x} → ${cpuPoints.at(-1)?.x} facts` : "offline dreams";
  figures.push(
    figure({
      name: "offline_dream_growth_exponent",
      value: growthExponent(cpuPoints),
      unit: "exponent",
      scenario: `offline dream CPU time over ${span} (log-log slope; 1 = linear)`,
      goal: { op: "<", value: 1.15 },
    }),
    figure({
      name: "offline_dream_wall_growth_exponent",
      value: growthExponent(wallPoints),
      unit: "exponent",
      scenario: `offline dream wall time over ${span} (log-log slope; 1 = linear)`,
    }),
  );
  const cancels = (last ? results.get(last.label)?.offline?.cancels : undefined) ?? [];
  for (const cancel of cancels) {
    const scenario = `${last ? describeOffline(last) : "offline dream"}; ${cancel.by === "cancel" ? "dreams.cancel()" : "create's AbortSignal aborted"} ${Math.round(cancel.afterMs)} ms into ${cancel.stage}`;
    figures.push(
      figure({
        name: `offline_cancel_stop_ms.${cancel.stage}`,
        value: Number.isNaN(cancel.stopMs) ? null : cancel.stopMs,
        unit: "ms",
        scenario,
        goal: { op: "<", value: 200 },
        note: "from the call until retrieve() reports the dream canceled: its work has stopped (its final record is written after)",
      }),
      figure({
        name: `offline_cancel_latency_ms.${cancel.stage}`,
        value: Number.isNaN(cancel.latencyMs) ? null : cancel.latencyMs,
        unit: "ms",
        scenario,
        goal: { op: "<", value: 200 },
        note: `from the call to the dream settled ${cancel.status} (its record written and its output store unlocked)`,
      }),
    );
  }
  const latencies = cancels.map((cancel) => cancel.latencyMs).filter((value) => !Number.isNaN(value));
  const stops = cancels.map((cancel) => cancel.stopMs).filter((value) => !Number.isNaN(value));
  figures.push(
    figure({
      name: "offline_cancel_stop_ms_max",
      value: stops.length > 0 ? Math.max(...stops) : null,
      unit: "ms",
      scenario: `${last ? describeOffline(last) : "offline dream"}; the slowest of the stops above`,
      goal: { op: "<", value: 200 },
    }),
    figure({
      name: "offline_cancel_latency_ms_max",
      value: latencies.length > 0 ? Math.max(...latencies) : null,
      unit: "ms",
      scenario: `${last ? describeOffline(last) : "offline dream"}; the slowest of the cancels above`,
      goal: { op: "<", value: 200 },
    }),
  );
  return figures;
}

/** Errors, lost dreams and retrieve latency of the server load jobs. */
function serverFigures(jobs: readonly DreamJob[], results: Results): Figure[] {
  return jobs.flatMap((job) => {
    const load = results.get(job.label)?.server;
    const storage = job.server?.storage ?? "sqlite";
    const scenario = `nocturne serve on ${storage}, ${job.server?.clients} concurrent SDK clients (one workspace each) creating an offline dream each and polling it every 100 ms`;
    return [
      figure({
        name: `server_errors.${storage}`,
        value: load?.errors ?? null,
        unit: "requests",
        scenario,
        goal: { op: "==", value: 0 },
        note: load && load.errorSamples.length > 0 ? load.errorSamples.join(" | ") : undefined,
      }),
      figure({
        name: `server_lost_dreams.${storage}`,
        value: load?.lost ?? null,
        unit: "dreams",
        scenario,
        goal: { op: "==", value: 0 },
        note: load ? `${load.dreams} created, ${load.completed} completed` : undefined,
      }),
      figure({
        name: `server_retrieve_p99_ms.${storage}`,
        value: load?.retrieveP99Ms ?? null,
        unit: "ms",
        scenario,
        note: load
          ? `${load.retrieves} retrieves, p50 ${load.retrieveP50Ms.toFixed(1)} ms; all dreams done in ${(load.wallMs / 1000).toFixed(1)} s`
          : undefined,
      }),
    ];
  });
}

function describeOffline(job: DreamJob): string {
  return `offline model, ${job.sessions} sessions × ${Math.round(job.tokensPerSession / 1000)}k tokens, ${job.memories.toLocaleString("en-US")} memories, seed ${job.seed ?? 1}`;
}

function roundAll(values: Record<string, number | undefined>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Math.round(value ?? 0)]));
}

const QUALITY_GOALS = {
  perfect: {
    duplicate_rate: { op: "==", value: 0 },
    stale_rate: { op: "==", value: 0 },
    current_fact_recall: { op: "==", value: 1 },
    precision: { op: "==", value: 1 },
    insight_support: { op: "==", value: 1 },
    evidence_validity: { op: "==", value: 1 },
  },
  noisy: {
    duplicate_rate: { op: "<", value: 0.03 },
    stale_rate: { op: "<", value: 0.02 },
    current_fact_recall: { op: ">", value: 0.95 },
    insight_support: { op: "==", value: 1 },
    evidence_validity: { op: "==", value: 1 },
  },
  reworded: {
    stale_rate: { op: "<", value: 0.05 },
    current_fact_recall: { op: ">", value: 0.9 },
    insight_support: { op: "==", value: 1 },
    evidence_validity: { op: "==", value: 1 },
  },
  "eager-judge": {
    current_fact_recall: { op: ">", value: 0.95 },
    insight_support: { op: "==", value: 1 },
    evidence_validity: { op: "==", value: 1 },
  },
} as const satisfies Record<string, Record<string, Figure["goal"]>>;

/** Goals of every resolution family with the perfect extractor. */
const FAMILY_GOALS: Record<string, Figure["goal"]> = {
  duplicate_rate: { op: "==", value: 0 },
  stale_rate: { op: "==", value: 0 },
  current_fact_recall: { op: "==", value: 1 },
};

function familyFigures(job: DreamJob, result: DreamJobResult | undefined): Figure[] {
  const family = job.family ?? job.label;
  const run = result?.runs[0];
  const quality = run?.quality ?? null;
  const scenario = result?.family?.description ?? `${family} family, perfect replay, seed ${job.seed ?? 1}`;
  const dreams = result?.family?.dreams ?? null;
  const entries: Array<[string, number | null, string]> = [
    ["duplicate_rate", quality?.duplicateRate ?? null, "facts about a subject (a set member) beyond the first"],
    [
      "stale_rate",
      quality?.staleRate ?? null,
      "changed subjects, and retracted set members, whose output still states the old value (or the old state)",
    ],
    ["current_fact_recall", quality?.currentFactRecall ?? null, "current values and current set members in the output"],
    ["precision", quality?.precision ?? null, "output facts grounded in a true durable statement"],
  ];
  const figures = entries.map(([name, value, note]) =>
    figure({
      name: `family.${family}.${name}`,
      value,
      unit: "rate",
      scenario,
      extractor: "perfect",
      ...(FAMILY_GOALS[name] ? { goal: FAMILY_GOALS[name] } : {}),
      note: quality
        ? `${note}; ${dreams} dream(s), measured on the last; counts ${JSON.stringify(quality.counts)}; examples ${JSON.stringify(run?.examples ?? {})}`
        : note,
    }),
  );
  if (job.family === "chained") {
    const single = result?.family?.single?.quality ?? null;
    figures.push(
      figure({
        name: "chained_vs_single_agreement",
        value: result?.family?.agreement ?? null,
        unit: "ratio",
        scenario,
        extractor: "perfect",
        goal: { op: "==", value: 1 },
        note: result?.family
          ? `Jaccard agreement of the current values the chain's last output and the single dream's output state; only in the chain: ${JSON.stringify(result.family.onlyChain)}; only in the single dream: ${JSON.stringify(result.family.onlySingle)}`
          : "Jaccard agreement of the current values of ten chained dreams and of one dream over the same sessions",
      }),
      ...(
        [
          ["duplicate_rate", single?.duplicateRate ?? null],
          ["stale_rate", single?.staleRate ?? null],
          ["current_fact_recall", single?.currentFactRecall ?? null],
        ] as const
      ).map(([name, value]) =>
        figure({
          name: `family.chained.single_dream.${name}`,
          value,
          unit: "rate",
          scenario: `${scenario}; the one dream over all sessions`,
          extractor: "perfect",
          goal: FAMILY_GOALS[name],
          ...(single ? { note: `counts ${JSON.stringify(single.counts)}` } : {}),
        }),
      ),
    );
  }
  return figures;
}

function qualityFigures(job: DreamJob, run: RunSummary | undefined, extractor: keyof typeof QUALITY_GOALS): Figure[] {
  const quality = run?.quality ?? null;
  const goals: Record<string, Figure["goal"]> = QUALITY_GOALS[extractor];
  const scenario = describe(job);
  const entries: Array<[string, number | null, string]> = [
    [
      "duplicate_rate",
      quality?.duplicateRate ?? null,
      "facts about a subject beyond the first, over facts stating a known value",
    ],
    ["stale_rate", quality?.staleRate ?? null, "changed subjects that still state a superseded value"],
    [
      "stale_unextracted_rate",
      quality && quality.counts.changedSubjects > 0
        ? quality.counts.staleUnextracted / quality.counts.changedSubjects
        : null,
      "changed subjects whose current value the extractor never delivered with valid evidence (part of stale_rate no resolution can fix)",
    ],
    ["current_fact_recall", quality?.currentFactRecall ?? null, "subjects whose current value is in the output"],
    ["precision", quality?.precision ?? null, "output facts grounded in a true durable statement"],
    ["noise_rate", quality?.noiseRate ?? null, "output facts that are one-off debugging noise"],
    ["insight_support", quality?.insightSupport ?? null, "insights citing existing events of two or more sessions"],
    ["insight_recall", quality?.insightRecall ?? null, "two-session patterns that got their insight"],
    ["evidence_validity", quality?.evidenceValidity ?? null, "cited evidence that exists in the inputs"],
  ];
  return entries.map(([name, value, note]) =>
    figure({
      name,
      value,
      unit: "rate",
      scenario,
      extractor,
      ...(goals[name] ? { goal: goals[name] } : {}),
      note: quality
        ? `${note}; counts ${JSON.stringify(quality.counts)}${name === "stale_rate" || name === "current_fact_recall" ? `; examples ${JSON.stringify(run?.examples ?? {})}` : ""}`
        : note,
    }),
  );
}
