import { createNocturne, type DreamEvent, InMemoryAdapter } from "@nocturne/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDistributedNocturne,
  createDreamWorker,
  type DistributedNocturne,
  type DreamWorker,
} from "../src/index.js";
import { dropPrefix, REDIS_URL, uniquePrefix } from "./redis-fixture.js";
import { seedInputs, storeContents } from "./support/fixtures.js";
import { createRuleModel } from "./support/rule-model.js";

const prefix = uniquePrefix("same");
const storage = new InMemoryAdapter();
let worker: DreamWorker;
let client: DistributedNocturne;

beforeAll(async () => {
  worker = await createDreamWorker({ storage, model: createRuleModel(), connection: REDIS_URL, prefix });
  client = createDistributedNocturne({ storage, connection: REDIS_URL, prefix, chunkTokens: 400 });
});

afterAll(async () => {
  await client?.close();
  await worker?.close();
  await dropPrefix(prefix);
});

describe("a dream on BullMQ (worker and client in one process)", () => {
  it("writes the same output store, usage and stats as the in-process engine", async () => {
    const { storeId, sessionIds } = await seedInputs(storage, 12);
    const inputs = [
      { type: "memory_store" as const, memory_store_id: storeId },
      { type: "sessions" as const, session_ids: sessionIds },
    ];
    const engine = createNocturne({ storage, model: createRuleModel(), chunkTokens: 400 });
    const local = await engine.dreams.wait((await engine.dreams.create({ inputs })).id);
    const created = await client.dreams.create({ inputs });
    expect(created.status).toBe("pending");
    const remote = await client.dreams.wait(created.id);

    expect(local.status).toBe("completed");
    expect(remote.status).toBe("completed");
    const localOut = await storeContents(storage, local.outputs[0]?.memory_store_id ?? "");
    const remoteOut = await storeContents(storage, remote.outputs[0]?.memory_store_id ?? "");
    expect(localOut.length).toBeGreaterThan(2);
    expect(remoteOut).toEqual(localOut);
    expect(remote.usage).toEqual(local.usage);
    const [localReport, remoteReport] = [await engine.dreams.report(local.id), await client.dreams.report(remote.id)];
    expect(remoteReport?.stats).toEqual(localReport?.stats);
    expect(remoteReport?.stats.judgeCalls).toBeGreaterThan(0);
    expect(remoteReport?.insights.map((insight) => insight.key)).toEqual(
      localReport?.insights.map((insight) => insight.key),
    );

    const events: DreamEvent[] = [];
    for await (const event of client.dreams.events(remote.id)) events.push(event);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));
    expect(events[0]).toMatchObject({ type: "status", status: "pending" });
    expect(events.at(-1)).toMatchObject({ type: "status", status: "completed" });
    const chunks = events.flatMap((event) => (event.type === "chunk" ? [event] : []));
    expect(chunks.map((event) => event.done)).toEqual(chunks.map((_, index) => index + 1));
    expect(chunks.every((event) => event.total === remoteReport?.stats.chunks)).toBe(true);
    const written = events.flatMap((event) => (event.type === "memory.written" ? [event.path] : []));
    expect(written.sort()).toEqual(remoteOut.map(([path]) => path));
    await engine.close();
  });
});
