import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInProcess, lastJson, ROOT } from "./support/run-cli.js";

const SESSIONS = join(ROOT, "examples/data/sessions");

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nocturne-cli-import-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function listed(storage: string): Promise<string[]> {
  const out = lastJson((await cliInProcess(["sessions", "list", "--storage", storage, "--json"])).stdout);
  return (out as { data: Array<{ id: string }> }).data.map((summary) => summary.id);
}

describe("nocturne import --sessions", () => {
  it("stores each transcript as it is read; a broken file stops it with nothing of that file stored", async () => {
    const folder = join(dir, "broken");
    await mkdir(folder);
    const [first] = (await readdir(SESSIONS)).sort();
    await copyFile(join(SESSIONS, first ?? ""), join(folder, `a-${first}`));
    await writeFile(
      join(folder, "b-broken.jsonl"),
      '{"type":"user","uuid":"u1","sessionId":"sesn_broken_x","timestamp":"2026-03-01T00:00:00Z","message":{"role":"user","content":"hi"}}\n{"type": "user", "uuid"\n',
    );
    const storage = join(dir, "state-broken");
    const result = await cliInProcess(["import", "--storage", storage, "--sessions", folder]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("b-broken.jsonl:2");
    expect(result.stderr).toContain("Stored before the error:");
    const ids = await listed(storage);
    expect(ids).toHaveLength(1);
    expect(ids).not.toContain("sesn_broken_x");
  });

  it("refuses a second file holding a session an earlier file held, keeping the first", async () => {
    const folder = join(dir, "twice");
    await mkdir(folder);
    const [first] = (await readdir(SESSIONS)).sort();
    await copyFile(join(SESSIONS, first ?? ""), join(folder, `a-${first}`));
    await copyFile(join(SESSIONS, first ?? ""), join(folder, `b-${first}`));
    const storage = join(dir, "state-twice");
    const result = await cliInProcess(["import", "--storage", storage, "--sessions", folder, "--json"]);
    expect(result.code).toBe(2);
    expect(lastJson(result.stdout)).toMatchObject({ error: { code: "duplicate_session_ids" } });
    expect(await listed(storage)).toHaveLength(1);
  });
});
