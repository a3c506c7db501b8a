import { cp, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  importTranscriptFile,
  listTranscriptFiles,
  type Memory,
  readAllMemories,
  type StorageAdapter,
  sha256,
} from "@nocturne/core";
import { REPO_ROOT } from "./child.js";

/** The example data: a memory folder and twelve transcripts. */
export const EXAMPLE_DATA = join(REPO_ROOT, "examples", "data");

/** Copies the example memory folder (with its timestamps and adapter metadata) to `to`. */
export async function copyExampleMemory(to: string): Promise<void> {
  await cp(join(EXAMPLE_DATA, "memory"), to, { recursive: true, preserveTimestamps: true });
}

/** Creates a store holding every note of the example memory folder; returns its id. */
export async function loadExampleMemory(storage: StorageAdapter): Promise<string> {
  const store = await storage.createMemoryStore({ name: "example memory" });
  const visit = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith(".")) continue;
      if (entry.isDirectory()) await visit(join(dir, entry.name), `${prefix}/${entry.name}`);
      else {
        const content = await readFile(join(dir, entry.name), "utf8");
        await storage.createMemory(store.id, { path: `${prefix}/${entry.name}`, content });
      }
    }
  };
  await visit(join(EXAMPLE_DATA, "memory"), "");
  return store.id;
}

/** Imports every example transcript as a session; returns their ids. */
export async function importExampleSessions(storage: StorageAdapter): Promise<string[]> {
  const ids: string[] = [];
  for (const file of await listTranscriptFiles([join(EXAMPLE_DATA, "sessions")])) {
    const { session } = await importTranscriptFile(file);
    await storage.putSession(session);
    ids.push(session.id);
  }
  return ids;
}

/** A dream's inputs: one store and some sessions. */
export function dreamInputs(storeId: string, sessionIds: string[]) {
  return [
    { type: "memory_store" as const, memory_store_id: storeId },
    { type: "sessions" as const, session_ids: sessionIds },
  ];
}

/** Path and hash of every memory in a store, and every session's JSON: what must not change in a dream. */
export async function inputFingerprint(
  storage: StorageAdapter,
  storeId: string,
  sessionIds: string[],
): Promise<string> {
  const memories = (await readAllMemories(storage, storeId)).map((memory) => [memory.path, memory.content_sha256]);
  const sessions = await Promise.all(sessionIds.map((id) => storage.getSession(id)));
  return sha256(JSON.stringify({ memories, sessions }));
}

/** Checks what a dream wrote reads as whole markdown memories. */
export function assertWholeMarkdown(memories: Memory[]): void {
  for (const memory of memories) {
    if (memory.content_sha256 !== sha256(memory.content)) throw new Error(`${memory.path}: hash does not match`);
    if (!memory.content.startsWith("# ") || !memory.content.endsWith("\n")) {
      throw new Error(`${memory.path} is not a whole markdown memory:\n${memory.content}`);
    }
  }
}
