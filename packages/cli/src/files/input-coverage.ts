import { constants } from "node:fs";
import { copyFile, mkdir, readdir, readlink, symlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type MemoryContent, redactSecrets } from "@nocturne/core";
import { z } from "zod";

/** An input memory (a file, or a line of one) that the dream did not carry into its output, and why. */
export const LeftOut = z.object({
  /** `/path` of the file, or `/path:line` for one line. */
  path: z.string(),
  reason: z.string(),
  /** True when the file was copied into the output unchanged, so adopting keeps it. */
  carried: z.boolean(),
});
export type LeftOut = z.infer<typeof LeftOut>;

/** Every file and link below a folder (top-level hidden entries excepted: adopt keeps those itself), `/`-rooted. */
async function entries(dir: string, prefix = ""): Promise<Array<{ path: string; file: string; link: boolean }>> {
  const found: Array<{ path: string; file: string; link: boolean }> = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (prefix === "" && entry.name.startsWith(".")) continue;
    const file = join(dir, entry.name);
    const path = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await entries(file, path)));
    else if (entry.isFile() || entry.isSymbolicLink()) found.push({ path, file, link: entry.isSymbolicLink() });
  }
  return found;
}

/**
 * Copies into the output, unchanged, every entry of the input memory folder that the dream could not read as a
 * memory (larger than 100 KiB, named in NFD or with a control character, not UTF-8, a link), so adopting the output
 * never deletes it; an entry whose path the output already uses is reported as left out instead. `reasons` holds
 * the adapter's warnings by path.
 */
export async function carryOverUnread(
  memoryDir: string,
  outputDir: string,
  inputs: MemoryContent[],
  reasons: Map<string, string>,
): Promise<LeftOut[]> {
  const read = new Set(inputs.map((memory) => memory.path));
  const written = new Set((await entries(outputDir)).map((entry) => entry.path));
  const left: LeftOut[] = [];
  for (const entry of await entries(memoryDir)) {
    if (read.has(entry.path)) continue;
    const reason = reasons.get(entry.path) ?? reasons.get(entry.path.normalize("NFC")) ?? "not readable as a memory";
    if (written.has(entry.path)) {
      left.push({ path: entry.path, reason: `${reason}; the output has its own ${entry.path}`, carried: false });
      continue;
    }
    const target = join(outputDir, ...entry.path.slice(1).split("/"));
    await mkdir(dirname(target), { recursive: true });
    if (entry.link) await symlink(await readlink(entry.file), target);
    else await copyFile(entry.file, target, constants.COPYFILE_EXCL);
    left.push({ path: entry.path, reason, carried: true });
  }
  return left;
}

/**
 * Lines of input memories that hold a detected secret (they were redacted before any model saw them) and appear in
 * no output memory: reported, never copied (secrets are not spread to new files).
 */
export function secretLinesLeftOut(inputs: MemoryContent[], outputs: MemoryContent[]): LeftOut[] {
  const kept = new Set(outputs.flatMap((memory) => memory.content.split("\n").map((line) => line.trim())));
  const left: LeftOut[] = [];
  for (const memory of inputs) {
    if (redactSecrets(memory.content).redactions === 0) continue;
    for (const [index, line] of memory.content.split("\n").entries()) {
      if (redactSecrets(line).redactions === 0 || kept.has(line.trim())) continue;
      left.push({
        path: `${memory.path}:${index + 1}`,
        reason: "it holds a detected secret, redacted before the model saw it; copy it over by hand if you need it",
        carried: false,
      });
    }
  }
  return left;
}
