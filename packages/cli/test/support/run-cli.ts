import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type CliIo, runCli } from "../../src/index.js";

/** The real `nocturne` binary of this checkout. */
export const BIN = join(import.meta.dirname, "../../bin/nocturne.js");
/** The repository root. */
export const ROOT = join(import.meta.dirname, "../../../..");

/** What a finished CLI run printed and returned. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns the binary (with extra environment variables); `onStderr` sees its error stream as it comes. */
export function spawnCli(
  args: string[],
  onStderr?: (text: string, child: ChildProcess) => void,
  env: Record<string, string> = {},
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1", ANTHROPIC_API_KEY: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (data: Buffer) => {
    stdout += data.toString("utf8");
  });
  child.stderr?.on("data", (data: Buffer) => {
    stderr += data.toString("utf8");
    onStderr?.(stderr, child);
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Runs the binary to the end. */
export function cli(args: string[]): Promise<CliResult> {
  return spawnCli(args).done;
}

/** The last non-empty line of output, parsed as JSON. */
export function lastJson(text: string): unknown {
  const line = text.trimEnd().split("\n").at(-1) ?? "";
  return JSON.parse(line);
}

/** Runs the CLI in this process with captured streams (for the many storage subcommands). */
export async function cliInProcess(args: string[], answers: { confirm?: boolean } = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    onInterrupt: () => () => undefined,
    confirm: async () => answers.confirm ?? false,
    exit: (code) => {
      throw new Error(`exit ${code}`);
    },
  };
  const code = await runCli(args, io);
  return { code, signal: null, stdout, stderr };
}

/** Every file below a folder (hidden ones included) with the SHA-256 of its bytes. */
export async function treeHashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (folder: string, prefix: string) => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      const key = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) await walk(path, key);
      else
        out[key] = createHash("sha256")
          .update(await readFile(path))
          .digest("hex");
    }
  };
  await walk(dir, "");
  return out;
}
