import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { WorkerProcessConfig } from "./worker-config.js";

const SCRIPT = fileURLToPath(new URL("./worker-process.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** A worker running in its own Node process. */
export interface WorkerProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** SIGTERM: the worker finishes its jobs and exits. */
  stop(): Promise<void>;
  /** SIGKILL: the process dies on the spot, holding whatever jobs it had. */
  kill(): Promise<void>;
  /** SIGSTOP, resolved once the kernel reports the process stopped: from then on it writes nothing. */
  pause(): Promise<void>;
  /** SIGCONT: a paused process runs on. */
  resume(): void;
}

/** The process state letter of `/proc/<pid>/stat` (`T` when stopped), or null where there is no such file. */
async function processState(pid: number): Promise<string | null> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  return stat?.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) ?? null;
}

/** Starts `worker-process.ts` under tsx (sources through the `@nocturne/source` condition) and waits for it. */
export function spawnWorker(config: WorkerProcessConfig): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["--conditions=@nocturne/source", "--import", "tsx", SCRIPT], {
    cwd: ROOT,
    env: { ...process.env, NOCTURNE_WORKER_CONFIG: JSON.stringify(config) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let errors = "";
  child.stderr?.on("data", (data: Buffer) => {
    errors += data.toString();
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (data: Buffer) => {
      out += data.toString();
      if (!out.includes("ready ")) return;
      resolve({
        pid: child.pid ?? 0,
        child,
        async stop() {
          if (child.exitCode === null) child.kill("SIGTERM");
          await exited;
        },
        async kill() {
          if (child.exitCode === null) child.kill("SIGKILL");
          await exited;
        },
        async pause() {
          child.kill("SIGSTOP");
          for (;;) {
            const state = await processState(child.pid ?? 0);
            if (state === null || state === "T" || state === "t") return;
            await new Promise((resolve) => setImmediate(resolve));
          }
        },
        resume() {
          child.kill("SIGCONT");
        },
      });
    });
    child.once("exit", (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${errors}`)));
  });
}
