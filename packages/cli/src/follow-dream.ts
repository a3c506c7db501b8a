import type { Dream, Nocturne } from "@nocturne/core";
import type { CliIo } from "./cli-io.js";
import { createProgress } from "./progress.js";

/**
 * Shows a dream's progress until it ends and returns the final dream. The first Ctrl-C cancels the dream (it stops
 * cleanly and keeps what it wrote); a second one quits at once.
 */
export async function followDream(nocturne: Nocturne, dreamId: string, io: CliIo): Promise<Dream> {
  const progress = createProgress(io.stderr);
  let interrupts = 0;
  const removeHandler = io.onInterrupt(() => {
    interrupts++;
    if (interrupts > 1) {
      progress.stop();
      io.stderr.write("Quitting without waiting; the dream may be left running in its storage.\n");
      io.exit(130);
      return;
    }
    progress.note("Canceling the dream (it keeps what it wrote); press Ctrl-C again to quit at once.");
    nocturne.dreams
      .cancel(dreamId)
      .catch((error: unknown) => progress.note(`cancel failed: ${(error as Error).message}`));
  });
  try {
    for await (const event of nocturne.dreams.events(dreamId)) progress.update(event);
    return await nocturne.dreams.wait(dreamId);
  } finally {
    removeHandler();
    progress.stop();
  }
}
