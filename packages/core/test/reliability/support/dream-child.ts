// A dream in a child process, for crash tests: the parent kills it with SIGKILL at a chosen point.
// Usage: node --import tsx --conditions=@nocturne/source dream-child.ts '<json config>'
// Prints one JSON line per dream event on stdout.
import { createNocturne, type StorageAdapter } from "@nocturne/core";
import { createScriptedLanguageModel } from "@nocturne/testing";
import { createFsAdapter } from "../../../../adapters-fs/src/index.js";
import { createSqliteAdapter } from "../../../../adapters-sqlite/src/index.js";
import { honestReply } from "./faulty-model.js";

/** What the parent tells the child. */
export interface ChildConfig {
  backend: "fs" | "sqlite";
  location: string;
  storeId: string;
  sessionIds: string[];
  latencyMs: number;
}

/** Opens the backend a crash test uses, on the given folder or file. */
export function openBackend(backend: ChildConfig["backend"], location: string): StorageAdapter {
  return backend === "fs"
    ? createFsAdapter({ root: location, durable: true })
    : createSqliteAdapter({ file: location, synchronous: "full" });
}

async function main(config: ChildConfig): Promise<void> {
  const storage = openBackend(config.backend, config.location);
  const model = createScriptedLanguageModel({ script: honestReply, latencyMs: config.latencyMs });
  const engine = createNocturne({ storage, model, concurrency: 2, chunkTokens: 400 });
  const dream = await engine.dreams.create({
    inputs: [
      { type: "memory_store", memory_store_id: config.storeId },
      { type: "sessions", session_ids: config.sessionIds },
    ],
  });
  process.stdout.write(`${JSON.stringify({ type: "created", dream_id: dream.id })}\n`);
  for await (const event of engine.dreams.events(dream.id)) process.stdout.write(`${JSON.stringify(event)}\n`);
  await engine.close();
}

if (process.argv[2]) {
  main(JSON.parse(process.argv[2]) as ChildConfig).catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
