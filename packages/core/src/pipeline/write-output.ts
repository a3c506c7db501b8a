import type { StorageAdapter } from "../ports/storage-adapter.js";
import type { DreamEventBody } from "../schemas/dream-event.js";
import type { Memory } from "../schemas/memory.js";
import type { MemoryWriteOptions } from "../schemas/memory-version.js";
import type { Pacer } from "../util/pacer.js";
import type { ReportInputs } from "./build-report.js";
import type { RenderedMemory } from "./render-memories.js";

/** Where and how a dream writes its rendered memories. */
export interface OutputTarget {
  storage: StorageAdapter;
  storeId: string;
  /**
   * The input store's memories as the dream read them, when it updates that store in place (`update_existing`);
   * null when it fills a new store.
   */
  existing: readonly Memory[] | null;
  emit(event: DreamEventBody): void;
}

/**
 * Writes the dream's memories one at a time, each attributed to the dream (`dream_actor`), recording in `state`
 * what was written. Into a new store every memory is created. Into the input store a memory at a path it already
 * has is updated (left alone when neither content nor lineage changed), and memories the result no longer holds are
 * deleted; each such change is guarded by the content hash the dream read, so an edit made meanwhile is never
 * overwritten (`precondition_failed`), and is recorded as a version by adapters that keep them.
 */
export async function writeOutput(
  target: OutputTarget,
  rendered: readonly RenderedMemory[],
  state: ReportInputs,
  pacer: Pacer,
): Promise<void> {
  const { storage, storeId } = target;
  const options: MemoryWriteOptions = { actor: { type: "dream_actor", dream_id: state.dreamId } };
  const before = new Map((target.existing ?? []).map((memory) => [memory.path, memory]));
  for (const memory of rendered) {
    await pacer.pace();
    const current = before.get(memory.path);
    before.delete(memory.path);
    const { path, content, lineage } = memory;
    const unchanged = current?.content === content && JSON.stringify(current.lineage) === JSON.stringify(lineage);
    const written = !current
      ? await storage.createMemory(storeId, { path, content, lineage }, options)
      : unchanged
        ? current
        : await storage.updateMemory(
            storeId,
            current.id,
            { content, lineage, precondition: { content_sha256: current.content_sha256 } },
            options,
          );
    state.written.set(written.path, written.id);
    for (const fact of memory.facts) state.writtenTo.set(fact, written.path);
    state.outputSha256.set(written.path, written.content_sha256);
    target.emit({ type: "memory.written", memory_id: written.id, path: written.path });
  }
  for (const stale of before.values()) {
    await pacer.pace();
    await storage.deleteMemory(storeId, stale.id, {
      precondition: { content_sha256: stale.content_sha256 },
      ...options,
    });
  }
}
