import { join } from "node:path";
import { META_DIR, type StoreFolder } from "./store-folder.js";
import { sweepTempFiles } from "./temp-files.js";

/** The adapter's own folders under its root that writes put temporary files in. */
const ROOT_FOLDERS = ["registry", "sessions", "dreams"] as const;

/**
 * Removes the temporary files that writers killed mid-write left behind (see `sweepTempFiles`: never one of a
 * live writer): in the root's own folders and in the `.nocturne/` and `.nocturne/tmp/` of every store it may write.
 * A folder that cannot be read is skipped: this is clean-up, and must not keep storage from opening.
 */
export async function sweepLeftovers(root: string, stores: StoreFolder[], staleMs: number): Promise<void> {
  const dirs = [
    ...ROOT_FOLDERS.map((name) => join(root, name)),
    ...stores
      .filter((store) => !store.readOnly)
      .flatMap((store) => [join(store.dir, META_DIR), join(store.dir, META_DIR, "tmp")]),
  ];
  await Promise.all(dirs.map((dir) => sweepTempFiles(dir, staleMs).catch(() => [])));
}
