import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createInMemoryAdapter,
  createNocturne,
  type GenerateRequest,
  NocturneError,
  readAllMemories,
  type StorageAdapter,
} from "@nocturne/core";
import { createScriptedLanguageModel } from "@nocturne/testing";
import { afterAll, describe, expect, it } from "vitest";
// Sibling workspace packages; core does not depend on them, so they are imported by path.
import { createFsAdapter } from "../../../adapters-fs/src/index.js";
import { createSqliteAdapter } from "../../../adapters-sqlite/src/index.js";
import { fingerprintInputs } from "../security/fixtures/store-fingerprint.js";
import { honestReply } from "./support/faulty-model.js";
import { generateInputs, loadInputs } from "./support/generated-inputs.js";
import { sharedTokenizer as tokenizer } from "./support/run-dream.js";

const scratch = mkdtempSync(join(tmpdir(), "nocturne-concurrency-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const backends: Array<[string, () => StorageAdapter]> = [
  ["memory", () => createInMemoryAdapter()],
  ["fs", () => createFsAdapter({ root: mkdtempSync(join(scratch, "fs-")), durable: false })],
  ["sqlite", () => createSqliteAdapter({ file: join(mkdtempSync(join(scratch, "sqlite-")), "db.sqlite") })],
];

const dreamInput = (storeId: string, sessionIds: string[]) => ({
  inputs: [
    { type: "memory_store" as const, memory_store_id: storeId },
    { type: "sessions" as const, session_ids: sessionIds },
  ],
});

/** A model that runs `onFirstCall` (awaited) before answering its first call: a hook into the middle of a dream. */
function modelWithHook(onFirstCall: () => Promise<void>) {
  let fired = false;
  return createScriptedLanguageModel({
    script: async (request: GenerateRequest) => {
      if (!fired) {
        fired = true;
        await onFirstCall();
      }
      return honestReply(request);
    },
  });
}

describe.each(backends)("concurrency on the %s adapter", (_name, open) => {
  it("runs two dreams on the same input store at once: both complete, same output, inputs unchanged", async () => {
    const storage = open();
    const inputs = await loadInputs(storage, generateInputs(61, { sessions: 8, memories: 6 }));
    const before = await fingerprintInputs(storage, inputs.storeId, inputs.sessionIds);
    const engine = createNocturne({
      storage,
      tokenizer,
      model: createScriptedLanguageModel({ script: honestReply, latencyMs: 2 }),
    });
    const [first, second] = await Promise.all([
      engine.dreams.create(dreamInput(inputs.storeId, inputs.sessionIds)),
      engine.dreams.create(dreamInput(inputs.storeId, inputs.sessionIds)),
    ]);
    const [a, b] = await Promise.all([engine.dreams.wait(first.id), engine.dreams.wait(second.id)]);
    expect([a.status, b.status]).toEqual(["completed", "completed"]);
    const outA = a.outputs[0]?.memory_store_id ?? "";
    const outB = b.outputs[0]?.memory_store_id ?? "";
    expect(outA).not.toBe(outB);
    expect([outA, outB]).not.toContain(inputs.storeId);
    // Memories may name the dream that wrote them; apart from that the two outputs must be the same bytes.
    const contents = async (id: string) =>
      (await readAllMemories(storage, id)).map((m) => [m.path, m.content.replace(/drm_[0-9a-z]+/g, "drm_…")]);
    expect(await contents(outA)).toEqual(await contents(outB));
    expect((await contents(outA)).length).toBeGreaterThan(0);
    expect(await fingerprintInputs(storage, inputs.storeId, inputs.sessionIds)).toBe(before);
    await engine.close();
  });

  it("reads a snapshot: an agent writing to the input store mid-dream changes the store, not the dream", async () => {
    const storage = open();
    const inputs = await loadInputs(storage, generateInputs(62, { sessions: 4, memories: 4 }));
    const [existing] = await readAllMemories(storage, inputs.storeId);
    if (!existing) throw new Error("generated store has memories");
    const engine = createNocturne({
      storage,
      tokenizer,
      model: modelWithHook(async () => {
        await storage.createMemory(inputs.storeId, {
          path: "/agent/new.md",
          content: "# New\n\n- Uses NEWTOOL for agent\n",
        });
        await storage.updateMemory(inputs.storeId, existing.id, { content: "# Changed\n\n- Uses CHANGEDTOOL for x\n" });
      }),
    });
    const dream = await engine.dreams.wait(
      (await engine.dreams.create(dreamInput(inputs.storeId, inputs.sessionIds))).id,
    );
    expect(dream.status).toBe("completed");
    const output = (await readAllMemories(storage, dream.outputs[0]?.memory_store_id ?? ""))
      .map((m) => m.content)
      .join("\n");
    expect(output).not.toContain("NEWTOOL");
    expect(output).not.toContain("CHANGEDTOOL");
    const report = await engine.dreams.report(dream.id);
    const reported = report?.inputs.find((entry) => entry.memoryId === existing.id);
    expect(reported?.contentSha256).toBe(existing.content_sha256);
    const now = await readAllMemories(storage, inputs.storeId);
    expect(now.map((m) => m.path)).toContain("/agent/new.md");
    expect(now.find((m) => m.id === existing.id)?.content).toContain("CHANGEDTOOL");
    await engine.close();
  });

  it.each([
    ["a session is deleted", "input_session_unavailable"],
    ["the input store is deleted", "input_memory_store_unavailable"],
  ])("fails with the hosted error type when %s mid-dream", async (what, type) => {
    const storage = open();
    const inputs = await loadInputs(storage, generateInputs(63, { sessions: 3, memories: 2 }));
    const engine = createNocturne({
      storage,
      tokenizer,
      model: modelWithHook(async () => {
        if (what === "a session is deleted") await storage.deleteSession(inputs.sessionIds[0] ?? "");
        else await storage.deleteMemoryStore(inputs.storeId);
      }),
    });
    const dream = await engine.dreams.wait(
      (await engine.dreams.create(dreamInput(inputs.storeId, inputs.sessionIds))).id,
    );
    expect(dream.status).toBe("failed");
    expect(dream.error?.type).toBe(type);
    expect(dream.error?.message).toMatch(/restore|start a new dream/i);
    await engine.close();
  });

  it("locks the output store while the dream writes it, and unlocks it when the dream ends", async () => {
    const storage = open();
    const inputs = await loadInputs(storage, generateInputs(64, { sessions: 3, memories: 2 }));
    const refusals: unknown[] = [];
    let outputId = "";
    const engine = createNocturne({
      storage,
      tokenizer,
      model: modelWithHook(async () => {
        const dreams = await storage.listDreams();
        outputId = dreams.data[0]?.outputs[0]?.memory_store_id ?? "";
        for (const attempt of [() => storage.deleteMemoryStore(outputId), () => storage.archiveMemoryStore(outputId)]) {
          await attempt().then(
            () => refusals.push("allowed"),
            (error: unknown) => refusals.push(error),
          );
        }
      }),
    });
    const dream = await engine.dreams.wait(
      (await engine.dreams.create(dreamInput(inputs.storeId, inputs.sessionIds))).id,
    );
    expect(dream.status).toBe("completed");
    expect(outputId).toBe(dream.outputs[0]?.memory_store_id);
    expect(refusals).toHaveLength(2);
    for (const refusal of refusals) {
      expect(NocturneError.isInstance(refusal, "memory_store_locked"), String(refusal)).toBe(true);
      expect((refusal as NocturneError).message).toContain(dream.id);
    }
    expect((await storage.getMemoryStore(outputId))?.archived_at).toBeNull();
    await storage.archiveMemoryStore(outputId);
    await storage.deleteMemoryStore(outputId);
    expect(await storage.getMemoryStore(outputId)).toBeNull();
    await engine.close();
  });
});
