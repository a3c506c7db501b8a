import { clashingPath, parentPaths } from "./storage-rules.js";

/**
 * How many memories each folder of a store holds, so a path clash ({@link clashingPath}) is found in the path's
 * depth instead of a scan of the store: writing a store of n memories costs n checks, not n².
 */
export class FolderIndex {
  private readonly counts: Map<string, number>;

  constructor(counts: Map<string, number> = new Map()) {
    this.counts = counts;
  }

  /** A copy to stage a batch of writes on. */
  clone(): FolderIndex {
    return new FolderIndex(new Map(this.counts));
  }

  add(path: string): void {
    for (const folder of parentPaths(path)) this.counts.set(folder, (this.counts.get(folder) ?? 0) + 1);
  }

  remove(path: string): void {
    for (const folder of parentPaths(path)) {
      const left = (this.counts.get(folder) ?? 0) - 1;
      if (left > 0) this.counts.set(folder, left);
      else this.counts.delete(folder);
    }
  }

  /**
   * The memory `path` would clash with among `paths` (the store's paths, which this index counts), as
   * {@link clashingPath} finds it; `except` is left out (a memory being moved). Null when there is none.
   */
  clash(path: string, paths: ReadonlyMap<string, unknown>, except?: string): string | null {
    for (const folder of parentPaths(path)) if (folder !== except && paths.has(folder)) return folder;
    const below = (this.counts.get(path) ?? 0) - (except?.startsWith(`${path}/`) ? 1 : 0);
    if (below <= 0) return null;
    return clashingPath(
      path,
      [...paths.keys()].filter((other) => other !== except),
    );
  }
}
