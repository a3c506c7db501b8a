import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { createFsAdapter } from "@nocturne/adapters-fs";
import type { MemoryWrite } from "@nocturne/core";
import type { CliIo } from "../cli-io.js";
import { EXIT_CODES, usageError } from "../exit-codes.js";
import { transcriptFiles } from "../load-sessions.js";
import { parseCommand } from "../parse-options.js";
import { storeSessions } from "../store-sessions.js";
import { safeText } from "../terminal-text.js";
import { storeContents } from "../write-report.js";
import { withStorage } from "./with-storage.js";

/**
 * `nocturne import --storage <s> [--memory <dir>] [--sessions <file-or-dir>...]`: copies transcripts into sessions
 * (each streamed into storage as it is read, see `storeSessions`) and a memory folder into a new store, so dreams can
 * run on them by id. The files are only read.
 */
export async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand("import", args, {
    storage: { type: "string" },
    memory: { type: "string" },
    name: { type: "string" },
    sessions: { type: "string", multiple: true },
    json: { type: "boolean" },
  });
  if (positionals.length > 0) throw usageError(`nocturne import: unexpected argument "${positionals[0]}".`);
  if (values.memory === undefined && (values.sessions ?? []).length === 0) {
    throw usageError("nocturne import needs --memory <dir>, --sessions <file-or-dir>..., or both.");
  }
  const files = values.sessions ? await transcriptFiles(values.sessions) : [];
  const memories =
    values.memory === undefined
      ? null
      : await readFolder(values.memory, (text) => io.stderr.write(`${safeText(text)}\n`));
  return withStorage(values.storage, async ({ storage }) => {
    const result: { memory_store_id: string | null; memories: number; session_ids: string[] } = {
      memory_store_id: null,
      memories: 0,
      session_ids: [],
    };
    const stored: string[] = [];
    try {
      result.session_ids = await storeSessions(
        storage,
        files,
        (text) => io.stderr.write(`${safeText(text)}\n`),
        (id) => stored.push(id),
      );
    } catch (error) {
      if (stored.length > 0) io.stderr.write(`${safeText(`Stored before the error: ${stored.join(", ")}`)}\n`);
      throw error;
    }
    if (memories !== null && values.memory !== undefined) {
      const store = await storage.createMemoryStore({
        name: values.name ?? (basename(resolve(values.memory)) || "memory"),
        description: `Imported from ${resolve(values.memory)}`.slice(0, 1024),
      });
      const writes: MemoryWrite[] = memories.map((memory) => ({
        op: "upsert",
        path: memory.path,
        content: memory.content,
      }));
      if (writes.length > 0) await storage.writeMemories(store.id, writes);
      result.memory_store_id = store.id;
      result.memories = writes.length;
    }
    if (values.json === true) io.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      if (result.memory_store_id)
        io.stdout.write(`Memory store ${result.memory_store_id} (${result.memories} memories)\n`);
      for (const id of result.session_ids) io.stdout.write(`Session ${id}\n`);
    }
    return EXIT_CODES.ok;
  });
}

async function readFolder(folder: string, warn: (text: string) => void) {
  const root = await mkdtemp(join(tmpdir(), "nocturne-import-"));
  const reader = createFsAdapter({
    root,
    durable: false,
    onWarning: (warning) => warn(`warning: ${folder}: ${warning.message}`),
  });
  try {
    const store = await reader.mountFolder(folder, { readOnly: true });
    return await storeContents(reader, store.id);
  } finally {
    await reader.close?.();
    await rm(root, { recursive: true, force: true });
  }
}
