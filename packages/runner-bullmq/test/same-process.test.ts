import { createNocturne, createTiktokenTokenizer, type Dream, type DreamEvent, InMemoryAdapter } from "@nocturne/core";
import { OFFLINE_DEFAULT_NOTICE } from "@nocturne/core/internals";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDistributedNocturne,
  createDreamWorker,
  type DistributedNocturne,
  type DreamWorker,
} from "../src/index.js";
import { dropPrefix, REDIS_URL, uniquePrefix } from "./redis-fixture.js";
import { makeSessions, seedInputs, storeContents } from "./support/fixtures.js";
import { createRuleModel } from "./support/rule-model.js";

const prefix = uniquePrefix("same");
const offlinePrefix = uniquePrefix("offline");
const storage = new InMemoryAdapter();
const tokenizer = createTiktokenTokenizer();
let workers: DreamWorker[] = [];
let client: DistributedNocturne;
let offlineClient: DistributedNocturne;

beforeAll(async () => {
  workers = await Promise.all([
    createDreamWorker({ storage, model: createRuleModel(), tokenizer, connection: REDIS_URL, prefix }),
    createDreamWorker({ storage, tokenizer, connection: REDIS_URL, prefix: offlinePrefix }),
  ]);
  client = createDistributedNocturne({ storage, connection: REDIS_URL, prefix, chunkTokens: 400 });
  offlineClient = createDistributedNocturne({ storage, connection: REDIS_URL, prefix: offlinePrefix });
});

/** A report as JSON with the dream's own ids and times masked: what must be byte-identical wherever it ran. */
const bytes = (report: unknown, dream: Dream) =>
  JSON.stringify(report)
    .replaceAll(dream.id, "<dream>")
    .replaceAll(dream.outputs[0]?.memory_store_id ?? "<none>", "<output>")
    .replace(/"mem_[A-Za-z0-9]+"/g, '"<memory>"')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, "<time>");

afterAll(async () => {
  await client?.close();
  await offlineClient?.close();
  await Promise.all(workers.map((worker) => worker.close()));
  await dropPrefix(prefix);
  await dropPrefix(offlinePrefix);
});

describe("a dream on BullMQ (worker and client in one process)", () => {
  it("writes the same output store, usage and report (byte for byte, ids and times aside) as the in-process engine", async () => {
    const { storeId, sessionIds } = await seedInputs(storage, 12);
    const inputs = [
      { type: "memory_store" as const, memory_store_id: storeId },
      { type: "sessions" as const, session_ids: sessionIds },
    ];
    const engine = createNocturne({ storage, model: createRuleModel(), tokenizer, chunkTokens: 400 });
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
    expect(bytes(remoteReport, remote)).toBe(bytes(localReport, local));
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

  it("runs the offline default model like the in-process engine, notice included, and skips folded-in sessions", async () => {
    const { storeId, sessionIds } = await seedInputs(storage, 5, 21);
    const inputs = [
      { type: "memory_store" as const, memory_store_id: storeId },
      { type: "sessions" as const, session_ids: sessionIds },
    ];
    const engine = createNocturne({ storage, tokenizer });
    const local = await engine.dreams.wait((await engine.dreams.create({ inputs })).id);
    const remote = await offlineClient.dreams.wait((await offlineClient.dreams.create({ inputs })).id);
    expect(remote.status).toBe("completed");
    expect(remote.model.id).toBe(local.model.id);
    const remoteOut = await storeContents(storage, remote.outputs[0]?.memory_store_id ?? "");
    expect(remoteOut).toEqual(await storeContents(storage, local.outputs[0]?.memory_store_id ?? ""));
    const remoteReport = await offlineClient.dreams.report(remote.id);
    expect(remoteReport?.notices).toContain(OFFLINE_DEFAULT_NOTICE);
    expect(remoteReport?.declined.length).toBeGreaterThan(0);
    expect(bytes(remoteReport, remote)).toBe(bytes(await engine.dreams.report(local.id), local));
    expect(remote.usage).toEqual(local.usage);

    const again = [
      { type: "memory_store" as const, memory_store_id: remote.outputs[0]?.memory_store_id ?? "" },
      { type: "sessions" as const, session_ids: sessionIds },
    ];
    const localAgain = await engine.dreams.wait((await engine.dreams.create({ inputs: again })).id);
    const remoteAgain = await offlineClient.dreams.wait((await offlineClient.dreams.create({ inputs: again })).id);
    const skipped = async (report: Promise<{ sessions: Array<{ skipped: boolean }> } | null>) =>
      (await report)?.sessions.filter((session) => session.skipped).length;
    expect(await skipped(offlineClient.dreams.report(remoteAgain.id))).toBe(5);
    expect(await skipped(engine.dreams.report(localAgain.id))).toBe(5);
    const forced = await offlineClient.dreams.wait(
      (await offlineClient.dreams.create({ inputs: again }, { force: true })).id,
    );
    expect(await skipped(offlineClient.dreams.report(forced.id))).toBe(0);
    await engine.close();
  });

  it("chunks a long session with the in-process default budget when neither side sets one", async () => {
    const [session] = makeSessions(1, 31, "sesn_long");
    const filler = "We walked through the retry logic, the queue settings and the dashboards once more. ".repeat(6);
    const events = Array.from({ length: 60 }, (_, turn) => ({
      id: `evt_long_${turn}`,
      type: turn % 2 === 0 ? "user.message" : "agent.message",
      processed_at: new Date(Date.UTC(2026, 2, 1, 9, turn)).toISOString(),
      content: [{ type: "text", text: `Turn ${turn}. ${filler}` }],
    }));
    const long = { ...session, id: "sesn_long_default", events } as never;
    await storage.putSession(long);
    const text = events.map((event) => event.content[0]?.text ?? "").join("\n");
    expect(tokenizer.count(text)).toBeGreaterThan(6000);
    expect(tokenizer.count(text)).toBeLessThan(11_000);
    const store = await storage.createMemoryStore({ name: "long session" });
    const inputs = [
      { type: "memory_store" as const, memory_store_id: store.id },
      { type: "sessions" as const, session_ids: ["sesn_long_default"] },
    ];
    const engine = createNocturne({ storage, tokenizer });
    const local = await engine.dreams.wait((await engine.dreams.create({ inputs })).id);
    const remote = await offlineClient.dreams.wait((await offlineClient.dreams.create({ inputs })).id);
    const [localReport, remoteReport] = [
      await engine.dreams.report(local.id),
      await offlineClient.dreams.report(remote.id),
    ];
    expect(localReport?.stats.chunks).toBe(1);
    expect(remoteReport?.stats.chunks).toBe(localReport?.stats.chunks);
    await engine.close();
  });

  it("bounds tool output on the workers with the client's toolResultTokens, as the in-process engine does", async () => {
    const log = Array.from({ length: 300 }, (_, i) => `ok ${i} - test/case-${i}.test.ts passed in ${i % 40} ms`);
    const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute)).toISOString();
    const run = (id: string, minute: number) => [
      { id: `${id}_use`, type: "agent.tool_use", processed_at: at(minute), name: "bash", input: { command: "test" } },
      {
        id: `${id}_result`,
        type: "agent.tool_result",
        processed_at: at(minute),
        tool_use_id: `${id}_use`,
        content: [{ type: "text", text: log.join("\n") }],
      },
    ];
    await storage.putSession({
      id: "sesn_tool_output",
      title: null,
      created_at: at(0),
      metadata: {},
      events: [...run("first", 1), ...run("again", 2)],
    } as never);
    const store = await storage.createMemoryStore({ name: "tool output" });
    const inputs = [
      { type: "memory_store" as const, memory_store_id: store.id },
      { type: "sessions" as const, session_ids: ["sesn_tool_output"] },
    ];
    const bounded = createDistributedNocturne({ storage, connection: REDIS_URL, prefix, toolResultTokens: 200 });
    const engine = createNocturne({ storage, model: createRuleModel(), tokenizer, toolResultTokens: 200 });
    try {
      const local = await engine.dreams.wait((await engine.dreams.create({ inputs })).id);
      const remote = await bounded.dreams.wait((await bounded.dreams.create({ inputs })).id);
      const [localReport, remoteReport] = [
        await engine.dreams.report(local.id),
        await bounded.dreams.report(remote.id),
      ];
      expect(localReport?.stats).toMatchObject({ toolResultsDeduplicated: 1, toolResultsCut: 1 });
      expect(remoteReport?.stats).toEqual(localReport?.stats);
      expect(() => createDistributedNocturne({ storage, connection: REDIS_URL, prefix, toolResultTokens: 5 })).toThrow(
        /toolResultTokens must be 0/,
      );
    } finally {
      await bounded.close();
      await engine.close();
    }
  });
});
