import { createInterface } from "node:readline/promises";
import type { CliIo } from "./cli-io.js";

/** Signals that stop the CLI the way Ctrl-C does: the first cancels cleanly, a second quits at once. */
const INTERRUPTS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** The CLI's view of this process: its streams, environment, Ctrl-C and terminal. */
export function nodeIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onInterrupt(handler) {
      for (const signal of INTERRUPTS) process.on(signal, handler);
      return () => {
        for (const signal of INTERRUPTS) process.off(signal, handler);
      };
    },
    async confirm(question) {
      if (!process.stdin.isTTY || !process.stderr.isTTY) return false;
      const prompt = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const answer = await prompt.question(`${question} [y/N] `);
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        prompt.close();
      }
    },
    exit(code) {
      process.exit(code);
    },
  };
}
