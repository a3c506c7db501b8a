import { createNocturne, createTiktokenTokenizer, type DreamEvent, InMemoryAdapter } from "@nocturne/core";
import { dreamConflict, sleep } from "@nocturne/core/internals";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDistributedNocturne,
  createDreamWorker,
  type DistributedNocturne,
  type DreamWorker,
} from "../src/index.js";
import { dropPrefix, REDIS_URL, uniquePrefix } from "./redis-fixture.js";
import { dreamVersions, storeContents, updateExistingInputs } from "./support/fixtures.js";
import { afterDreamWrites } from "./support/pause-writes.js";
import { createRuleModel } from "./support/rule-model.js";

const CHUNK_TOKENS = 500;
const prefix = uniquePrefix("update");
const storage = new InMemoryAdapter();
const tokenizer = createTiktokenTokenizer();
/** Every model call of the worker waits this long (honouring aborts), so a dream can be caught running. */
let latencyMs = 0;
/** Called after every memory write of a dream on the worker; a test sets it to stop a dream mid-write. */
let afterWrite: () => Promise<void> | undefined = () => undefined;
let worker: DreamWorker;
let client: DistributedNocturne;
let other: DistributedNocturne;

beforeAll(async () => {
  const model = createRuleModel({ latencyMs: () => latencyMs });
  const paused = afterDreamWrites(storage, () => afterWrite());
  worker = await createDreamWorker({ storage: paused, model, tokenizer, connection: REDIS_URL, prefix });
  client = createDistributedNocturne({ storage, connection: REDIS_URL, prefix, chunkTokens: CHUNK_TOKENS });
  other = createDistributedNocturne({ storage, connection: REDIS_URL, prefix, chunkTokens: CHUNK_TOKENS });
});

afterAll(async () => {
  await client?.close();
  await other?.close();
  await worker?.close();
  await dropPrefix(prefix);
});

/** Resolves once the dream has read its first chunk (it is running, its store claimed). */
async function running(dreamId: string): Promise<void> {
  for await (const event of client.dreams.events(dreamId)) if (event.type === "chunk") return;
}

describe("output_behavior update_existing on BullMQ workers", () => {
  it("writes the same store contents and memory versions (operations, paths, dream actor) as the in-process engine", async () => {
    latencyMs = 0;
    const local = await updateExistingInputs(storage, 6);
    const remote = await updateExistingInputs(storage, 6);
    const engine = createNocturne({ storage, model: createRuleModel(), tokenizer, chunkTokens: CHUNK_TOKENS });
    try {
      const localDream = await engine.dreams.wait((await engine.dreams.create(local.request)).id);
      const created = await client.dreams.create(remote.request);
      const remoteDream = await client.dreams.wait(created.id);
      expect(localDream.status).toBe("completed");
      expect(remoteDream.status).toBe("completed");
      expect(remoteDream.outputs).toEqual([{ type: "memory_store", memory_store_id: remote.storeId }]);

      const contents = await storeContents(storage, local.storeId);
      expect(await storeContents(storage, remote.storeId)).toEqual(contents);
      const versions = await dreamVersions(storage, local.storeId, localDream.id);
      const operations = new Set(versions.map(([operation]) => operation));
      expect(operations).toEqual(new Set(["created", "modified", "deleted"]));
      expect(await dreamVersions(storage, remote.storeId, remoteDream.id)).toEqual(versions);

      const events: DreamEvent[] = [];
      for await (const event of client.dreams.events(remoteDream.id)) events.push(event);
      const written = events.flatMap((event) => (event.type === "memory.written" ? [event.path] : []));
      expect(written.sort()).toEqual(contents.map(([path]) => path));
      await expect(storage.archiveMemoryStore(remote.storeId)).resolves.toMatchObject({ id: remote.storeId });
    } finally {
      await engine.close();
    }
  });

  it("answers a second dream on the store with core's conflict from another client while the first runs, and admits one after it completed", async () => {
    const { storeId, request } = await updateExistingInputs(storage, 4);
    latencyMs = 100;
    const first = await client.dreams.create(request);
    await running(first.id);
    const refused = other.dreams.create(request);
    await expect(refused).rejects.toMatchObject({
      code: "conflict",
      message: dreamConflict(storeId, first.id).message,
      details: { memory_store_id: storeId, dream_id: first.id },
    });
    await expect(client.dreams.create(request)).rejects.toMatchObject({ code: "conflict" });
    expect((await client.dreams.wait(first.id)).status).toBe("completed");

    latencyMs = 0;
    const next = await other.dreams.create(request);
    expect((await other.dreams.wait(next.id)).status).toBe("completed");
    await expect(storage.archiveMemoryStore(storeId)).resolves.toMatchObject({ id: storeId });
  });

  it("keeps what a canceled dream wrote and releases the claim and the store lock once it stopped", async () => {
    const { storeId, request } = await updateExistingInputs(storage, 4);
    const before = await storeContents(storage, storeId);
    let writes = 0;
    let reached: () => void = () => undefined;
    const midWrite = new Promise<void>((resolve) => {
      reached = resolve;
    });
    let open: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      open = resolve;
    });
    afterWrite = () => {
      if (++writes !== 2) return undefined;
      reached();
      return held;
    };
    try {
      const first = await client.dreams.create(request);
      await midWrite;
      const canceling = other.dreams.cancel(first.id);
      while ((await other.dreams.retrieve(first.id)).status !== "canceled") await sleep(20);
      await expect(client.dreams.create(request)).rejects.toMatchObject({ code: "conflict" });
      open();
      expect((await canceling).status).toBe("canceled");
      expect(await dreamVersions(storage, storeId, first.id)).toHaveLength(2);
      const partial = await storeContents(storage, storeId);
      expect(partial).not.toEqual(before);

      const next = await client.dreams.create(request);
      expect((await client.dreams.wait(next.id)).status).toBe("completed");
      expect(writes).toBeGreaterThan(2);
      await expect(storage.archiveMemoryStore(storeId)).resolves.toMatchObject({ id: storeId });
    } finally {
      afterWrite = () => undefined;
      open();
    }
  });

  it("releases the claim and the store lock when the dream times out", async () => {
    const { storeId, request } = await updateExistingInputs(storage, 4);
    latencyMs = 60_000;
    const first = await client.dreams.create(request, { timeoutMs: 1000 });
    const ended = await client.dreams.wait(first.id);
    expect(ended).toMatchObject({ status: "failed", error: { type: "timeout" } });
    latencyMs = 0;
    const next = await other.dreams.create(request);
    expect((await other.dreams.wait(next.id)).status).toBe("completed");
    await expect(storage.archiveMemoryStore(storeId)).resolves.toMatchObject({ id: storeId });
  });
});
