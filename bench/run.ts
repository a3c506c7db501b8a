import { spawn } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { commitLabel } from "./harness/commit-label.js";
import type { DreamJob, DreamJobResult } from "./harness/dream-job.js";
import { Results, renderMarkdown, renderTable } from "./harness/figures.js";
import { benchPlan, figuresOf, planJobs } from "./harness/plan.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "..");
const JOB_TIMEOUT_MS = 10 * 60_000;

interface Args {
  quick: boolean;
  only: string[] | null;
  out: string;
  markdown: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, only: null, out: join(HERE, "results.json"), markdown: false };
  for (const arg of argv) {
    if (arg === "--quick") args.quick = true;
    else if (arg === "--markdown") args.markdown = true;
    else if (arg.startsWith("--only=")) args.only = arg.slice(7).split(",").filter(Boolean);
    else if (arg.startsWith("--out=")) args.out = resolve(arg.slice(6));
    else if (arg === "--help" || arg === "-h") {
      console.log(
        "usage: pnpm bench [--quick] [--only=label,label] [--out=path] [--markdown]\n  --quick     small sizes, under a minute\n  --only      run only these jobs (labels are printed as they run)\n  --markdown  also print the table as Markdown",
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${arg} (try --help)`);
  }
  return args;
}

/** Runs one job in a child process (its own peak memory), returning its result or the error it died with. */
async function runChild(job: DreamJob, scratch: string): Promise<DreamJobResult> {
  const out = join(scratch, `${job.label}.json`);
  const child = spawn(
    process.execPath,
    [...process.execArgv, join(HERE, "harness", "child.ts"), JSON.stringify(job), out],
    {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), JOB_TIMEOUT_MS);
  const code = await new Promise<number | null>((done) => child.on("close", done));
  clearTimeout(timer);
  if (code !== 0) {
    const lines = stderr.split("\n").filter((line) => line.trim() !== "" && !line.includes("MaxListenersExceeded"));
    throw new Error(`exit ${code}: ${lines.slice(0, 6).join(" | ")}`);
  }
  return JSON.parse(await readFile(out, "utf8")) as DreamJobResult;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const plan = benchPlan(args.quick);
  const jobs = planJobs(plan).filter((job) => args.only === null || args.only.includes(job.label));
  const scratch = join(ROOT, ".nocturne-tmp", `bench-${process.pid}`);
  await mkdir(scratch, { recursive: true });
  const started = performance.now();
  const loadStart = loadavg()[0] ?? 0;
  const results = new Map<string, DreamJobResult>();
  const failures: Array<{ job: string; error: string }> = [];
  console.log(`nocturne bench (${args.quick ? "quick" : "full"}): ${jobs.length} jobs, one process each`);
  try {
    for (const [index, job] of jobs.entries()) {
      const jobStarted = performance.now();
      process.stdout.write(`[${index + 1}/${jobs.length}] ${job.label} … `);
      try {
        results.set(job.label, await runChild(job, scratch));
        console.log(`${((performance.now() - jobStarted) / 1000).toFixed(1)} s`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        failures.push({ job: job.label, error: message });
        console.log(`FAILED (${message})`);
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }

  const figures = figuresOf(plan, results).filter(
    (entry) => args.only === null || entry.value !== null || entry.goal !== undefined,
  );
  const output = Results.parse({
    generated_at: new Date().toISOString(),
    commit: commitLabel(ROOT, ["packages", "bench"]),
    mode: args.quick ? "quick" : "full",
    machine: {
      cpus: availableParallelism(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      load_start: loadStart,
      load_end: loadavg()[0] ?? 0,
    },
    duration_s: (performance.now() - started) / 1000,
    figures,
    failures,
  });
  await writeFile(args.out, `${JSON.stringify(output, null, 2)}\n`);
  console.log(`\n${renderTable(figures)}\n`);
  if (args.markdown) console.log(`${renderMarkdown(figures)}\n`);
  const misses = figures.filter((entry) => entry.meets_goal === false).length;
  console.log(
    `${figures.length} figures, ${misses} miss their goal, ${failures.length} jobs failed; ${output.duration_s.toFixed(0)} s on ${output.machine.cpus} cores (load ${loadStart.toFixed(1)} → ${output.machine.load_end.toFixed(1)}). Wrote ${args.out}`,
  );
  if (failures.length > 0) process.exitCode = 1;
}

await main();
