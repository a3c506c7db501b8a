import { DREAM_DEFAULTS } from "../defaults.js";
import { NocturneError } from "../errors.js";
import type { StorageAdapter } from "../ports/storage-adapter.js";
import {
  CreateDreamInput,
  type DreamInput,
  type DreamOutputBehavior,
  MAX_DREAM_SESSIONS,
  MAX_INSTRUCTIONS_LENGTH,
} from "../schemas/dream.js";
import type { LedgerEntry } from "../schemas/lineage.js";
import type { Memory } from "../schemas/memory.js";
import type { MemoryStore } from "../schemas/memory-store.js";
import type { Session } from "../schemas/session.js";
import { sha256 } from "../util/hash.js";
import { createPacer, type Pacer } from "../util/pacer.js";

/** Default limits on the input store. */

/** What a dream takes over from its input store's ledger. */
export interface IncrementalPlan {
  /** Sessions of this dream whose content the input store already folded in: not extracted again. */
  skip: ReadonlySet<string>;
  /** Entries of the input store's ledger, carried into the output's. */
  carried: LedgerEntry[];
}

/** A dream's inputs as read at its start: from here on the pipeline reads only this. */
export interface InputSnapshot {
  store: MemoryStore;
  memories: Memory[];
  sessions: Session[];
  /** SHA-256 of each session's canonical JSON, by session id. */
  sessionHashes: Map<string, string>;
  /** Sessions the input store already folded in, and its ledger (set by `applyIncremental`). */
  incremental?: IncrementalPlan;
}

/** A validated dream request. */
export interface ValidDreamRequest {
  inputs: DreamInput[];
  storeId: string;
  sessionIds: string[];
  instructions: string;
  model: string | undefined;
  /** Where the result goes; `update_existing` names the input store. */
  outputBehavior: DreamOutputBehavior;
}

function invalid(
  code: "invalid_input" | "session_count_out_of_range" | "duplicate_session_ids" | "instructions_too_long",
  message: string,
  details: Record<string, unknown> = {},
): NocturneError {
  return new NocturneError(code, message, { details });
}

/**
 * Checks a dream request's shape and limits — exactly one memory store and one sessions entry, 1 to 100 distinct
 * sessions, instructions up to 4,096 characters — with a typed error for each way it can be wrong.
 */
export function validateDreamRequest(input: unknown): ValidDreamRequest {
  const parsed = CreateDreamInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(
      "invalid_input",
      `Invalid dream request${issue?.path.length ? ` at ${issue.path.join(".")}` : ""}: ${issue?.message ?? "invalid"}. Give inputs [{type:"memory_store", memory_store_id}, {type:"sessions", session_ids:[…]}].`,
      { issues: parsed.error.issues },
    );
  }
  const { inputs, instructions, model, output_behavior: outputBehavior } = parsed.data;
  const stores = inputs.filter((entry) => entry.type === "memory_store");
  const sessionsEntries = inputs.filter((entry) => entry.type === "sessions");
  if (stores.length !== 1 || sessionsEntries.length !== 1) {
    throw invalid(
      "invalid_input",
      `A dream takes exactly one memory_store input and one sessions input (got ${stores.length} and ${sessionsEntries.length}). Fix the inputs list.`,
    );
  }
  const storeId = stores[0]?.type === "memory_store" ? stores[0].memory_store_id : "";
  const sessionIds = sessionsEntries[0]?.type === "sessions" ? sessionsEntries[0].session_ids : [];
  if (sessionIds.length < 1 || sessionIds.length > MAX_DREAM_SESSIONS) {
    throw invalid(
      "session_count_out_of_range",
      `A dream reads 1 to ${MAX_DREAM_SESSIONS} sessions; ${sessionIds.length} were given. Split the sessions across several dreams.`,
      { count: sessionIds.length, max: MAX_DREAM_SESSIONS },
    );
  }
  const duplicates = sessionIds.filter((id, index) => sessionIds.indexOf(id) !== index);
  if (duplicates.length > 0) {
    throw invalid(
      "duplicate_session_ids",
      `Session ids must be distinct; repeated: ${[...new Set(duplicates)].join(", ")}. Remove the duplicates.`,
      { duplicates },
    );
  }
  if (instructions.length > MAX_INSTRUCTIONS_LENGTH) {
    throw invalid(
      "instructions_too_long",
      `Instructions are ${instructions.length} characters; the limit is ${MAX_INSTRUCTIONS_LENGTH}. Shorten them.`,
      { length: instructions.length, max: MAX_INSTRUCTIONS_LENGTH },
    );
  }
  if (outputBehavior.type === "update_existing" && outputBehavior.memory_store_id !== storeId) {
    throw invalid(
      "invalid_input",
      `output_behavior update_existing names memory store ${outputBehavior.memory_store_id}, but the dream reads ${storeId}; a dream can only update the store it reads. Name the input store.`,
      { memory_store_id: outputBehavior.memory_store_id, input_memory_store_id: storeId },
    );
  }
  const sortedIds = [...sessionIds].sort();
  return {
    inputs: [
      { type: "memory_store", memory_store_id: storeId },
      { type: "sessions", session_ids: sortedIds },
    ],
    storeId,
    sessionIds: sortedIds,
    instructions,
    model,
    outputBehavior,
  };
}

/** Every memory of a store, following pages. */
export async function readAllMemories(storage: StorageAdapter, storeId: string): Promise<Memory[]> {
  const memories: Memory[] = [];
  let after: string | undefined;
  const pacer = createPacer();
  do {
    await pacer.pace();
    const page = await storage.listMemories(storeId, { limit: 1000, after });
    memories.push(...page.data);
    after = page.next_cursor ?? undefined;
  } while (after !== undefined);
  return memories;
}

/**
 * Reads the dream's inputs once — the store (which must exist and not be archived), all its memories (within the
 * limits) and every session — so bad inputs fail before anything is written and the run never reads them again.
 */
export async function snapshotInputs(
  storage: StorageAdapter,
  request: ValidDreamRequest,
  limits: { maxInputMemories?: number; maxInputStoreBytes?: number } = {},
): Promise<InputSnapshot> {
  const store = await storage.getMemoryStore(request.storeId);
  if (!store) {
    throw new NocturneError(
      "memory_store_not_found",
      `Memory store ${request.storeId} does not exist. Check the id, or create the store first.`,
      { details: { memory_store_id: request.storeId } },
    );
  }
  if (store.archived_at !== null) {
    throw new NocturneError(
      "memory_store_archived",
      `Memory store ${store.id} is archived; a dream cannot read an archived store. Use another store.`,
      { details: { memory_store_id: store.id } },
    );
  }
  const memories = await readAllMemories(storage, store.id);
  const maxMemories = limits.maxInputMemories ?? DREAM_DEFAULTS.maxInputMemories;
  const maxBytes = limits.maxInputStoreBytes ?? DREAM_DEFAULTS.maxInputStoreBytes;
  const bytes = memories.reduce((sum, memory) => sum + memory.content_size_bytes, 0);
  if (memories.length > maxMemories || bytes > maxBytes) {
    throw new NocturneError(
      "input_memory_store_too_large",
      `Memory store ${store.id} holds ${memories.length} memories (${bytes} bytes); a dream reads at most ${maxMemories} memories and ${maxBytes} bytes. Split the store, or raise the engine's limits.`,
      { details: { memory_store_id: store.id, memories: memories.length, bytes, maxMemories, maxBytes } },
    );
  }
  const sessions: Session[] = [];
  const sessionHashes = new Map<string, string>();
  const pacer = createPacer();
  for (const id of request.sessionIds) {
    await pacer.pace();
    const session = await storage.getSession(id);
    if (!session) {
      throw new NocturneError("session_not_found", `Session ${id} does not exist. Import it first, or check the id.`, {
        details: { session_id: id },
      });
    }
    sessions.push(session);
    sessionHashes.set(id, sha256(JSON.stringify(session)));
  }
  return { store, memories, sessions, sessionHashes };
}

/**
 * Fails with the hosted error types when an input store or session disappeared while the dream ran. Reading a
 * session back can be costly (adapters copy it whole), so the event loop gets a turn between sessions when `pacer`
 * says one is due, and a dream stopped meanwhile stops here.
 */
export async function ensureInputsAvailable(
  storage: StorageAdapter,
  snapshot: InputSnapshot,
  pacer: Pacer = createPacer(),
): Promise<void> {
  const store = await storage.getMemoryStore(snapshot.store.id);
  if (!store) {
    throw new NocturneError(
      "input_memory_store_unavailable",
      `The input memory store ${snapshot.store.id} disappeared while the dream ran. Restore it and start a new dream.`,
      { details: { memory_store_id: snapshot.store.id } },
    );
  }
  for (const session of snapshot.sessions) {
    await pacer.pace();
    if (!(await storage.getSession(session.id))) {
      throw new NocturneError(
        "input_session_unavailable",
        `Input session ${session.id} disappeared while the dream ran. Restore it, or start a new dream without it.`,
        { details: { session_id: session.id } },
      );
    }
  }
}
