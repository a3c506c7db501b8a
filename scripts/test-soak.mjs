// `pnpm test:soak [runs] [-- vitest args…]`: runs the test suite (or the files given after `--`) `runs` times
// (default 10, or SOAK_RUNS) while busy-loop processes keep the CPUs loaded (SOAK_LOAD workers, default one per
// core), and prints how many runs passed. Flaky tests show up here long before they show up in CI.
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";

const separator = process.argv.indexOf("--");
const own = separator === -1 ? process.argv.slice(2) : process.argv.slice(2, separator);
const vitestArgs = separator === -1 ? [] : process.argv.slice(separator + 1);
const runs = Number(own[0] ?? process.env.SOAK_RUNS ?? 10);
const load = Number(process.env.SOAK_LOAD ?? availableParallelism());

const workers = Array.from({ length: load }, () => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
const stopLoad = () => {
  for (const worker of workers) if (worker.exitCode === null) worker.kill("SIGKILL");
};
process.on("exit", stopLoad);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopLoad();
    process.exit(130);
  });
}

/** One run of vitest; resolves with its exit code. */
function runOnce() {
  return new Promise((resolve) => {
    const child = spawn("npx", ["vitest", "run", ...vitestArgs], { stdio: ["ignore", "inherit", "inherit"] });
    child.on("close", (code) => resolve(code ?? 1));
  });
}

let passed = 0;
for (let run = 1; run <= runs; run++) {
  const started = Date.now();
  const code = await runOnce();
  if (code === 0) passed++;
  console.log(
    `soak run ${run}/${runs}: ${code === 0 ? "passed" : `FAILED (exit ${code})`} in ${Math.round((Date.now() - started) / 1000)} s`,
  );
}
stopLoad();
console.log(`Soak: ${passed} of ${runs} runs passed under ${load} busy-loop processes.`);
process.exitCode = passed === runs ? 0 : 1;
