import type { CliIo } from "../cli-io.js";
import { EXIT_CODES, usageError } from "../exit-codes.js";
import { openStorage } from "../open-storage.js";
import { parseCommand } from "../parse-options.js";
import { safeText } from "../terminal-text.js";
import { untilInterrupted } from "../until-interrupted.js";
import { modelFor } from "./model-option.js";
import { loadRunner, queueTarget, sharedStorage, shownUrl } from "./queue-option.js";

/**
 * `nocturne worker --queue redis://… --storage postgres://… [--model m] [--concurrency n]`: runs the dreams that
 * `nocturne serve --queue` (or any `DistributedNocturne`) queues, until SIGINT/SIGTERM. Start as many as you like,
 * on as many machines; each runs the model calls and writes the results into the shared storage.
 */
export async function workerCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand("worker", args, {
    queue: { type: "string" },
    storage: { type: "string" },
    model: { type: "string" },
    concurrency: { type: "string" },
  });
  if (positionals.length > 0) throw usageError(`nocturne worker: unexpected "${positionals[0]}".`);
  if (values.queue === undefined)
    throw usageError("nocturne worker needs --queue redis://… and --storage postgres://….");
  const target = queueTarget(values.queue);
  const spec = sharedStorage(values.storage, "worker");
  const concurrency = Number(values.concurrency ?? "4");
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw usageError(`--concurrency must be a whole number from 1 to 64, not "${values.concurrency}".`);
  }
  const model = modelFor(values.model ?? "offline");
  const { createDreamWorker } = await loadRunner();
  const storage = await openStorage(spec);
  const worker = await createDreamWorker({
    ...target,
    storage,
    ...(model === undefined ? {} : { model }),
    modelConcurrency: concurrency,
    onError: (error) => io.stderr.write(safeText(`nocturne worker: ${error.message}\n`)),
  }).catch(async (error: unknown) => {
    await storage.close?.();
    throw error;
  });
  io.stderr.write(
    `nocturne worker: ${worker.name} runs dreams from ${shownUrl(values.queue)} (storage ${shownUrl(spec)})\n`,
  );
  await untilInterrupted(io, "nocturne worker: stopping (waits for its jobs; a second signal quits at once)…\n", () =>
    worker.close().then(() => storage.close?.()),
  );
  io.stderr.write("nocturne worker: stopped.\n");
  return EXIT_CODES.ok;
}
