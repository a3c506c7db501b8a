import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type ListMemoryVersionsOptions, MemoryVersion, type Page, storageRules } from "@nocturne/core";
import { isErrno } from "./fs-errors.js";
import { META_DIR, type StoreFolder } from "./store-folder.js";

/** Where a store keeps its memory versions: `.nocturne/versions/<memver id>.json`, one file per version. */
export function versionsDir(folder: StoreFolder): string {
  return join(folder.dir, META_DIR, "versions");
}

/** The file of one version; ids are checked, so a caller's id never names a file elsewhere. */
export function versionFileOf(folder: StoreFolder, versionId: string): string | null {
  return /^memver_[0-9a-z]+$/.test(versionId) ? join(versionsDir(folder), `${versionId}.json`) : null;
}

/** One version, or null when the store has no such file (or it does not parse as a version). */
export async function readVersion(folder: StoreFolder, versionId: string): Promise<MemoryVersion | null> {
  const file = versionFileOf(folder, versionId);
  if (file === null) return null;
  try {
    const parsed = MemoryVersion.safeParse(JSON.parse(await readFile(file, "utf8")));
    return parsed.success && parsed.data.id === versionId && parsed.data.memory_store_id === folder.storeId
      ? parsed.data
      : null;
  } catch (error) {
    if (isErrno(error, "ENOENT", "ENOTDIR")) return null;
    throw error;
  }
}

/** The store's version ids, newest first. */
async function versionIds(folder: StoreFolder): Promise<string[]> {
  try {
    return (await readdir(versionsDir(folder)))
      .filter((name) => name.startsWith("memver_") && name.endsWith(".json"))
      .map((name) => name.slice(0, -".json".length))
      .sort(storageRules.newestVersionFirst);
  } catch (error) {
    if (isErrno(error, "ENOENT", "ENOTDIR")) return [];
    throw error;
  }
}

/** One page of the store's versions, newest first, reading only as many files as the page needs. */
export async function listVersions(
  folder: StoreFolder,
  options: ListMemoryVersionsOptions,
): Promise<Page<MemoryVersion>> {
  const size = storageRules.pageSize(options.limit);
  const after = options.after;
  const ids = (await versionIds(folder)).filter(
    (id) => after === undefined || storageRules.newestVersionFirst(id, after) > 0,
  );
  const data: MemoryVersion[] = [];
  let index = 0;
  for (; index < ids.length && data.length <= size; index++) {
    const version = await readVersion(folder, ids[index] as string);
    if (version && (options.memory_id === undefined || version.memory_id === options.memory_id)) data.push(version);
  }
  const page = data.slice(0, size);
  const last = page.at(-1);
  return { data: page, next_cursor: data.length > size && last !== undefined ? last.id : null };
}
