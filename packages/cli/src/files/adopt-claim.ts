import { mkdir, open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { NocturneError } from "@nocturne/core";
import { processAlive, writeError } from "./real-path.js";

/**
 * Claims a memory folder for one adopt (or undo) at a time, across processes: creates `.nocturne/adopting.json`
 * exclusively, naming this process and `holder` (a dream id). A claim whose process is gone (killed) is taken
 * over. Another live one fails `conflict`, the error an `update_existing` dream gets on a store being updated.
 * Returns the release.
 */
export async function claimAdopt(memory: string, holder: string): Promise<() => Promise<void>> {
  const dir = join(memory, ".nocturne");
  const file = join(dir, "adopting.json");
  await mkdir(dir, { recursive: true }).catch((error: unknown) => {
    throw writeError(error, memory, "--memory");
  });
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, "wx", 0o600);
      await handle.writeFile(JSON.stringify({ pid: process.pid, dream_id: holder }));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw claimError(error, memory, file);
    }
    const other = await readFile(file, "utf8").then(
      (text) => JSON.parse(text) as { pid?: number; dream_id?: string },
      () => ({}) as { pid?: number; dream_id?: string },
    );
    if (typeof other.pid === "number" && other.pid !== process.pid && processAlive(other.pid)) {
      throw new NocturneError(
        "conflict",
        `Another nocturne adopt (process ${other.pid}, dream ${other.dream_id ?? "unknown"}) is writing ${memory}; a memory folder takes one adopt at a time. Wait for it to end, then retry.`,
        { details: { memory, pid: other.pid, dream_id: other.dream_id ?? null } },
      );
    }
    await rm(file, { force: true });
  }
}

function claimError(error: unknown, memory: string, file: string): NocturneError {
  if ((error as NodeJS.ErrnoException).code === "EEXIST") {
    return new NocturneError(
      "conflict",
      `Another nocturne adopt took ${memory} at the same moment; a memory folder takes one adopt at a time. Retry once it ended.`,
      { details: { memory, claim: file }, cause: error },
    );
  }
  return writeError(error, memory, "--memory");
}
