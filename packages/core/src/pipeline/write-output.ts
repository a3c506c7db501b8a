import type { StorageAdapter } from "../ports/storage-adapter.js";
import type { DreamEventBody } from "../schemas/dream-event.js";
import type { Memory } from "../schemas/memory.js";
import type { Pacer } from "../util/pacer.js";
import { applyMemories, planMemoryChanges } from "./apply-memories.js";
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
 * Writes the dream's memories through {@link applyMemories}, each attributed to the dream (`dream_actor`), recording
 * in `state` what was written. Into a new store every memory is created. Into the input store a memory at a path it
 * already has is updated (left alone when neither content nor lineage changed), and memories the result no longer
 * holds are deleted, each guarded by the content hash the dream read.
 */
export async function writeOutput(
  target: OutputTarget,
  rendered: readonly RenderedMemory[],
  state: ReportInputs,
  pacer: Pacer,
): Promise<void> {
  const facts = new Map(rendered.map((memory) => [memory.path, memory.facts]));
  const targets = rendered.map(({ path, content, lineage }) => ({ path, content, lineage }));
  const plan = planMemoryChanges(target.existing ?? [], targets, target.existing !== null);
  await applyMemories(target.storage, target.storeId, plan, {
    actor: { type: "dream_actor", dream_id: state.dreamId },
    pacer,
    onApplied: ({ operation, path, memory }) => {
      if (operation === "deleted" || memory === null) return;
      state.written.set(memory.path, memory.id);
      for (const fact of facts.get(path) ?? []) state.writtenTo.set(fact, memory.path);
      state.outputSha256.set(memory.path, memory.content_sha256);
      target.emit({ type: "memory.written", memory_id: memory.id, path: memory.path });
    },
  });
}
