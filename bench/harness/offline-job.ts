import { createHash } from "node:crypto";
import { monitorEventLoopDelay, PerformanceObserver, performance } from "node:perf_hooks";
import {
  createNocturne,
  createOfflineConsolidationModel,
  createTiktokenTokenizer,
  type DreamEvent,
  type DreamStage,
  readAllMemories,
} from "@nocturne/core";
import { z } from "zod";
import { DreamJob, type DreamJobResult, SCENARIO_START, scenarioOf } from "./dream-job.js";
import { collectEvents, inputsOf, type SeededStorage, seedStorage, stageDurations } from "./run-dream.js";

/** Stages a dream is canceled in to measure cancel latency, and how: `cancel()` or the `signal` given to `create`. */
export const CANCEL_POINTS = [
  { stage: "extract", by: "cancel" },
  { stage: "dedupe", by: "signal" },
  { stage: "resolve", by: "cancel" },
  { stage: "write", by: "signal" },
] as const satisfies ReadonlyArray<{ stage: DreamStage; by: "cancel" | "signal" }>;

/** One cancel measured: from the call (or abort) to the dream settled as canceled (its record written). */
export const CancelLatency = z.object({
  stage: z.string(),
  by: z.enum(["cancel", "signal"]),
  /** How far into the stage the dream was stopped, in ms (half the stage's length in the measured dream). */
  afterMs: z.number(),
  /** From the call until `retrieve()` says canceled: the dream has stopped working (its record is still written). */
  stopMs: z.number(),
  latencyMs: z.number(),
  status: z.string(),
});
export type CancelLatency = z.infer<typeof CancelLatency>;

/** Where the event loop was held longest: for finding what a delay figure is made of. */
export interface LongestStall {
  ms: number;
  /** The dream's stage when the stretch ended (`snapshot` before the first stage event). */
  stage: string;
  /** Garbage-collection pauses that fell inside the stretch, summed, in ms. */
  gcMs: number;
}

/** What an offline job measures. */
export interface OfflineResult {
  facts: number;
  wallMs: number;
  cpuMs: number;
  stageMs: Partial<Record<DreamStage, number>>;
  /** Longest event-loop delay during the dream (monitorEventLoopDelay), in ms. */
  maxLagMs: number;
  /** 99th percentile of the event-loop delay, in ms. */
  p99LagMs: number;
  /** Longest garbage-collection pause while the dream ran, in ms: part of the event-loop delay no pacing removes. */
  maxGcPauseMs: number;
  /** The longest stretch between two ticks of a 1 ms timer while the dream ran: its stage and the GC pauses in it. */
  longestStall: LongestStall;
  /** First offline extraction in this process: loading the NLP library and its model (paced, before the dream). */
  nlpLoadMs: number;
  /** Longest event-loop delay during that first extraction, in ms: what a host process feels on its first dream. */
  nlpLoadMaxLagMs: number;
  /** SHA-256 of the output memories' paths and contents (dream and memory ids left out): same input, same output. */
  outputSha256: string;
  outputMemories: number;
  cancels: CancelLatency[];
}

/**
 * An offline dream job: the scenario dreamed with the offline rule-based model (no replay), measured for wall and
 * CPU time, event-loop delay while it runs, and — when `job.cancels` — the latency of canceling further dreams over
 * the same inputs half-way through several stages.
 */
export async function runOfflineJob(input: DreamJob): Promise<DreamJobResult> {
  const job = DreamJob.parse(input);
  const tokenizer = createTiktokenTokenizer();
  const { scenario, generateMs } = scenarioOf(job, tokenizer);
  const seeded = await seedStorage(scenario);
  const { nlpLoadMs, nlpLoadMaxLagMs } = await warmOfflineModel();
  const measured = await measuredDream(seeded, tokenizer);
  const cancels: CancelLatency[] = [];
  for (const point of job.cancels ? CANCEL_POINTS : []) {
    const afterMs = Math.max(1, (measured.stageMs[point.stage] ?? 0) / 2);
    cancels.push(await canceledDream(seeded, tokenizer, point, afterMs));
  }
  const offline: OfflineResult = { ...measured, nlpLoadMs, nlpLoadMaxLagMs, cancels };
  return {
    job,
    transcriptTokens: scenario.transcriptTokens,
    generateMs,
    runs: [],
    repeat: null,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    offline,
  };
}

/**
 * Runs one offline extraction so the NLP library is loaded before the dream is measured; returns how long it took
 * and the longest event-loop delay meanwhile.
 */
async function warmOfflineModel(): Promise<{ nlpLoadMs: number; nlpLoadMaxLagMs: number }> {
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  const started = performance.now();
  await createOfflineConsolidationModel().extract(
    {
      type: "memories",
      memories: [{ id: "mem_warm", path: "/warm.md", content: "- I live in Berlin.\n", updatedAt: SCENARIO_START }],
    },
    { signal: new AbortController().signal, instructions: "", reportUsage: () => {} },
  );
  const nlpLoadMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 5));
  lag.disable();
  return { nlpLoadMs, nlpLoadMaxLagMs: lag.max / 1e6 };
}

async function measuredDream(
  seeded: SeededStorage,
  tokenizer: ReturnType<typeof createTiktokenTokenizer>,
): Promise<Omit<OfflineResult, "nlpLoadMs" | "nlpLoadMaxLagMs" | "cancels">> {
  const nocturne = createNocturne({ storage: seeded.storage, tokenizer });
  const lag = monitorEventLoopDelay({ resolution: 1 });
  const pauses: Array<{ start: number; end: number }> = [];
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      pauses.push({ start: entry.startTime, end: entry.startTime + entry.duration });
  });
  gc.observe({ entryTypes: ["gc"] });
  lag.enable();
  let events: DreamEvent[] = [];
  let longest = { start: 0, end: 0, stage: "snapshot" };
  let tick = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    if (now - tick > longest.end - longest.start) {
      const stage = events.findLast((event) => event.type === "stage");
      longest = { start: tick, end: now, stage: stage?.type === "stage" ? stage.stage : "snapshot" };
    }
    tick = now;
  }, 1);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const dream = await nocturne.dreams.create({ inputs: inputsOf(seeded) });
  const collecting = collectEvents(nocturne, dream.id);
  events = collecting.events;
  const { collected } = collecting;
  const ended = await nocturne.dreams.wait(dream.id);
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  await new Promise((resolve) => setTimeout(resolve, 5));
  clearInterval(ticker);
  lag.disable();
  gc.disconnect();
  const inside = (pause: { start: number; end: number }) =>
    Math.max(0, Math.min(pause.end, longest.end) - Math.max(pause.start, longest.start));
  await collected;
  if (ended.status !== "completed") throw new Error(`offline dream ended ${ended.status}: ${ended.error?.message}`);
  const report = await nocturne.dreams.report(dream.id);
  const outputs = await readAllMemories(seeded.storage, ended.outputs[0]?.memory_store_id ?? "");
  const hash = createHash("sha256");
  for (const memory of outputs) hash.update(`${memory.path}\n${memory.content}\n`);
  return {
    facts: report?.stats.candidateFacts ?? 0,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    stageMs: stageDurations(events),
    maxLagMs: lag.max / 1e6,
    p99LagMs: lag.percentile(99) / 1e6,
    maxGcPauseMs: Math.max(0, ...pauses.map((pause) => pause.end - pause.start)),
    longestStall: {
      ms: longest.end - longest.start,
      stage: longest.stage,
      gcMs: pauses.reduce((sum, pause) => sum + inside(pause), 0),
    },
    outputSha256: hash.digest("hex"),
    outputMemories: outputs.length,
  };
}

/** Dreams again and stops the dream `afterMs` into `point.stage`; measures until it settled as canceled. */
async function canceledDream(
  seeded: SeededStorage,
  tokenizer: ReturnType<typeof createTiktokenTokenizer>,
  point: (typeof CANCEL_POINTS)[number],
  afterMs: number,
): Promise<CancelLatency> {
  const nocturne = createNocturne({ storage: seeded.storage, tokenizer });
  const controller = new AbortController();
  const dream = await nocturne.dreams.create({ inputs: inputsOf(seeded) }, { signal: controller.signal });
  let stopped: Promise<{ stopMs: number; latencyMs: number }> | null = null;
  const untilStopped = async (at: number): Promise<number> => {
    for (;;) {
      const { status } = await nocturne.dreams.retrieve(dream.id);
      if (status !== "running" && status !== "pending") return performance.now() - at;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  for await (const event of nocturne.dreams.events(dream.id)) {
    if (event.type !== "stage" || event.stage !== point.stage || stopped !== null) continue;
    stopped = new Promise((resolve, reject) => {
      setTimeout(() => {
        const at = performance.now();
        const settled =
          point.by === "cancel"
            ? nocturne.dreams.cancel(dream.id).catch(() => nocturne.dreams.wait(dream.id))
            : abortAndWait();
        Promise.all([untilStopped(at), settled.then(() => performance.now() - at)]).then(
          ([stopMs, latencyMs]) => resolve({ stopMs, latencyMs }),
          reject,
        );
      }, afterMs);
    });
  }
  function abortAndWait() {
    controller.abort();
    return nocturne.dreams.wait(dream.id);
  }
  const ended = await nocturne.dreams.wait(dream.id);
  const { stopMs, latencyMs } = stopped === null ? { stopMs: Number.NaN, latencyMs: Number.NaN } : await stopped;
  await nocturne.close();
  return { stage: point.stage, by: point.by, afterMs, stopMs, latencyMs, status: ended.status };
}
