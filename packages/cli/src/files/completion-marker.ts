import { lstat, open, readFile, rename } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { NocturneError } from "@nocturne/core";
import { z } from "zod";
import { LeftOut } from "./input-coverage.js";

/** Where a completed dream's output folder records that it is complete (inside the adapter's metadata folder). */
export const COMPLETION_MARKER = join(".nocturne", "dream-completed.json");

/** What the marker says: the dream, and every memory file it wrote (relative, `/`-separated). */
export const CompletionMarker = z.object({
  version: z.literal(1),
  dream_id: z.string().min(1),
  status: z.literal("completed"),
  completed_at: z.string(),
  files: z.array(z.string()),
  /** Input memories not in the dream's output as memories: carried over unchanged, or left out, with the reason. */
  left_out: z.array(LeftOut).default([]),
});
export type CompletionMarker = z.input<typeof CompletionMarker>;

/**
 * Writes the marker into a finished output folder, last and atomically (a temporary file, fsynced, renamed): a
 * folder without it is partial, whatever else it holds.
 */
export async function writeCompletionMarker(folder: string, marker: CompletionMarker): Promise<void> {
  const file = join(folder, COMPLETION_MARKER);
  const temp = `${file}.tmp-${process.pid}`;
  const handle = await open(temp, "wx", 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(CompletionMarker.parse(marker), null, 2)}\n`, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}

/**
 * The marker of an output folder that a completed dream wrote, after checking every file it lists is there.
 * Anything else (no marker, an unreadable one, a listed file missing) fails `output_incomplete`.
 */
export async function readCompletionMarker(folder: string): Promise<z.output<typeof CompletionMarker>> {
  const incomplete = (why: string, cause?: unknown) =>
    new NocturneError(
      "output_incomplete",
      `${folder} is not the output of a completed dream (${why}); adopting it could delete memories. Its dream crashed, failed or was canceled: run the dream again into a new --out.`,
      { details: { from: folder, reason: why }, ...(cause === undefined ? {} : { cause }) },
    );
  let marker: z.output<typeof CompletionMarker>;
  try {
    marker = CompletionMarker.parse(JSON.parse(await readFile(join(folder, COMPLETION_MARKER), "utf8")));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw incomplete(missing ? "it has no completion marker" : "its completion marker is unreadable", error);
  }
  for (const file of marker.files) {
    const path = join(folder, ...file.split("/"));
    const rel = relative(folder, path);
    if (rel.startsWith(`..${sep}`) || rel === "..") throw incomplete(`its marker names ${file}, outside it`);
    const info = await lstat(path).catch(() => null);
    if (info === null || !info.isFile()) throw incomplete(`${file}, which its dream wrote, is missing`);
  }
  return marker;
}
