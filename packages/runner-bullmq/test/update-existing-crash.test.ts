import { randomBytes } from "node:crypto";
import type { PostgresAdapter } from "@nocturne/adapters-postgres";
import { createNocturne } from "@nocturne/core";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDistributedNocturne, type DistributedNocturne } from "../src/index.js";
import { dropPrefix, REDIS_URL, uniquePrefix } from "./redis-fixture.js";
import { dreamVersions, storeContents, updateExistingInputs } from "./support/fixtures.js";
import { freshSchema, openStorage, PG_URL } from "./support/pg.js";
import { createRuleModel } from "./support/rule-model.js";
import { spawnWorker, type WorkerProcess } from "./support/spawn-worker.js";
import { hungKey, type WorkerProcessConfig } from "./support/worker-config.js";

const CHUNK_TOKENS = 500;
/** The worker hangs right after this many of the dream's writes, with more to go. */
const WRITES_BEFORE_DEATH = 2;
const prefix = uniquePrefix("update-crash");
const tenant = `tenant-${randomBytes(4).toString("hex")}`;
let dropSchema: () => Promise<void>;
let storage: PostgresAdapter;
let client: DistributedNocturne;
let redis: Redis;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  const fresh = await freshSchema("update_crash");
  dropSchema = fresh.drop;
  storage = await openStorage(fresh.schema, tenant);
  config.schema = fresh.schema;
  redis = new Redis(REDIS_URL);
  client = createDistributedNocturne({ storage, connection: REDIS_URL, prefix, chunkTokens: CHUNK_TOKENS });
}, 60_000);

afterAll(async () => {
  try {
    await Promise.allSettled(workers.map((worker) => worker.kill()));
    await client?.close();
    redis?.disconnect();
    await storage?.close();
  } finally {
    await dropPrefix(prefix);
    await dropSchema?.();
  }
}, 60_000);

const config: WorkerProcessConfig = {
  pgUrl: PG_URL,
  schema: "",
  tenant,
  redisUrl: REDIS_URL,
  prefix,
  modelConcurrency: 3,
  lockDurationMs: 2000,
  stalledIntervalMs: 500,
  latencyMs: 0,
};

/** Starts a worker process that hangs after the dream's `hangAfterWrites`-th write, and a dream for it. */
async function dreamOnDoomedWorker(hangAfterWrites: number) {
  const victim = await spawnWorker({ ...config, hangAfterWrites });
  workers.push(victim);
  const remote = await updateExistingInputs(storage, 6);
  const dream = await client.dreams.create(remote.request);
  const hung = await redis.blpop(hungKey(prefix), 60);
  expect(hung?.[1]).toBe(String(victim.pid));
  await victim.kill();
  return { ...remote, dream };
}

describe("an update_existing dream whose worker dies mid-write", { timeout: 120_000 }, () => {
  it("is run again by another worker and converges to the in-process store, writing nothing twice", async () => {
    const local = await updateExistingInputs(storage, 6);
    // Not closed: closing an engine closes its storage, which the test still reads.
    const engine = createNocturne({ storage, model: createRuleModel(), chunkTokens: CHUNK_TOKENS });
    const reference = await engine.dreams.wait((await engine.dreams.create(local.request)).id);
    expect(reference.status).toBe("completed");
    const expectedVersions = await dreamVersions(storage, local.storeId, reference.id);
    expect(expectedVersions.length).toBeGreaterThan(WRITES_BEFORE_DEATH);

    const remote = await dreamOnDoomedWorker(WRITES_BEFORE_DEATH);
    const { dream } = remote;
    const partial = await dreamVersions(storage, remote.storeId, dream.id);
    expect(partial).toEqual(expectedVersions.slice(0, WRITES_BEFORE_DEATH));
    await expect(client.dreams.create(remote.request)).rejects.toMatchObject({ code: "conflict" });

    workers.push(await spawnWorker(config));
    const ended = await client.dreams.wait(dream.id);
    expect(ended.status).toBe("completed");
    expect(await storeContents(storage, remote.storeId)).toEqual(await storeContents(storage, local.storeId));
    expect(await dreamVersions(storage, remote.storeId, dream.id)).toEqual(expectedVersions);
    const next = await client.dreams.create(remote.request);
    expect((await client.dreams.wait(next.id)).status).toBe("completed");
  });

  it("fails the dream and frees its store when BullMQ gives the job up (its worker died once too often)", async () => {
    for (const worker of workers.splice(0)) await worker.stop();
    const { storeId, request, dream } = await dreamOnDoomedWorker(1);
    workers.push(await spawnWorker({ ...config, maxStalledCount: 0 }));
    const ended = await client.dreams.wait(dream.id);
    expect(ended).toMatchObject({ status: "failed", error: { type: "internal_error" } });
    expect(ended.error?.message).toContain("what it wrote so far was kept");
    expect(await dreamVersions(storage, storeId, dream.id)).toHaveLength(1);
    const next = await client.dreams.create(request);
    expect((await client.dreams.wait(next.id)).status).toBe("completed");
  });
});
