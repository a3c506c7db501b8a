import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteAdapter } from "@nocturne/adapters-sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { tenancyFileFor } from "../src/commands/serve.js";
import { startFakeChatServer } from "./support/fake-chat-server.js";
import { cli, spawnCli } from "./support/run-cli.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "nocturne-cli-serve-"));
  dirs.push(dir);
  return dir;
}

/** Starts `nocturne serve` and resolves with its URL once it listens, and what ends it. */
async function serve(args: string[]) {
  let url: string | null = null;
  let onListening: (value: string) => void = () => undefined;
  const listening = new Promise<string>((resolve) => {
    onListening = resolve;
  });
  const { child, done } = spawnCli(["serve", ...args, "--port", "0"], (text) => {
    const match = /listening on (http:\/\/\S+)/.exec(text);
    if (match?.[1] && url === null) {
      url = match[1];
      onListening(url);
    }
  });
  const base = await Promise.race([
    listening,
    done.then((result) => {
      throw new Error(`serve exited early: ${result.stderr}`);
    }),
  ]);
  return { base, child, done };
}

describe("nocturne serve", () => {
  it("issues a key, serves the API with it, and stops cleanly on SIGTERM", async () => {
    const storage = `sqlite:${join(tempDir(), "n.db")}`;
    const issued = await cli(["serve", "keys", "create", "--workspace", "acme", "--storage", storage, "--json"]);
    expect(issued.code).toBe(0);
    const { key, id, workspace } = JSON.parse(issued.stdout) as { key: string; id: string; workspace: string };
    expect(workspace).toBe("acme");

    const { base, child, done } = await serve(["--storage", storage]);
    const created = await fetch(`${base}/v1/memory_stores`, {
      method: "POST",
      headers: { "x-api-key": key, "content-type": "application/json", "anthropic-beta": "agent-memory-2026-07-22" },
      body: JSON.stringify({ name: "from the cli test" }),
    });
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ type: "memory_store", name: "from the cli test" });
    const denied = await fetch(`${base}/v1/memory_stores`, { headers: { "x-api-key": "wrong" } });
    expect(denied.status).toBe(401);

    // Listed without the key itself; revoked while the server runs, it fails from the next request on.
    const listed = await cli(["serve", "keys", "list", "--storage", storage, "--json"]);
    expect(JSON.parse(listed.stdout)).toEqual({
      data: [{ id, workspace: "acme", read_only: false, created_at: expect.any(String) }],
    });
    expect(listed.stdout).not.toContain(key);
    expect((await cli(["serve", "keys", "revoke", id, "--storage", storage])).code).toBe(0);
    const revoked = await fetch(`${base}/v1/memory_stores`, { headers: { "x-api-key": key } });
    expect(revoked.status).toBe(401);
    expect((await cli(["serve", "keys", "revoke", id, "--storage", storage])).code).toBe(2);

    child.kill("SIGTERM");
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("stopped");
  });

  it("on SIGTERM cancels a running dream cleanly before it exits", async () => {
    const file = join(tempDir(), "n.db");
    const storage = `sqlite:${file}`;
    const issued = await cli(["serve", "keys", "create", "--workspace", "acme", "--storage", storage]);
    const key = issued.stdout.trim();
    const hanging = await startFakeChatServer("hang");
    try {
      const { base, child, done } = await serve(["--storage", storage, "--model", hanging.modelSpec]);
      const call = async (path: string, body: unknown) => {
        const response = await fetch(`${base}${path}`, {
          method: "POST",
          headers: { "x-api-key": key, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        expect(response.status, await response.clone().text()).toBe(200);
        return (await response.json()) as { id: string; status: string };
      };
      const store = await call("/v1/memory_stores", { name: "s" });
      await call(`/v1/memory_stores/${store.id}/memories`, { path: "/a.md", content: "- I live in Berlin\n" });
      const events = [
        {
          id: "e1",
          type: "user.message",
          processed_at: new Date().toISOString(),
          content: [{ type: "text", text: "I moved to Lisbon." }],
        },
      ];
      const session = await call("/v1/sessions/import", { transcript: JSON.stringify({ data: events }) });
      const dream = await call("/v1/dreams", {
        inputs: [
          { type: "memory_store", memory_store_id: store.id },
          { type: "sessions", session_ids: [session.id] },
        ],
        model: "hanging",
      });
      expect(dream.status).toBe("pending");
      // Until the dream is running: its model call hangs, so only the shutdown can end it.
      let status = dream.status;
      while (status === "pending") {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const response = await fetch(`${base}/v1/dreams/${dream.id}`, { headers: { "x-api-key": key } });
        status = ((await response.json()) as { status: string }).status;
      }
      expect(status).toBe("running");

      child.kill("SIGTERM");
      const result = await done;
      expect(result.code).toBe(0);
      const after = createSqliteAdapter({ file });
      try {
        const record = await after.getDreamRecord(dream.id);
        expect(record?.dream.status).toBe("canceled");
        expect((await after.getMemoryStore(store.id))?.archived_at).toBeNull();
      } finally {
        await after.close();
      }
    } finally {
      await hanging.close();
    }
  });

  it("refuses a bad workspace name (exit 2); PostgreSQL storage needs no tenancy file", async () => {
    const storage = `sqlite:${join(tempDir(), "n.db")}`;
    expect((await cli(["serve", "keys", "create", "--workspace", "a b", "--storage", storage])).code).toBe(2);
    expect(tenancyFileFor("postgres://127.0.0.1/test", undefined)).toBeUndefined();
    expect(tenancyFileFor("postgres://127.0.0.1/test", "./t.db")).toBe("./t.db");
    expect(tenancyFileFor("sqlite:./n.db", undefined)).toBe("./n.db.tenancy.db");
    const timeout = await cli(["serve", "--storage", storage, "--dream-timeout", "soon"]);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toContain("--dream-timeout");
  });
});
