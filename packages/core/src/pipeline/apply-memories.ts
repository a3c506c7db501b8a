import type { StorageAdapter } from "../ports/storage-adapter.js";
import type { MemoryLineage } from "../schemas/lineage.js";
import type { Memory } from "../schemas/memory.js";
import type { MemoryActor, MemoryVersionOperation } from "../schemas/memory-version.js";
import { createPacer, type Pacer } from "../util/pacer.js";

/** What a store should hold at `path` once applied: this content (and lineage, when given). */
export interface MemoryTarget {
  path: string;
  content: string;
  lineage?: MemoryLineage | null;
}

/**
 * One step of a plan: a target to create at a new path, a memory to modify or leave unchanged, or one to delete.
 * `before` is the memory as read (null for `created`), `after` the target (null for `deleted`).
 */
export type PlannedChange =
  | { operation: "created"; path: string; before: null; after: MemoryTarget }
  | { operation: "modified" | "unchanged"; path: string; before: Memory; after: MemoryTarget }
  | { operation: "deleted"; path: string; before: Memory; after: null };

/** One change as it was applied, with the memory after it (null once deleted). */
export interface AppliedMemory {
  operation: MemoryVersionOperation | "unchanged";
  path: string;
  memory: Memory | null;
}

/**
 * Compares a store's memories with targets, in target order: a target at a new path is created, one whose content
 * (or lineage, when the target gives one) differs is modified, the rest are unchanged. With `removeOthers` every
 * memory no target names is deleted, first (so a target may take a path below or above a deleted one); without,
 * it is left alone.
 */
export function planMemoryChanges(
  existing: readonly Memory[],
  targets: readonly MemoryTarget[],
  removeOthers: boolean,
): PlannedChange[] {
  const before = new Map(existing.map((memory) => [memory.path, memory]));
  const plan: PlannedChange[] = [];
  for (const after of targets) {
    const current = before.get(after.path);
    before.delete(after.path);
    if (!current) plan.push({ operation: "created", path: after.path, before: null, after });
    else {
      const same = current.content === after.content && sameLineage(current, after);
      plan.push({ operation: same ? "unchanged" : "modified", path: after.path, before: current, after });
    }
  }
  if (!removeOthers) return plan;
  const deleted = [...before.values()].map(
    (stale): PlannedChange => ({ operation: "deleted", path: stale.path, before: stale, after: null }),
  );
  return [...deleted, ...plan];
}

function sameLineage(current: Memory, target: MemoryTarget): boolean {
  return target.lineage === undefined || JSON.stringify(current.lineage) === JSON.stringify(target.lineage);
}

/** Options for {@link applyMemories}. */
export interface ApplyMemoriesOptions {
  /** Recorded on every memory version the changes make (`created_by`). */
  actor: MemoryActor;
  pacer?: Pacer;
  /** Called after each step is written (unchanged ones included), in plan order. */
  onApplied?: (applied: AppliedMemory) => void;
}

/**
 * Writes a plan into a store one memory at a time, each write recorded as a memory version by `actor` (by adapters
 * that keep versions). Every modification and deletion is guarded by the content hash the plan was made from, so a
 * change made meanwhile by another writer is never overwritten (`precondition_failed`). Callers hold the store for
 * the whole plan: `update_existing` dreams through the engine's claim (`conflict`) and the store lock, the CLI's
 * `adopt` through its claim on the folder.
 */
export async function applyMemories(
  storage: StorageAdapter,
  storeId: string,
  plan: readonly PlannedChange[],
  options: ApplyMemoriesOptions,
): Promise<void> {
  const pacer = options.pacer ?? createPacer();
  const write = { actor: options.actor };
  for (const step of plan) {
    await pacer.pace();
    let memory: Memory | null = step.before;
    if (step.operation === "created") {
      const { path, content, lineage } = step.after;
      memory = await storage.createMemory(storeId, { path, content, lineage }, write);
    } else if (step.operation === "modified") {
      const { content, lineage } = step.after;
      const precondition = { content_sha256: step.before.content_sha256 };
      const input = { content, precondition, ...(lineage === undefined ? {} : { lineage }) };
      memory = await storage.updateMemory(storeId, step.before.id, input, write);
    } else if (step.operation === "deleted") {
      await storage.deleteMemory(storeId, step.before.id, {
        precondition: { content_sha256: step.before.content_sha256 },
        ...write,
      });
      memory = null;
    }
    options.onApplied?.({ operation: step.operation, path: step.path, memory });
  }
}
