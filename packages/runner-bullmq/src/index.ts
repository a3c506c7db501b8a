// Public API of @nocturne/runner-bullmq: dreams as BullMQ flows on Redis, over any shared StorageAdapter.
export {
  createDistributedNocturne,
  type DistributedNocturne,
  type DistributedNocturneOptions,
} from "./distributed-nocturne.js";
export { DreamEvents } from "./dream-events.js";
export { createDreamWorker, type DreamWorker, type DreamWorkerOptions, type ModelRateLimit } from "./dream-worker.js";
export { callKeyOf, type ModelCall, type ModelCallJobData, type ModelCallOutcome } from "./model-calls.js";
export { purgeDeployment } from "./purge-deployment.js";
export { DREAM_QUEUE, MODEL_CALL_QUEUE } from "./redis-keys.js";
export type { DreamJobData } from "./run-dream-job.js";
export type { RunnerConnectionOptions } from "./runner-options.js";
