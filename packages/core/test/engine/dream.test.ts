import {
  createInMemoryAdapter,
  createNocturne,
  type DreamEvent,
  NocturneError,
  type StorageAdapter,
} from "@nocturne/core";
import { createScriptedLanguageModel, scripted } from "@nocturne/testing";
import { describe, expect, it } from "vitest";
import { fingerprint, sessionOf, storeWith } from "../helpers/fixtures.js";
import { ruleScript } from "../helpers/rule-script.js";

const FAST_RETRY = { retries: 3, baseDelayMs: 1, maxDelayMs: 5 };

async function setup(storage: StorageAdapter = createInMemoryAdapter()) {
  const storeId = await storeWith(storage, {
    "/profile.md": "# Profile\n\n- I live in Berlin\n",
    "/preferences/editor.md": "- I prefer tabs\n",
  });
  const sessions = [
    sessionOf("sesn_a", 10, ["Quick note: I prefer tabs, as before.", "The flaky login test failed again."]),
    sessionOf("sesn_b", 20, ["Big news, I moved to Lisbon last week!", "Ugh, flaky login test again."]),
    sessionOf("sesn_c", 30, ["By the way, we use pnpm for packages."]),
  ];
  for (const session of sessions) await storage.putSession(session);
  return { storage, storeId, sessionIds: sessions.map((s) => s.id) };
}

function inputsOf(storeId: string, sessionIds: string[]) {
  return [
    { type: "memory_store" as const, memory_store_id: storeId },
    { type: "sessions" as const, session_ids: sessionIds },
  ];
}

describe("a dream through the public API (scripted model)", () => {
  it("merges duplicates, lets the latest value win, surfaces a cross-session insight and leaves the input untouched", async () => {
    const { storage, storeId, sessionIds } = await setup();
    const model = createScriptedLanguageModel({ script: ruleScript });
    const nocturne = createNocturne({ storage, model, retry: FAST_RETRY });
    const before = await fingerprint(storage, storeId);
    const sessionsBefore = JSON.stringify(await Promise.all(sessionIds.map((id) => storage.getSession(id))));

    const created = await nocturne.dreams.create({
      inputs: inputsOf(storeId, sessionIds),
      instructions: "Keep it short.",
    });
    expect(created.status).toBe("pending");
    const dream = await nocturne.dreams.wait(created.id);

    expect(dream.status).toBe("completed");
    expect(dream.error).toBeNull();
    const outputId = dream.outputs[0]?.memory_store_id ?? "";
    expect(outputId).not.toBe(storeId);
    const output = await storage.listMemories(outputId);
    const files = Object.fromEntries(output.data.map((m) => [m.path, m.content]));

    expect(files["/profile.md"]).toContain("User lives in Lisbon.");
    expect(files["/profile.md"]).not.toContain("Berlin");
    expect(files["/preferences.md"]?.match(/tabs/g)).toHaveLength(1);
    expect(files["/tooling.md"]).toContain("pnpm");
    expect(files["/insights.md"]).toContain("Flaky tests recur across sessions.");
    expect(Object.values(files).join("\n")).not.toMatch(/flaky login test was flaky/);

    const report = await nocturne.dreams.report(dream.id);
    expect(report?.status).toBe("completed");
    const city = report?.outputs.flatMap((o) => o.facts).find((f) => f.key === "home.city");
    expect(city?.superseded.map((s) => s.statement)).toEqual(["User lives in Berlin."]);
    const profileInput = report?.inputs.find((i) => i.path === "/profile.md");
    expect(profileInput?.fate).toBe("superseded");
    expect(profileInput?.facts[0]?.replacedBy?.statement).toBe("User lives in Lisbon.");
    expect(report?.inputs.find((i) => i.path === "/preferences/editor.md")?.fate).toBe("merged");
    expect(report?.insights[0]?.sessionIds.sort()).toEqual(["sesn_a", "sesn_b"]);
    expect(report?.dropped.some((d) => d.kind === "transient")).toBe(true);

    expect(await fingerprint(storage, storeId)).toBe(before);
    expect(JSON.stringify(await Promise.all(sessionIds.map((id) => storage.getSession(id))))).toBe(sessionsBefore);

    const calls = model.calls;
    expect(dream.usage.input_tokens).toBe(calls.reduce((sum, call) => sum + (call.result?.usage.input_tokens ?? 0), 0));
    expect(dream.usage.output_tokens).toBeGreaterThan(0);
    expect(calls.every((call) => call.request.system.some((segment) => segment.text.includes("Keep it short.")))).toBe(
      true,
    );
  });

  it("redacts secrets before any model call, so none reaches a request or the output store", async () => {
    const { storage, storeId, sessionIds } = await setup();
    const secret = `sk-ant-api03-${"Xq7Lp2Vn9Rt4Wm8Kd3Hs6Fb1".repeat(4)}AA`;
    await storage.putSession(sessionOf("sesn_secret", 40, [`my key is ${secret} and I live in Oslo`]));
    const model = createScriptedLanguageModel({ script: ruleScript });
    const nocturne = createNocturne({ storage, model });
    const dream = await nocturne.dreams.wait(
      (await nocturne.dreams.create({ inputs: inputsOf(storeId, [...sessionIds, "sesn_secret"]) })).id,
    );
    expect(dream.status).toBe("completed");
    expect(model.calls.some((call) => JSON.stringify(call.request).includes(secret))).toBe(false);
    expect(model.calls.some((call) => JSON.stringify(call.request).includes("[REDACTED:"))).toBe(true);
    const output = await storage.listMemories(dream.outputs[0]?.memory_store_id ?? "");
    expect(output.data.some((memory) => memory.content.includes(secret))).toBe(false);
    expect(output.data.map((memory) => memory.content).join("\n")).toContain("User lives in Oslo.");
    expect((await nocturne.dreams.report(dream.id))?.stats.redactions).toBe(1);
  });

  it("streams status, stages, chunk progress, usage and written memories in order", async () => {
    const { storage, storeId, sessionIds } = await setup();
    const nocturne = createNocturne({ storage, model: createScriptedLanguageModel({ script: ruleScript }) });
    const dream = await nocturne.dreams.create({ inputs: inputsOf(storeId, sessionIds) });
    const events: DreamEvent[] = [];
    for await (const event of nocturne.dreams.events(dream.id)) events.push(event);

    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(events.filter((e) => e.type === "status").map((e) => e.type === "status" && e.status)).toEqual([
      "pending",
      "running",
      "completed",
    ]);
    expect(events.filter((e) => e.type === "stage").map((e) => e.type === "stage" && e.stage)).toEqual([
      "chunk",
      "extract",
      "dedupe",
      "resolve",
      "synthesize",
      "write",
      "report",
    ]);
    const chunks = events.filter((e) => e.type === "chunk");
    // The three short sessions are packed into one chunk: one extraction call, one progress event.
    expect(chunks).toEqual([expect.objectContaining({ done: 1, total: 1 })]);
    expect(events.some((e) => e.type === "usage")).toBe(true);
    const written = events.filter((e) => e.type === "memory.written");
    expect(written.length).toBe(
      (await storage.listMemories((await nocturne.dreams.retrieve(dream.id)).outputs[0]?.memory_store_id ?? "")).data
        .length,
    );
  });

  it("retries retryable model failures and completes", async () => {
    const { storage, storeId, sessionIds } = await setup();
    const failures = [scripted.rateLimited(1), scripted.overloaded(), scripted.unavailable(503), scripted.timeout()];
    const model = createScriptedLanguageModel({
      script: (request, index) => {
        const failure = failures[index];
        if (failure) throw failure;
        return ruleScript(request);
      },
    });
    const nocturne = createNocturne({ storage, model, retry: { ...FAST_RETRY, retries: 4 }, concurrency: 1 });
    const dream = await nocturne.dreams.wait(
      (await nocturne.dreams.create({ inputs: inputsOf(storeId, sessionIds) })).id,
    );
    expect(dream.status).toBe("completed");
    const report = await nocturne.dreams.report(dream.id);
    expect(report?.notices.filter((n) => n.includes("retry"))).toHaveLength(4);
  });

  it("fails with model_error when the model keeps failing, and keeps the input intact", async () => {
    const { storage, storeId, sessionIds } = await setup();
    const before = await fingerprint(storage, storeId);
    const model = createScriptedLanguageModel({
      script: () => {
        throw scripted.overloaded();
      },
    });
    const nocturne = createNocturne({ storage, model, retry: FAST_RETRY });
    const dream = await nocturne.dreams.wait(
      (await nocturne.dreams.create({ inputs: inputsOf(storeId, sessionIds) })).id,
    );
    expect(dream.status).toBe("failed");
    expect(dream.error?.type).toBe("model_error");
    expect(dream.error?.message).toMatch(/model_overloaded/);
    expect(dream.ended_at).not.toBeNull();
    expect(await fingerprint(storage, storeId)).toBe(before);
  });

  it("fails with model_output_invalid when the model never returns valid output", async () => {
    const { storage, storeId, sessionIds } = await setup();
    const model = createScriptedLanguageModel({ script: () => scripted.json({ facts: [{ key: "" }] }) });
    const nocturne = createNocturne({ storage, model, retry: FAST_RETRY });
    const dream = await nocturne.dreams.wait(
      (await nocturne.dreams.create({ inputs: inputsOf(storeId, sessionIds) })).id,
    );
    expect(dream.status).toBe("failed");
    expect(dream.error?.type).toBe("model_output_invalid");
    expect((await storage.listMemories(dream.outputs[0]?.memory_store_id ?? "")).data).toEqual([]);
  });
});

describe("dream lifecycle", () => {
  it("cancel mid-run keeps the partial output store, unlocked, and is idempotent", async () => {
    const { storage, storeId, sessionIds } = await setup();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const realCreate = storage.createMemory.bind(storage);
    let writes = 0;
    storage.createMemory = async (id, input) => {
      const memory = await realCreate(id, input);
      if (++writes === 2) await gate;
      return memory;
    };
    const nocturne = createNocturne({ storage, model: createScriptedLanguageModel({ script: ruleScript }) });
    const { id } = await nocturne.dreams.create({ inputs: inputsOf(storeId, sessionIds) });
    for await (const event of nocturne.dreams.events(id)) if (event.type === "memory.written") break;
    while (writes < 2) await new Promise((resolve) => setTimeout(resolve, 1));

    const outputId = (await nocturne.dreams.retrieve(id)).outputs[0]?.memory_store_id ?? "";
    await expect(storage.deleteMemoryStore(outputId)).rejects.toMatchObject({ code: "memory_store_locked" });
    await expect(storage.archiveMemoryStore(outputId)).rejects.toMatchObject({ code: "memory_store_locked" });

    const canceling = nocturne.dreams.cancel(id);
    release();
    const canceled = await canceling;
    expect(canceled.status).toBe("canceled");
    expect((await nocturne.dreams.cancel(id)).status).toBe("canceled");
    const partial = await storage.listMemories(outputId);
    expect(partial.data.length).toBe(2);
    expect((await nocturne.dreams.report(id))?.outputs).toHaveLength(2);
    await storage.archiveMemoryStore(outputId);
  });

  it("a cancel recorded by another engine on the same storage is honoured, never overwritten", async () => {
    const { storage, storeId, sessionIds } = await setup();
    const owner = createNocturne({
      storage,
      model: createScriptedLanguageModel({ script: ruleScript, latencyMs: 300 }),
    });
    const other = createNocturne({ storage, model: createScriptedLanguageModel({ script: ruleScript }) });
    const { id } = await owner.dreams.create({ inputs: inputsOf(storeId, sessionIds) });
    expect((await other.dreams.cancel(id)).status).toBe("canceled");
    const ended = await owner.dreams.wait(id);
    expect(ended.status).toBe("canceled");
    expect((await storage.getDreamRecord(id))?.dream.status).toBe("canceled");
    expect((await storage.getDreamRecord(id))?.owner).toBeNull();
  });

  it("retries the final record write when storage is briefly busy, so an ended dream never stays running", async () => {
    const { storage, storeId, sessionIds } = await setup();
    const realPut = storage.putDreamRecord.bind(storage);
    let busy = 2;
    storage.putDreamRecord = async (record) => {
      if (record.dream.status === "completed" && busy-- > 0) {
        throw new NocturneError("storage_busy", "The database is locked; retry.", { retryable: true });
      }
      return realPut(record);
    };
    const nocturne = createNocturne({ storage, model: createScriptedLanguageModel({ script: ruleScript }) });
    const dream = await nocturne.dreams.wait(
      (await nocturne.dreams.create({ inputs: inputsOf(storeId, sessionIds) })).id,
    );
    expect(dream.status).toBe("completed");
    expect(busy).toBe(-1);
    expect((await storage.getDreamRecord(dream.id))?.dream.status).toBe("completed");
  });

  it("an AbortSignal cancels the dream", async () => {
    const { storage, storeId, sessionIds } = await setup();
    const model = createScriptedLanguageModel({ script: ruleScript, latencyMs: 10_000 });
    const nocturne = createNocturne({ storage, model });
    const controller = new AbortController();
    const { id } = await nocturne.dreams.create(
      { inputs: inputsOf(storeId, sessionIds) },
      { signal: controller.signal },
    );
    for await (const event of nocturne.dreams.events(id))
      if (event.type === "stage" && event.stage === "extract") break;
    controller.abort();
    expect((await nocturne.dreams.wait(id)).status).toBe("canceled");
  });

  it("refuses to cancel a completed dream, archives only ended dreams and hides them from the default list", async () => {
    const { storage, storeId, sessionIds } = await setup();
    const nocturne = createNocturne({ storage, model: createScriptedLanguageModel({ script: ruleScript }) });
    const slow = createNocturne({
      storage,
      model: createScriptedLanguageModel({ script: ruleScript, latencyMs: 10_000 }),
    });
    const done = await nocturne.dreams.wait(
      (await nocturne.dreams.create({ inputs: inputsOf(storeId, sessionIds) })).id,
    );
    await expect(nocturne.dreams.cancel(done.id)).rejects.toMatchObject({ code: "dream_not_cancelable" });

    const running = await slow.dreams.create({ inputs: inputsOf(storeId, sessionIds) });
    await expect(slow.dreams.archive(running.id)).rejects.toMatchObject({ code: "dream_not_archivable" });
    await slow.dreams.cancel(running.id);

    const archived = await nocturne.dreams.archive(done.id);
    expect(archived.archived_at).not.toBeNull();
    const listed = (await nocturne.dreams.list()).data.map((d) => d.id);
    expect(listed).toEqual([running.id]);
    expect((await nocturne.dreams.list({ include_archived: true })).data.map((d) => d.id)).toEqual([
      running.id,
      done.id,
    ]);
    await expect(nocturne.dreams.retrieve("drm_missing")).rejects.toMatchObject({ code: "dream_not_found" });
  });

  it("fails with input_memory_store_unavailable when the input store disappears mid-run", async () => {
    const { storage, storeId, sessionIds } = await setup();
    const nocturne = createNocturne({
      storage,
      model: createScriptedLanguageModel({ script: ruleScript, latencyMs: 20 }),
    });
    const { id } = await nocturne.dreams.create({ inputs: inputsOf(storeId, sessionIds) });
    for await (const event of nocturne.dreams.events(id)) if (event.type === "chunk") break;
    await storage.deleteMemoryStore(storeId);
    const dream = await nocturne.dreams.wait(id);
    expect(dream.status).toBe("failed");
    expect(dream.error?.type).toBe("input_memory_store_unavailable");
  });

  it("fails with input_session_unavailable when a session disappears mid-run", async () => {
    const { storage, storeId, sessionIds } = await setup();
    const nocturne = createNocturne({
      storage,
      model: createScriptedLanguageModel({ script: ruleScript, latencyMs: 20 }),
    });
    const { id } = await nocturne.dreams.create({ inputs: inputsOf(storeId, sessionIds) });
    for await (const event of nocturne.dreams.events(id)) if (event.type === "chunk") break;
    await storage.deleteSession(sessionIds[1] ?? "");
    const dream = await nocturne.dreams.wait(id);
    expect(dream.error?.type).toBe("input_session_unavailable");
  });

  it("recover() fails dreams a dead process left running and unlocks their output", async () => {
    const storage = createInMemoryAdapter();
    const { storeId, sessionIds } = await setup(storage);
    const output = await storage.createMemoryStore({ name: "partial" });
    await storage.setMemoryStoreLock(output.id, "drm_dead");
    await storage.putDreamRecord({
      dream: {
        id: "drm_dead",
        type: "dream",
        status: "running",
        inputs: inputsOf(storeId, sessionIds),
        outputs: [{ type: "memory_store", memory_store_id: output.id }],
        model: { id: "scripted" },
        instructions: "",
        output_behavior: { type: "create_new" },
        usage: { input_tokens: 5, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        error: null,
        created_at: "2026-01-01T00:00:00.000Z",
        ended_at: null,
        archived_at: null,
      },
      report: null,
      owner: { host: "elsewhere", pid: 1, heartbeat_at: "2026-01-01T00:00:00.000Z" },
    });
    const nocturne = createNocturne({ storage, model: createScriptedLanguageModel({ script: ruleScript }) });
    const failed = await nocturne.recover();
    expect(failed.map((d) => d.id)).toEqual(["drm_dead"]);
    const dream = await nocturne.dreams.retrieve("drm_dead");
    expect(dream.status).toBe("failed");
    expect(dream.error).toMatchObject({ type: "internal_error" });
    expect(dream.error?.message).toMatch(/stopped before it finished/);
    await storage.deleteMemoryStore(output.id);
    expect(await nocturne.recover()).toEqual([]);

    const queued = await storage.getDreamRecord("drm_dead");
    if (!queued) throw new Error("record vanished");
    await storage.putDreamRecord({
      ...queued,
      dream: { ...queued.dream, id: "drm_queued", status: "pending", error: null, ended_at: null },
      owner: { runner: "bullmq", host: "bullmq:jobs", pid: 0, heartbeat_at: "2026-01-01T00:00:00.000Z" },
    });
    expect(await nocturne.recover()).toEqual([]);
    expect((await nocturne.dreams.retrieve("drm_queued")).status).toBe("pending");
  });
});

describe("limits are typed errors and nothing is written", () => {
  const cases: Array<[string, (storeId: string, ids: string[]) => unknown, string]> = [
    ["no sessions", (s) => ({ inputs: inputsOf(s, []) }), "session_count_out_of_range"],
    [
      "101 sessions",
      (s) => ({
        inputs: inputsOf(
          s,
          Array.from({ length: 101 }, (_, i) => `sesn_${i}`),
        ),
      }),
      "session_count_out_of_range",
    ],
    [
      "duplicate session ids",
      (s, ids) => ({ inputs: inputsOf(s, [ids[0] ?? "", ids[0] ?? ""]) }),
      "duplicate_session_ids",
    ],
    [
      "4,097 characters of instructions",
      (s, ids) => ({ inputs: inputsOf(s, ids), instructions: "x".repeat(4097) }),
      "instructions_too_long",
    ],
    ["an unknown store", (_, ids) => ({ inputs: inputsOf("memstore_nope", ids) }), "memory_store_not_found"],
    ["an unknown session", (s) => ({ inputs: inputsOf(s, ["sesn_nope"]) }), "session_not_found"],
    ["no sessions entry", (s) => ({ inputs: [{ type: "memory_store", memory_store_id: s }] }), "invalid_input"],
    ["a malformed request", () => ({ inputs: "everything" }), "invalid_input"],
  ];
  for (const [name, request, code] of cases) {
    it(`rejects ${name} with ${code}`, async () => {
      const { storage, storeId, sessionIds } = await setup();
      const nocturne = createNocturne({ storage, model: createScriptedLanguageModel({ script: ruleScript }) });
      const stores = (await storage.listMemoryStores({ include_archived: true })).data.length;
      const error = await nocturne.dreams.create(request(storeId, sessionIds) as never).catch((e: unknown) => e);
      expect(NocturneError.isInstance(error, code as NocturneError["code"])).toBe(true);
      expect((error as Error).message).toMatch(/\. [A-Z]/);
      expect((await storage.listMemoryStores({ include_archived: true })).data.length).toBe(stores);
      expect((await storage.listDreams({ include_archived: true })).data).toEqual([]);
    });
  }

  it("accepts exactly 4,096 characters of instructions and 100 sessions", async () => {
    const storage = createInMemoryAdapter();
    const storeId = await storeWith(storage, {});
    const ids = Array.from({ length: 100 }, (_, i) => `sesn_${String(i).padStart(3, "0")}`);
    for (const [i, id] of ids.entries()) await storage.putSession(sessionOf(id, i, ["hello"]));
    const nocturne = createNocturne({ storage, model: createScriptedLanguageModel({ script: ruleScript }) });
    const dream = await nocturne.dreams.create({ inputs: inputsOf(storeId, ids), instructions: "y".repeat(4096) });
    expect((await nocturne.dreams.wait(dream.id)).status).toBe("completed");
  });

  it("rejects an archived store and one over its size limits", async () => {
    const { storage, storeId, sessionIds } = await setup();
    const tight = createNocturne({
      storage,
      model: createScriptedLanguageModel({ script: ruleScript }),
      limits: { maxInputMemories: 1 },
    });
    await expect(tight.dreams.create({ inputs: inputsOf(storeId, sessionIds) })).rejects.toMatchObject({
      code: "input_memory_store_too_large",
    });
    const bytes = createNocturne({
      storage,
      model: createScriptedLanguageModel({ script: ruleScript }),
      limits: { maxInputStoreBytes: 10 },
    });
    await expect(bytes.dreams.create({ inputs: inputsOf(storeId, sessionIds) })).rejects.toMatchObject({
      code: "input_memory_store_too_large",
    });
    await storage.archiveMemoryStore(storeId);
    await expect(tight.dreams.create({ inputs: inputsOf(storeId, sessionIds) })).rejects.toMatchObject({
      code: "memory_store_archived",
    });
  });
});

describe("zero set-up", () => {
  it("dreams with the offline rule-based model when no model is configured, and says so", async () => {
    const storage = createInMemoryAdapter();
    const storeId = await storeWith(storage, { "/profile.md": "- I live in Berlin.\n" });
    await storage.putSession(sessionOf("sesn_move", 3, ["I moved to Lisbon last month."]));
    const nocturne = createNocturne({ storage });
    expect(nocturne.model).toMatchObject({ id: "offline", offline: true });
    const dream = await nocturne.dreams.wait(
      (await nocturne.dreams.create({ inputs: inputsOf(storeId, ["sesn_move"]) })).id,
    );
    expect(dream.status).toBe("completed");
    expect(dream.model.id).toBe("offline");
    expect(dream.usage.input_tokens).toBe(0);
    const report = await nocturne.dreams.report(dream.id);
    expect(report?.notices[0]).toMatch(/offline rule-based model/);
    const output = await storage.listMemories(dream.outputs[0]?.memory_store_id ?? "");
    const text = output.data.map((memory) => memory.content).join("\n");
    expect(text).toMatch(/Lisbon/);
    expect(text).not.toMatch(/Berlin/);
    expect(report?.inputs[0]?.fate).toBe("superseded");
  });
});
