import { randomBytes } from "node:crypto";
import Anthropic from "@anthropic-ai/sdk";
import { purgeDeployment } from "@nocturne/runner-bullmq";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { type CliResult, cli, spawnCli } from "./support/run-cli.js";

const PG_URL = process.env.NOCTURNE_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.NOCTURNE_REDIS_URL ?? "redis://127.0.0.1:6379";
const schema = `t_queue_${randomBytes(4).toString("hex")}`;
const prefix = `t-queue-${randomBytes(4).toString("hex")}`;
const storage = `${PG_URL}?schema=${schema}`;
const queue = `${REDIS_URL}?prefix=${prefix}`;

interface Running {
  stop(): Promise<CliResult>;
}
const running: Running[] = [];

afterAll(async () => {
  for (const process of running.splice(0)) await process.stop();
  await purgeDeployment({ connection: REDIS_URL, prefix });
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
});

/** Spawns the binary and resolves once stderr shows `ready` (with its match), or rejects if it exits first. */
async function start(args: string[], ready: RegExp): Promise<{ match: RegExpExecArray } & Running> {
  let found: (match: RegExpExecArray) => void = () => undefined;
  const seen = new Promise<RegExpExecArray>((resolve) => {
    found = resolve;
  });
  const { child, done } = spawnCli(args, (text) => {
    const match = ready.exec(text);
    if (match) found(match);
  });
  const match = await Promise.race([
    seen,
    done.then((result) => {
      throw new Error(`nocturne ${args[0]} exited early: ${result.stderr}`);
    }),
  ]);
  const process = {
    match,
    async stop() {
      child.kill("SIGTERM");
      return done;
    },
  };
  running.push(process);
  return process;
}

/** A hosted Managed Agents transcript in which the user says `text`. */
function transcript(text: string): string {
  const at = new Date(Date.now() + 60_000).toISOString();
  return JSON.stringify({
    data: [
      { id: "evt_u0", type: "user.message", processed_at: at, content: [{ type: "text", text }] },
      { id: "evt_a0", type: "agent.message", processed_at: at, content: [{ type: "text", text: "Noted." }] },
    ],
  });
}

/** NODE_OPTIONS that make a process print `loaded <url>` on stderr for every module it resolves from BullMQ. */
const TRACE_BULLMQ = (() => {
  const hook =
    'export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.includes("bullmq")) process.stderr.write("loaded " + r.url + "\\n"); return r; }';
  const register = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
  return `--import=data:text/javascript,${encodeURIComponent(register)}`;
})();

describe("nocturne serve --queue with nocturne worker", { timeout: 120_000 }, () => {
  it("loads the BullMQ runner only when --queue is given", async () => {
    const traced = (args: string[]) => spawnCli(args, undefined, { NODE_OPTIONS: TRACE_BULLMQ }).done;
    for (const args of [["--help"], ["serve", "--help"], ["worker", "--help"], ["serve", "--port", "x"]]) {
      const result = await traced(args);
      expect(result.stderr, args.join(" ")).not.toContain("loaded ");
    }
    // The positive control: a worker whose storage cannot be reached has loaded the runner before it fails.
    const worker = await traced(["worker", "--queue", queue, "--storage", "postgres://postgres@127.0.0.1:1/none"]);
    expect(worker.code).not.toBe(0);
    expect(worker.stderr).toMatch(/loaded \S*runner-bullmq/);
  });

  it("refuses storage workers cannot share, and a queue that is not a Redis URL (exit 2)", async () => {
    for (const command of ["serve", "worker"]) {
      const sqlite = await cli([command, "--queue", queue, "--storage", "sqlite:./never.db"]);
      expect(sqlite.code, command).toBe(2);
      expect(sqlite.stderr).toContain(`nocturne ${command} --queue needs --storage postgres://`);
    }
    const notRedis = await cli(["serve", "--queue", "127.0.0.1:6379", "--storage", storage]);
    expect(notRedis.code).toBe(2);
    expect(notRedis.stderr).toContain("--queue must be a redis://");
  });

  it("queues dreams for the workers: pending until one runs, canceled while queued, update_existing held against a second (409), completed by a worker", async () => {
    const issued = await cli(["serve", "keys", "create", "--workspace", "acme", "--storage", storage, "--json"]);
    expect(issued.code, issued.stderr).toBe(0);
    const { key } = JSON.parse(issued.stdout) as { key: string };
    const server = await start(
      ["serve", "--queue", queue, "--storage", storage, "--port", "0"],
      /listening on (http:\/\/\S+) .*dreams run by the workers of/,
    );
    const client = new Anthropic({ apiKey: key, baseURL: server.match[1], maxRetries: 0 });

    const store = await client.beta.memoryStores.create({ name: "queued" });
    await client.beta.memoryStores.memories.create(store.id, { path: "/home.md", content: "- I live in Berlin.\n" });
    const imported = await fetch(`${server.match[1]}/v1/sessions/import`, {
      method: "POST",
      headers: { "x-api-key": key, "content-type": "application/json" },
      body: JSON.stringify({ transcript: transcript("Big news: I moved to Lisbon last week!") }),
    });
    expect(imported.status, await imported.clone().text()).toBe(200);
    const session = (await imported.json()) as { id: string };
    const inputs = [
      { type: "memory_store" as const, memory_store_id: store.id },
      { type: "sessions" as const, session_ids: [session.id] },
    ];

    // No worker yet: the dream waits in the queue, and a cancel there ends it.
    const queued = await client.beta.dreams.create({ inputs, model: "offline" });
    expect(queued.status).toBe("pending");
    expect((await client.beta.dreams.retrieve(queued.id)).status).toBe("pending");
    const canceled = await client.beta.dreams.cancel(queued.id);
    expect(canceled.status).toBe("canceled");
    // An update_existing dream queued before any worker holds its store: a second one is the hosted 409.
    const behavior = { type: "update_existing" as const, memory_store_id: store.id };
    const updating = await client.beta.dreams.create({ inputs, model: "offline", output_behavior: behavior });
    expect(updating.status).toBe("pending");
    const conflict = await client.beta.dreams
      .create({ inputs, model: "offline", output_behavior: behavior })
      .catch((error: unknown) => error);
    expect(conflict).toBeInstanceOf(Anthropic.ConflictError);
    expect(conflict).toMatchObject({ status: 409, error: { type: "error", error: { type: "conflict_error" } } });
    if (conflict instanceof Anthropic.APIError) expect(conflict.headers?.get("x-should-retry")).toBe("false");

    const worker = await start(["worker", "--queue", queue, "--storage", storage], /runs dreams from/);
    const settled = async (id: string) => {
      let status = (await client.beta.dreams.retrieve(id)).status;
      while (status === "pending" || status === "running") {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await client.beta.dreams.retrieve(id)).status;
      }
      return client.beta.dreams.retrieve(id);
    };
    const updated = await settled(updating.id);
    expect(updated.status, JSON.stringify(updated.error)).toBe("completed");
    expect(updated.outputs).toEqual([{ type: "memory_store", memory_store_id: store.id }]);
    const inPlace = await client.beta.memoryStores.memories.list(store.id, { view: "full" });
    expect(inPlace.data.map((item) => (item.type === "memory" ? item.content : "")).join("\n")).toContain("Lisbon");
    const versions = await client.beta.memoryStores.memoryVersions.list(store.id);
    expect(versions.data.map((version) => version.created_by)).toContainEqual({
      type: "dream_actor",
      dream_id: updating.id,
    });

    const dream = await client.beta.dreams.create({ inputs, model: "offline" });
    const done = await settled(dream.id);
    expect(done.status, JSON.stringify(done.error)).toBe("completed");
    const output = done.outputs[0]?.memory_store_id ?? "";
    expect(output).not.toBe(store.id);
    const memories = await client.beta.memoryStores.memories.list(output, { view: "full" });
    expect(memories.data.map((item) => (item.type === "memory" ? item.content : "")).join("\n")).toContain("Lisbon");
    expect((await client.beta.dreams.retrieve(queued.id)).status).toBe("canceled");

    const serverStopped = await server.stop();
    expect(serverStopped.code, serverStopped.stderr).toBe(0);
    expect(serverStopped.stderr).toContain("dreams keep running on the workers");
    const workerStopped = await worker.stop();
    expect(workerStopped.code, workerStopped.stderr).toBe(0);
    expect(workerStopped.stderr).toContain("nocturne worker: stopped.");
  });
});
