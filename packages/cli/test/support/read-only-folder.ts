import { execFile } from "node:child_process";
import { chmod, mkdir } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Makes `folder` refuse new entries for real: mode 0555 for an ordinary user; for root, who ignores modes, the
 * immutable attribute (`chattr +i`). Returns the undo, or null when neither works here (the test is then skipped).
 */
export async function readOnlyFolder(folder: string): Promise<(() => Promise<void>) | null> {
  await mkdir(folder, { recursive: true });
  if (process.getuid?.() !== 0) {
    await chmod(folder, 0o555);
    return () => chmod(folder, 0o755);
  }
  try {
    await run("chattr", ["+i", folder]);
  } catch {
    return null;
  }
  return async () => {
    await run("chattr", ["-i", folder]);
  };
}

/** The id of a process that has exited (for leftovers "of a killed run"). */
export async function deadPid(): Promise<number> {
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  const pid = child.pid ?? 0;
  await new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return pid;
}
