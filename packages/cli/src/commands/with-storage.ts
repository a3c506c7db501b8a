import { createNocturne, type Nocturne, type StorageAdapter } from "@nocturne/core";
import { openStorage } from "../open-storage.js";

/**
 * Runs `work` with the storage named by `--storage` and an engine over it, then closes both. The engine first marks
 * dreams whose process died as failed (`recover`), so listings never show a dead dream as running.
 */
export async function withStorage<T>(
  spec: string | undefined,
  work: (context: { storage: StorageAdapter; nocturne: Nocturne }) => Promise<T>,
  engine: Omit<Parameters<typeof createNocturne>[0], "storage"> = {},
): Promise<T> {
  const storage = await openStorage(spec);
  const nocturne = createNocturne({ storage, ...engine });
  try {
    await nocturne.recover();
    return await work({ storage, nocturne });
  } finally {
    await nocturne.close().catch(() => undefined);
  }
}
