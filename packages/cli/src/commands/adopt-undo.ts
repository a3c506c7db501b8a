import type { FsAdapter } from "@nocturne/adapters-fs";
import { type MemoryVersion, NocturneError, type PlannedChange } from "@nocturne/core";

/** Every version of a store, newest first. */
async function allVersions(adapter: FsAdapter, storeId: string): Promise<MemoryVersion[]> {
  const versions: MemoryVersion[] = [];
  let after: string | undefined;
  do {
    const page = await adapter.memoryVersions.list(storeId, { limit: 1000, after });
    versions.push(...page.data);
    after = page.next_cursor ?? undefined;
  } while (after !== undefined);
  return versions;
}

const byDream = (version: MemoryVersion, dreamId: string) =>
  version.created_by?.type === "dream_actor" && version.created_by.dream_id === dreamId;

/**
 * The plan that undoes what dream `dreamId` wrote into a store, read from its memory versions: each memory the
 * dream created is deleted, each it modified or deleted gets back the content of its version before the dream's
 * first. Refused (`conflict`, nothing planned) when a memory changed after the dream's last write to it, and
 * (`invalid_input`) when the dream wrote nothing there or a version needed was redacted.
 */
export async function undoTargets(adapter: FsAdapter, storeId: string, dreamId: string): Promise<PlannedChange[]> {
  const history = new Map<string, MemoryVersion[]>();
  for (const version of await allVersions(adapter, storeId)) {
    history.set(version.memory_id, [...(history.get(version.memory_id) ?? []), version]);
  }
  const plan: PlannedChange[] = [];
  for (const versions of history.values()) {
    const ours = versions.filter((version) => byDream(version, dreamId));
    const [latest] = versions;
    if (ours.length === 0 || latest === undefined) continue;
    const path = latest.path ?? ours[0]?.path ?? "?";
    if (!byDream(latest, dreamId)) {
      throw new NocturneError(
        "conflict",
        `${path} changed after dream ${dreamId} wrote it (version ${latest.id}); undoing would lose that change. Nothing was changed.`,
        { details: { memory_id: latest.memory_id, version_id: latest.id } },
      );
    }
    const first = ours[ours.length - 1] as MemoryVersion;
    const prior = versions[versions.indexOf(first) + 1] ?? null;
    const current = latest.operation === "deleted" ? null : await adapter.getMemory(storeId, latest.memory_id);
    if (latest.operation !== "deleted" && current?.content_sha256 !== latest.content_sha256) {
      throw new NocturneError(
        "conflict",
        `${path} was edited after dream ${dreamId} wrote it; undoing would lose that edit. Nothing was changed.`,
        { details: { memory_id: latest.memory_id } },
      );
    }
    if (prior !== null && prior.operation !== "deleted" && (prior.path === null || prior.content === null)) {
      throw new NocturneError(
        "invalid_input",
        `The version of ${path} before dream ${dreamId} (${prior.id}) was redacted; it cannot be restored. Nothing was changed.`,
        { details: { version_id: prior.id } },
      );
    }
    const restore =
      prior === null || prior.operation === "deleted"
        ? null
        : { path: prior.path as string, content: prior.content as string };
    if (current && restore === null)
      plan.push({ operation: "deleted", path: current.path, before: current, after: null });
    else if (current && restore && restore.path === current.path) {
      plan.push({ operation: "modified", path: current.path, before: current, after: restore });
    } else {
      if (current) plan.push({ operation: "deleted", path: current.path, before: current, after: null });
      if (restore) plan.push({ operation: "created", path: restore.path, before: null, after: restore });
    }
  }
  if (plan.length === 0) {
    throw new NocturneError(
      "invalid_input",
      `Dream ${dreamId} wrote no memory version in this folder; there is nothing to undo. Check the dream id in the adopt's output.`,
      { details: { dream_id: dreamId } },
    );
  }
  return [
    ...plan.filter((step) => step.operation === "deleted"),
    ...plan.filter((step) => step.operation !== "deleted"),
  ];
}
