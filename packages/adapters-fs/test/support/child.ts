import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository root, where `tsx` and the workspace packages resolve from. */
export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** A child Node process running a TypeScript script against the workspace sources, with its output collected. */
export interface ScriptChild {
  process: ChildProcess;
  /** Every stdout line so far. */
  lines: string[];
  /** stderr so far, for failure messages. */
  stderr(): string;
  /** Resolves with the first line (already seen or to come) that matches; rejects if the child exits first. */
  waitForLine(match: (line: string) => boolean): Promise<string>;
  /** Resolves when the child has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node --conditions=@nocturne/source --import tsx <script> ...args`. */
export function runScript(script: string, args: string[]): ScriptChild {
  const child = spawn(process.execPath, ["--conditions=@nocturne/source", "--import", "tsx", script, ...args], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let errors = "";
  let partial = "";
  const waiters: Array<{ match: (line: string) => boolean; resolve: (line: string) => void }> = [];
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    partial += chunk;
    const parts = partial.split("\n");
    partial = parts.pop() ?? "";
    for (const line of parts) {
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (!waiter.match(line)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    errors += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    lines,
    stderr: () => errors,
    exited,
    waitForLine(match) {
      const seen = lines.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ match, resolve });
        void exited.then(({ code, signal }) =>
          reject(new Error(`child exited (code ${code}, signal ${signal}) before the expected line.\n${errors}`)),
        );
      });
    },
  };
}
