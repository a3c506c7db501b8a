// `pnpm bench:load [--repeats=N] [--no-build] [--out=file]`: what loading Nocturne costs a process, from the BUILT
// dist (`@nocturne/core` and the provider packages resolve to their dist folders here, with no source condition).
// Each measurement is a fresh `node` process that reads the clock, runs a scenario's code (import, setup, provider
// load) and reads the clock and its RSS again; the bare process runs the same with no code. Figures are medians of
// the repeats; RSS is reported over the bare process's median. Builds @nocturne/core and the provider packages first
// unless --no-build. Prints the figures and writes them, with their goals, to bench/load-cost-results.json.
import { spawnSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";
import { commitLabel } from "../harness/commit-label.js";
import { Figure, figure, renderTable } from "../harness/figures.js";
import { BARE_CODE, LOAD_SCENARIOS } from "./scenarios.js";

const BENCH = join(import.meta.dirname, "..");
const ROOT = join(BENCH, "..");

/** The packages the scenarios import, built before measuring. */
const PROVIDERS_AND_CORE = ["@nocturne/core", "@nocturne/anthropic", "@nocturne/openai-compatible"];

const Args = z.object({ repeats: z.number().int().min(1), build: z.boolean(), out: z.string() });

const Sample = z.object({ ms: z.number(), rssMiB: z.number() });
type Sample = z.infer<typeof Sample>;

/** What bench/load-cost-results.json holds. */
export const LoadResults = z.object({
  generated_at: z.string(),
  commit: z.string(),
  machine: z.object({ cpus: z.number(), node: z.string(), load_start: z.number(), load_end: z.number() }),
  repeats: z.number(),
  bare_rss_mib: z.number(),
  figures: z.array(Figure),
});

function parseArgs(argv: string[]): z.infer<typeof Args> {
  let repeats = 7;
  let build = true;
  let out = join(BENCH, "load-cost-results.json");
  for (const arg of argv) {
    if (arg.startsWith("--repeats=")) repeats = Number(arg.slice(10));
    else if (arg === "--no-build") build = false;
    else if (arg.startsWith("--out=")) out = resolve(arg.slice(6));
    else throw new Error(`unknown argument ${arg}`);
  }
  return Args.parse({ repeats, build, out });
}

/** Runs `code` in a fresh node process, timed from before the code to after it. */
function measure(code: string): Sample {
  const script = `const started = performance.now();
${code}
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, rssMiB: process.memoryUsage().rss / 2 ** 20 }));`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: BENCH,
    encoding: "utf8",
    env: { ...process.env, ANTHROPIC_API_KEY: "" },
  });
  if (child.status !== 0) throw new Error(`a measurement failed (exit ${child.status}):\n${child.stderr}`);
  return Sample.parse(JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "{}"));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const args = parseArgs(process.argv.slice(2));
if (args.build) {
  const built = spawnSync(
    "npx",
    ["-y", "pnpm@10", ...PROVIDERS_AND_CORE.flatMap((name) => ["--filter", name]), "build"],
    {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  if (built.status !== 0) throw new Error("building @nocturne/core and the provider packages failed");
}
const loadStart = loadavg()[0] ?? 0;
const samples = new Map<string, Sample[]>([["bare", []], ...LOAD_SCENARIOS.map((s) => [s.name, []] as [string, []])]);
// Interleaved rounds, so a burst of load elsewhere on the machine touches every scenario alike.
for (let round = 0; round < args.repeats; round++) {
  samples.get("bare")?.push(measure(BARE_CODE));
  for (const scenario of LOAD_SCENARIOS) samples.get(scenario.name)?.push(measure(scenario.code));
}
const bare = median((samples.get("bare") ?? []).map((sample) => sample.rssMiB));
const figures: Figure[] = LOAD_SCENARIOS.flatMap((scenario) => {
  const taken = samples.get(scenario.name) ?? [];
  const scenarioText = `${scenario.description}; fresh node process, median of ${args.repeats}`;
  return [
    figure({
      name: `load_ms_${scenario.name}`,
      value: Number(median(taken.map((sample) => sample.ms)).toFixed(1)),
      unit: "ms",
      scenario: scenarioText,
      ...(scenario.goals ? { goal: { op: "<" as const, value: scenario.goals.ms } } : {}),
    }),
    figure({
      name: `load_rss_mib_${scenario.name}`,
      value: Number((median(taken.map((sample) => sample.rssMiB)) - bare).toFixed(1)),
      unit: "MiB",
      scenario: scenarioText,
      ...(scenario.goals ? { goal: { op: "<" as const, value: scenario.goals.rssMiB } } : {}),
      note: "RSS when done minus the median RSS of a bare node process",
    }),
  ];
});
const results = LoadResults.parse({
  generated_at: new Date().toISOString(),
  commit: commitLabel(ROOT, ["packages/core"]),
  machine: { cpus: availableParallelism(), node: process.version, load_start: loadStart, load_end: loadavg()[0] ?? 0 },
  repeats: args.repeats,
  bare_rss_mib: Number(bare.toFixed(1)),
  figures,
});
await writeFile(args.out, `${JSON.stringify(results, null, 2)}\n`);
console.log(
  `${renderTable(figures)}\n\nbare node: ${bare.toFixed(1)} MiB RSS; load ${loadStart.toFixed(1)} → ${results.machine.load_end.toFixed(1)}. Wrote ${args.out}`,
);
if (figures.some((entry) => entry.meets_goal === false)) process.exitCode = 1;
