import { createInterface } from "node:readline/promises";
import type { CliIo } from "./cli-io.js";

/** The CLI's view of this process: its streams, environment, Ctrl-C and terminal. */
export function nodeIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onInterrupt(handler) {
      process.on("SIGINT", handler);
      return () => process.off("SIGINT", handler);
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
