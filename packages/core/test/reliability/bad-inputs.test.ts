import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CreateDreamInput,
  createInMemoryAdapter,
  createNocturne,
  importTranscript,
  importTranscriptFile,
  NocturneError,
  type NocturneErrorCode,
  readAllMemories,
  type StorageAdapter,
} from "@nocturne/core";
import { createScriptedLanguageModel } from "@nocturne/testing";
import { afterAll, describe, expect, it } from "vitest";
// The fs adapter is a sibling workspace package; core does not depend on it, so it is imported by path.
import { createFsAdapter, type FsWarning } from "../../../adapters-fs/src/index.js";
import { fingerprintStores } from "../security/fixtures/store-fingerprint.js";
import { honestReply } from "./support/faulty-model.js";
import { generateInputs, loadInputs } from "./support/generated-inputs.js";
import { sharedTokenizer as tokenizer } from "./support/run-dream.js";

const scratch = mkdtempSync(join(tmpdir(), "nocturne-bad-inputs-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Words that tell a person what to do next; every bad-input message must contain one. ("Nocturne reads …", the list
 * of formats it accepts, counts for an unrecognised transcript.)
 */
const ADVICE =
  /\b(fix|remove|split|shorten|use|check|import|re-export|export|give|trim|delete|raise|create|choose|restore|drop|rename|normalize|nocturne reads)\b/i;

/** Runs `act`, expects a NocturneError with `code`, and checks that its message says what to do. */
async function expectBadInput(act: () => unknown, code: NocturneErrorCode): Promise<NocturneError> {
  let caught: unknown;
  try {
    await act();
  } catch (error) {
    caught = error;
  }
  expect(NocturneError.isInstance(caught), `expected a NocturneError, got ${String(caught)}`).toBe(true);
  const error = caught as NocturneError;
  expect(error.code, error.message).toBe(code);
  expect(error.message).toMatch(ADVICE);
  return error;
}

const hostedEvents = (text: string) =>
  JSON.stringify({
    data: [
      {
        id: "sevt_1",
        type: "user.message",
        processed_at: "2026-03-01T09:00:00.000Z",
        content: [{ type: "text", text }],
      },
    ],
  });

describe("bad transcripts are refused by the importer with a typed error", () => {
  const transcripts: Array<[string, string | Uint8Array, string]> = [
    ["malformed JSON", '{"data": [{"id": "sevt_1", "type": "user.message",', "invalid_json"],
    [
      "malformed JSONL (third line broken)",
      [
        '{"type":"user","uuid":"u1","timestamp":"2026-03-01T09:00:00Z","sessionId":"s","message":{"role":"user","content":"hi"}}',
        '{"type":"assistant","uuid":"a1","timestamp":"2026-03-01T09:00:01Z","sessionId":"s","message":{"role":"assistant","content":[{"type":"text","text":"hello"}]}}',
        '{"type":"user","uuid":"u2","timestamp": 2026-03-01',
      ].join("\n"),
      "invalid_line",
    ],
    [
      "invalid UTF-8",
      new Uint8Array([...Buffer.from('{"data": [{"text": "caf'), 0xc3, 0x28, ...Buffer.from('"}]}')]),
      "invalid_utf8",
    ],
    ["an empty file", "", "empty"],
    ["only whitespace", " \n\t\n", "empty"],
    ["an empty event list", '{"data": []}', "empty"],
    ["a 20 MB single message", hostedEvents("x".repeat(20 * 1024 * 1024)), "event_too_large"],
    ["JSON that is no transcript", '{"hello": "world"}', "unknown_format"],
  ];

  it.each(transcripts)("%s", async (_name, input, reason) => {
    const error = await expectBadInput(
      () => importTranscript(input, { fileName: "bad.json" }),
      "transcript_parse_error",
    );
    expect(error.details.reason).toBe(reason);
    expect(error.message.startsWith("bad.json")).toBe(true);
  });

  it("names the file and line of a broken JSONL line when importing a file", async () => {
    const file = join(scratch, "broken.jsonl");
    writeFileSync(file, `${transcripts[1]?.[1] as string}\n`);
    const error = await expectBadInput(() => importTranscriptFile(file), "transcript_parse_error");
    expect(error.message).toContain(`${file}:3`);
  });
});

interface World {
  storage: StorageAdapter;
  storeId: string;
  sessionIds: string[];
}

async function world(sessions = 3, memories = 4): Promise<World> {
  const storage = createInMemoryAdapter();
  const inputs = await loadInputs(storage, generateInputs(31, { sessions, memories }));
  return { storage, storeId: inputs.storeId, sessionIds: inputs.sessionIds };
}

const request = (storeId: string, sessionIds: string[], extra: Partial<CreateDreamInput> = {}): CreateDreamInput => ({
  inputs: [
    { type: "memory_store", memory_store_id: storeId },
    { type: "sessions", session_ids: sessionIds },
  ],
  ...extra,
});

describe("bad dream requests fail before anything is written", () => {
  const cases: Array<[string, (w: World) => unknown, NocturneErrorCode]> = [
    [
      "101 sessions",
      (w) =>
        request(
          w.storeId,
          Array.from({ length: 101 }, (_, i) => `sesn_${i}`),
        ),
      "session_count_out_of_range",
    ],
    ["no sessions", (w) => request(w.storeId, []), "session_count_out_of_range"],
    [
      "duplicate session ids",
      (w) => request(w.storeId, [w.sessionIds[0] ?? "", w.sessionIds[0] ?? ""]),
      "duplicate_session_ids",
    ],
    [
      "instructions of 4,097 characters",
      (w) => request(w.storeId, w.sessionIds, { instructions: "x".repeat(4097) }),
      "instructions_too_long",
    ],
    ["an unknown session", (w) => request(w.storeId, ["sesn_does_not_exist"]), "session_not_found"],
    ["an unknown store", (w) => request("memstore_missing", w.sessionIds), "memory_store_not_found"],
    ["no memory store input", (w) => ({ inputs: [{ type: "sessions", session_ids: w.sessionIds }] }), "invalid_input"],
    ["an input of unknown type", () => ({ inputs: [{ type: "folder", path: "/etc" }] }), "invalid_input"],
    ["a request that is not an object", () => "dream please", "invalid_input"],
  ];

  it.each(cases)("%s", async (_name, build, code) => {
    const w = await world();
    const before = await fingerprintStores(w.storage);
    const engine = createNocturne({
      tokenizer,
      storage: w.storage,
      model: createScriptedLanguageModel({ script: honestReply }),
    });
    await expectBadInput(async () => engine.dreams.create((await build(w)) as CreateDreamInput), code);
    expect(await fingerprintStores(w.storage)).toEqual(before);
    expect((await engine.dreams.list()).data).toEqual([]);
  });

  it("accepts instructions of exactly 4,096 characters", async () => {
    const w = await world();
    const engine = createNocturne({
      tokenizer,
      storage: w.storage,
      model: createScriptedLanguageModel({ script: honestReply }),
    });
    const dream = await engine.dreams.create(request(w.storeId, w.sessionIds, { instructions: "y".repeat(4096) }));
    expect((await engine.dreams.wait(dream.id)).status).toBe("completed");
  });

  it("an archived input store", async () => {
    const w = await world();
    await w.storage.archiveMemoryStore(w.storeId);
    const before = await fingerprintStores(w.storage);
    const engine = createNocturne({
      tokenizer,
      storage: w.storage,
      model: createScriptedLanguageModel({ script: honestReply }),
    });
    await expectBadInput(() => engine.dreams.create(request(w.storeId, w.sessionIds)), "memory_store_archived");
    expect(await fingerprintStores(w.storage)).toEqual(before);
  });

  it.each([
    ["more memories than the limit", { maxInputMemories: 3 }],
    ["more bytes than the limit", { maxInputStoreBytes: 100 }],
  ])("a store over its size limits: %s (input_memory_store_too_large)", async (_name, limits) => {
    const w = await world(2, 4);
    const before = await fingerprintStores(w.storage);
    const engine = createNocturne({
      tokenizer,
      storage: w.storage,
      model: createScriptedLanguageModel({ script: honestReply }),
      limits,
    });
    const error = await expectBadInput(
      () => engine.dreams.create(request(w.storeId, w.sessionIds)),
      "input_memory_store_too_large",
    );
    expect(error.message).toMatch(/split the store|raise/i);
    expect(await fingerprintStores(w.storage)).toEqual(before);
    expect((await engine.dreams.list()).data).toEqual([]);
  });
});

describe("bad memory paths and sessions are refused by every adapter", () => {
  const badPaths = [
    "/notes/../secrets.md",
    "/notes/./a.md",
    "/../escape.md",
    "/a\u0000b.md",
    "/line\nbreak.md",
    "/tab\there.md",
    "/del\u007f.md",
    "/c1\u0085.md",
    "relative/path.md",
    "/double//slash.md",
    "/trailing/",
    `/${"x".repeat(1030)}`,
    "/cafe\u0301.md",
  ];
  const adapters: Array<[string, () => StorageAdapter]> = [
    ["memory", () => createInMemoryAdapter()],
    ["fs", () => createFsAdapter({ root: mkdtempSync(join(scratch, "paths-")), durable: false })],
  ];

  it.each(adapters)("%s adapter: every bad path is refused and nothing is written", async (_name, make) => {
    const storage = make();
    const store = await storage.createMemoryStore({ name: "paths" });
    for (const path of badPaths) {
      await expectBadInput(() => storage.createMemory(store.id, { path, content: "x" }), "invalid_memory_path");
      await expectBadInput(
        () => storage.writeMemories(store.id, [{ op: "upsert", path, content: "x" }]),
        "invalid_memory_path",
      );
    }
    expect(await readAllMemories(storage, store.id)).toEqual([]);
  });

  it.each(adapters)("%s adapter: a session with duplicate event ids is refused", async (_name, make) => {
    const storage = make();
    const event = { id: "evt_1", type: "user.message", processed_at: "2026-03-01T09:00:00.000Z", content: [] };
    await expectBadInput(
      () =>
        storage.putSession({
          id: "sesn_dup",
          title: null,
          created_at: event.processed_at,
          metadata: {},
          events: [event, event],
        }),
      "invalid_input",
    );
    expect(await storage.getSession("sesn_dup")).toBeNull();
  });
});

describe("a memory folder with links pointing outside it", () => {
  it("skips the links with a warning, and their targets never reach the model or the output", async () => {
    const outside = join(scratch, "outside");
    mkdirSync(join(outside, "dir"), { recursive: true });
    writeFileSync(join(outside, "secret.txt"), "OUTSIDE-FILE-CONTENT do not read\n");
    writeFileSync(join(outside, "dir", "deep.md"), "OUTSIDE-DIR-CONTENT do not read\n");
    const folder = join(scratch, "linked-memories");
    mkdirSync(join(folder, "notes"), { recursive: true });
    writeFileSync(join(folder, "notes", "editor.md"), "# Editor\n\n- Uses vim for editor work\n");
    symlinkSync(join(outside, "secret.txt"), join(folder, "notes", "leak.md"));
    symlinkSync(join(outside, "dir"), join(folder, "linked-dir"));
    symlinkSync("../../outside/secret.txt", join(folder, "notes", "relative-leak.md"));

    const warnings: FsWarning[] = [];
    const storage = createFsAdapter({
      root: mkdtempSync(join(scratch, "links-root-")),
      durable: false,
      onWarning: (warning) => warnings.push(warning),
    });
    const store = await storage.mountFolder(folder);
    const memories = await readAllMemories(storage, store.id);
    expect(memories.map((memory) => memory.path)).toEqual(["/notes/editor.md"]);
    expect(warnings.map((warning) => warning.path).sort()).toEqual([
      "/linked-dir",
      "/notes/leak.md",
      "/notes/relative-leak.md",
    ]);
    for (const warning of warnings) expect(warning.message).toMatch(/link/i);

    const inputs = generateInputs(5, { sessions: 1, memories: 0 });
    for (const session of inputs.sessions)
      await storage.putSession(session as Parameters<StorageAdapter["putSession"]>[0]);
    const model = createScriptedLanguageModel({ script: honestReply });
    const engine = createNocturne({ storage, tokenizer, model });
    const dream = await engine.dreams.create(
      request(
        store.id,
        inputs.sessions.map((s) => s.id),
      ),
    );
    const ended = await engine.dreams.wait(dream.id);
    expect(ended.status).toBe("completed");
    const prompts = model.calls.map((call) => JSON.stringify(call.request)).join("\n");
    expect(prompts).toContain("Uses vim for editor work");
    expect(prompts).not.toContain("OUTSIDE-");
    const output = await readAllMemories(storage, ended.outputs[0]?.memory_store_id ?? "");
    expect(output.map((memory) => memory.content).join("\n")).not.toContain("OUTSIDE-");
  });
});
