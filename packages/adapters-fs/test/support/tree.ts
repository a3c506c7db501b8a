import { createHash } from "node:crypto";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";

/** Every entry below `dir` (hidden ones too): kind, size, mode, mtime and a content hash, keyed by relative path. */
export async function treeSnapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const visit = async (at: string, rel: string): Promise<void> => {
    for (const name of (await readdir(at)).sort()) {
      const path = join(at, name);
      const key = rel ? `${rel}/${name}` : name;
      const info = await lstat(path);
      const stamp = `mode=${info.mode.toString(8)} mtime=${info.mtimeMs}`;
      if (info.isSymbolicLink()) out[key] = `link -> ${await readlink(path)} ${stamp}`;
      else if (info.isDirectory()) {
        out[key] = `dir ${stamp}`;
        await visit(path, key);
      } else {
        const hash = createHash("sha256")
          .update(await readFile(path))
          .digest("hex");
        out[key] = `file ${info.size} ${hash} ${stamp}`;
      }
    }
  };
  await visit(dir, "");
  return out;
}
