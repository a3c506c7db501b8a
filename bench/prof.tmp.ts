import { runDreamJob } from "./harness/dream-job.js";
import { benchPlan } from "./harness/plan.js";

const plan = benchPlan(false);
const job = { ...plan.wall, latencyMs: 0, label: "prof" };
const r = await runDreamJob(job);
for (const run of r.runs)
  console.log(JSON.stringify({ wall: run.wallMs, engine: run.engineMs, cpu: run.engineCpuMs, stages: run.stageMs }));
