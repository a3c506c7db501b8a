import { writeFile } from "node:fs/promises";
import { runCodingJob } from "./coding-job.js";
import { DreamJob, runDreamJob } from "./dream-job.js";
import { runFamilyJob } from "./family-job.js";
import { runOfflineJob } from "./offline-job.js";
import { runServerJob } from "./server-job.js";

/**
 * Entry point of a benchmark child process: `child.ts <job JSON> <result file>`. Runs the job and writes its result
 * as JSON, so the parent reads figures from a process whose peak memory is the job's alone.
 */
async function main(): Promise<void> {
  const [job, out] = process.argv.slice(2);
  if (!job || !out) throw new Error("usage: child.ts <job JSON> <result file>");
  const parsed = DreamJob.parse(JSON.parse(job));
  const result = parsed.server
    ? await runServerJob(parsed)
    : parsed.offline
      ? await runOfflineJob(parsed)
      : parsed.family
        ? await runFamilyJob(parsed)
        : parsed.coding
          ? await runCodingJob(parsed)
          : await runDreamJob(parsed);
  await writeFile(out, JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
