import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
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

describe("nocturne serve", () => {
  it("issues a key, serves the API with it, and stops cleanly on SIGTERM", async () => {
    const storage = `sqlite:${join(tempDir(), "n.db")}`;
    const issued = await cli(["serve", "keys", "create", "--workspace", "acme", "--storage", storage, "--json"]);
    expect(issued.code).toBe(0);
    const { key, workspace } = JSON.parse(issued.stdout) as { key: string; workspace: string };
    expect(workspace).toBe("acme");

    let url: string | null = null;
    let onListening: (value: string) => void = () => undefined;
    const listening = new Promise<string>((resolve) => {
      onListening = resolve;
    });
    const { child, done } = spawnCli(["serve", "--storage", storage, "--port", "0"], (text) => {
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
    const created = await fetch(`${base}/v1/memory_stores`, {
      method: "POST",
      headers: { "x-api-key": key, "content-type": "application/json", "anthropic-beta": "agent-memory-2026-07-22" },
      body: JSON.stringify({ name: "from the cli test" }),
    });
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ type: "memory_store", name: "from the cli test" });
    const denied = await fetch(`${base}/v1/memory_stores`, { headers: { "x-api-key": "wrong" } });
    expect(denied.status).toBe(401);

    child.kill("SIGTERM");
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("stopped");
  });

  it("refuses a bad workspace name and PostgreSQL storage without --tenancy (exit 2)", async () => {
    const storage = `sqlite:${join(tempDir(), "n.db")}`;
    expect((await cli(["serve", "keys", "create", "--workspace", "a b", "--storage", storage])).code).toBe(2);
    const pg = await cli(["serve", "keys", "create", "--workspace", "a", "--storage", "postgres://127.0.0.1/test"]);
    expect(pg.code).toBe(2);
    expect(pg.stderr).toContain("--tenancy");
  });
});
