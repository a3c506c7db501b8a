import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";

/**
 * The memory files below a folder: relative `/`-separated path → absolute path. Hidden entries (`.git`, the
 * adapter's `.nocturne`) are not memories and are skipped; links are not followed.
 */
export async function memoryFiles(dir: string, base = dir): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) for (const [key, file] of await memoryFiles(path, base)) files.set(key, file);
    else if (entry.isFile()) files.set(relative(base, path).split(sep).join("/"), path);
  }
  return files;
}
