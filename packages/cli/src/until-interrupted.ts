import type { CliIo } from "./cli-io.js";
import { EXIT_CODES } from "./exit-codes.js";

/**
 * Waits until the process is asked to stop (Ctrl-C or SIGTERM), prints `stopping`, and resolves once `stop` has
 * finished; a second signal while it runs quits at once. For long-running commands (`serve`, `worker`).
 */
export function untilInterrupted(io: CliIo, stopping: string, stop: () => Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve) => {
    let signals = 0;
    const remove = io.onInterrupt(() => {
      signals += 1;
      if (signals > 1) {
        io.exit(EXIT_CODES.dreamFailed);
        return;
      }
      io.stderr.write(stopping);
      void stop().finally(() => {
        remove();
        resolve();
      });
    });
  });
}
