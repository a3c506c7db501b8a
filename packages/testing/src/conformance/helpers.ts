import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  type ConsolidationReport,
  type Dream,
  type DreamRecord,
  type Memory,
  type MemoryStore,
  NocturneError,
  type NocturneErrorCode,
  type Session,
  type StorageAdapter,
} from "@nocturne/core";

/** An RFC 3339 timestamp in UTC (`Z`), the only form resources carry. */
export const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Hex SHA-256 of a string's UTF-8 bytes, computed here so the suite does not trust the adapter's helpers. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex");
}

/** Byte-wise comparison of two strings' UTF-8 encodings. */
export function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/**
 * Awaits `promise`, expecting it to reject with a `NocturneError` of `code`, and returns that error. Asserts with
 * `node:assert`, whose errors every test runner reports, so helpers need no runner.
 */
export async function expectCode(promise: Promise<unknown>, code: NocturneErrorCode): Promise<NocturneError> {
  const outcome = await promise.then(
    (value) => ({ rejected: false as const, value }),
    (error: unknown) => ({ rejected: true as const, error }),
  );
  if (!outcome.rejected) assert.fail(`expected a NocturneError with code "${code}", but the call succeeded`);
  const { error } = outcome;
  assert.ok(NocturneError.isInstance(error), `expected a NocturneError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  assert.ok(error.message.length > 0, "a NocturneError's message must say what to do");
  return error;
}

/** Checks the fields every memory carries and that hash and size match its content. */
export function expectWholeMemory(memory: Memory, storeId: string): void {
  assert.match(memory.id, /^mem_/);
  assert.equal(memory.memory_store_id, storeId);
  assert.equal(memory.content_sha256, sha256Hex(memory.content), "content_sha256 must match the content");
  assert.equal(memory.content_size_bytes, Buffer.byteLength(memory.content, "utf8"));
  assert.match(memory.created_at, RFC3339_UTC);
  assert.match(memory.updated_at, RFC3339_UTC);
  assert.ok(Date.parse(memory.updated_at) >= Date.parse(memory.created_at), "updated_at before created_at");
}

/** Creates a store with a throwaway name. */
export function newStore(adapter: StorageAdapter, name = "conformance"): Promise<MemoryStore> {
  return adapter.createMemoryStore({ name });
}

/** Reads every memory of a store, following cursors. */
export async function listAll(adapter: StorageAdapter, storeId: string, pathPrefix?: string): Promise<Memory[]> {
  const all: Memory[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await adapter.listMemories(storeId, { path_prefix: pathPrefix, limit: 1000, after });
    all.push(...page.data);
    if (page.next_cursor === null) return all;
    after = page.next_cursor;
  }
}

/** Path and content of every memory in a store, sorted by path: a snapshot to compare before and after. */
export async function snapshot(adapter: StorageAdapter, storeId: string): Promise<Array<[string, string]>> {
  return (await listAll(adapter, storeId)).map((memory) => [memory.path, memory.content]);
}

/** A memory path of exactly `bytes` UTF-8 bytes, made of ASCII segments no longer than 200 bytes. */
export function pathOfBytes(bytes: number): string {
  let path = "";
  while (bytes - path.length > 201) path += `/${"p".repeat(200)}`;
  const rest = bytes - path.length - 1;
  return `${path}/${"q".repeat(rest)}`;
}

/** Content of exactly `bytes` UTF-8 bytes, mixing one-, two-, three- and four-byte characters. */
export function contentOfBytes(bytes: number): string {
  const unit = "aé€😀\n"; // 1 + 2 + 3 + 4 + 1 = 11 bytes
  const whole = Math.floor(bytes / 11);
  return unit.repeat(whole) + "z".repeat(bytes - whole * 11);
}

/** A session in the hosted event vocabulary, with every kind of event the schema knows. */
export function sampleSession(id: string, overrides: Partial<Session> = {}): Session {
  return {
    id,
    title: `Session ${id}`,
    created_at: "2026-03-01T09:30:00Z",
    metadata: { source: "conformance" },
    events: [
      {
        id: "evt_1",
        type: "user.message",
        processed_at: "2026-03-01T09:30:01Z",
        content: [{ type: "text", text: "I prefer tabs, 4 wide. Ünïcödé ✓ 日本語 😀" }],
      },
      {
        id: "evt_2",
        type: "agent.tool_use",
        processed_at: "2026-03-01T09:30:02.123Z",
        name: "read_file",
        input: { path: "/etc/editorconfig", nested: [1, 2, { deep: true }] },
      },
      {
        id: "evt_3",
        type: "agent.tool_result",
        processed_at: "2026-03-01T09:30:03Z",
        tool_use_id: "evt_2",
        content: "indent_style = tab",
        is_error: false,
      },
      {
        id: "evt_4",
        type: "agent.message",
        processed_at: "2026-03-01T09:30:04Z",
        content: [{ type: "text", text: "Noted." }],
      },
      { id: "evt_5", type: "session.status_idle", processed_at: "2026-03-01T09:30:05Z", stop_reason: "end_turn" },
    ],
    ...overrides,
  };
}

/** A dream resource with the given id and creation time. */
export function sampleDream(id: string, overrides: Partial<Dream> = {}): Dream {
  return {
    id,
    type: "dream",
    status: "running",
    inputs: [
      { type: "memory_store", memory_store_id: "memstore_input" },
      { type: "sessions", session_ids: ["sesn_a", "sesn_b"] },
    ],
    outputs: [{ type: "memory_store", memory_store_id: "memstore_output" }],
    model: { id: "offline" },
    instructions: "Keep it short. ✓",
    output_behavior: { type: "create_new" },
    usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    error: null,
    created_at: "2026-03-01T10:00:00.000Z",
    ended_at: null,
    archived_at: null,
    ...overrides,
  };
}

/** A small but complete consolidation report for a dream. */
export function sampleReport(dream: Dream): ConsolidationReport {
  return {
    dreamId: dream.id,
    status: dream.status,
    inputStoreId: "memstore_input",
    outputStoreId: "memstore_output",
    model: dream.model.id,
    instructions: dream.instructions,
    createdAt: dream.created_at,
    endedAt: dream.ended_at,
    sessions: [
      {
        sessionId: "sesn_a",
        title: "A",
        contentSha256: sha256Hex("a"),
        events: 3,
        chunks: 1,
        facts: 1,
        skipped: false,
      },
    ],
    outputs: [
      {
        memoryId: null,
        path: "/preferences.md",
        contentSha256: sha256Hex("# Preferences\n"),
        facts: [
          {
            key: "editor.indentation",
            statement: "Prefers tabs, 4 wide.",
            kind: "preference",
            trust: "user",
            observedAt: "2026-03-01T09:30:01Z",
            evidence: [{ type: "event", sessionId: "sesn_a", eventId: "evt_1", quote: "I prefer tabs" }],
            merged: [],
            superseded: [],
          },
        ],
        insights: [],
      },
    ],
    inputs: [],
    dropped: [],
    declined: [],
    insights: [],
    notices: ["offline model"],
    stats: { chunks: 1, candidateFacts: 1, clusters: 1, judgeCalls: 0, redactions: 0 },
    usage: dream.usage,
    error: dream.error,
  };
}

/** A full dream record: the dream, its report and its owner process. */
export function sampleDreamRecord(id: string, overrides: Partial<Dream> = {}): DreamRecord {
  const dream = sampleDream(id, overrides);
  return {
    dream,
    report: sampleReport(dream),
    owner: { host: "conformance-host", pid: 4242, heartbeat_at: "2026-03-01T10:00:05.000Z" },
  };
}
