import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Dream } from "@nocturne/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeChatServer, startFakeChatServer } from "./support/fake-chat-server.js";
import { cli, cliInProcess, lastJson, ROOT, spawnCli, treeHashes } from "./support/run-cli.js";

const MEMORY = join(ROOT, "examples/data/memory");
const SESSIONS = join(ROOT, "examples/data/sessions");

let dir: string;
let server: FakeChatServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nocturne-cli-"));
  server = await startFakeChatServer();
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the nocturne binary", () => {
  it("exits 2 on bad usage, naming the error code and what to do", async () => {
    const bogus = await cli(["dream", "--memroy", MEMORY, "--json"]);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toMatch(/^error \[invalid_input\]: nocturne dream: Unknown option '--memroy'.*nocturne help/m);
    expect(lastJson(bogus.stdout)).toMatchObject({ error: { code: "invalid_input" } });
  });

  it("prints the usage: on request with exit 0, with no command with exit 2", async () => {
    const none = await cliInProcess([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("nocturne dream --memory <dir> --sessions <file-or-dir>... --out <dir>");
    const help = await cliInProcess(["help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      "Exit codes: 0 the dream completed · 1 it failed or was canceled · 2 bad usage or bad input.",
    );
  });

  it("dreams over local files: exit 0, the final Dream as the last JSON line, inputs untouched", async () => {
    const before = await treeHashes(MEMORY);
    const sessionsBefore = await treeHashes(SESSIONS);
    const out = join(dir, "completed");
    const report = join(dir, "completed.html");
    const result = await cli([
      "dream",
      "--memory",
      MEMORY,
      "--sessions",
      SESSIONS,
      "--out",
      out,
      "--model",
      server.modelSpec,
      "--instructions",
      "Keep lasting preferences.",
      "--concurrency",
      "2",
      "--report",
      report,
      "--json",
    ]);
    expect(result.stderr).toContain("stage extract");
    expect(result.stderr).toMatch(/^\[00:\d\d\] chunk 1\/\d+ of /m);
    expect(result.code).toBe(0);
    const dream = Dream.parse(lastJson(result.stdout));
    expect(dream.status).toBe("completed");
    expect(dream.instructions).toBe("Keep lasting preferences.");
    expect(dream.outputs).toHaveLength(1);
    expect(dream.inputs.find((input) => input.type === "sessions")).toMatchObject({ session_ids: expect.any(Array) });
    const written = (await readdir(out)).filter((name) => name.endsWith(".md"));
    expect(written.length).toBeGreaterThan(0);
    expect(await readFile(join(out, written[0] ?? ""), "utf8")).toMatch(/^# /);
    expect(await readFile(report, "utf8")).toContain(`<h1>Dream ${dream.id}`);
    expect(await treeHashes(MEMORY)).toEqual(before);
    expect(await treeHashes(SESSIONS)).toEqual(sessionsBefore);
  });

  it("refuses an --out folder that exists, writing nothing", async () => {
    const out = join(dir, "taken");
    await mkdir(out);
    await writeFile(join(out, "keep.md"), "mine\n");
    const result = await cli(["dream", "--memory", MEMORY, "--sessions", SESSIONS, "--out", out, "--json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `error [output_exists]: --out ${out} already exists; nocturne never writes over anything`,
    );
    expect(lastJson(result.stdout)).toMatchObject({ error: { code: "output_exists", details: { out } } });
    expect(await treeHashes(out)).toEqual({ "keep.md": expect.any(String) });
    expect(await readFile(join(out, "keep.md"), "utf8")).toBe("mine\n");
  });

  it("names the file and line of a broken transcript and exits 2", async () => {
    const sessions = join(dir, "broken-sessions");
    await mkdir(sessions);
    const good = await readFile(join(SESSIONS, "2026-10-03-ci-econnrefused.claude-code.jsonl"), "utf8");
    const lines = good.split("\n");
    lines[2] = lines[2]?.slice(0, 40) ?? "";
    await writeFile(join(sessions, "broken.jsonl"), lines.join("\n"));
    const out = join(dir, "never");
    const result = await cli(["dream", "--memory", MEMORY, "--sessions", sessions, "--out", out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `error [transcript_parse_error]: ${join(sessions, "broken.jsonl")}:3: this line is not valid JSON`,
    );
    expect(result.stderr).toContain("Fix or delete that line");
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it("exits 1 with a failed Dream when the model refuses every call", async () => {
    const failing = await startFakeChatServer("reject");
    try {
      const out = join(dir, "failed");
      const result = await cli([
        "dream",
        "--memory",
        MEMORY,
        "--sessions",
        SESSIONS,
        "--out",
        out,
        "--model",
        failing.modelSpec,
        "--json",
      ]);
      expect(result.code).toBe(1);
      const dream = Dream.parse(lastJson(result.stdout));
      expect(dream.status).toBe("failed");
      expect(dream.error?.message).toMatch(/does not exist|invalid/i);
    } finally {
      await failing.close();
    }
  });

  it("cancels cleanly on Ctrl-C (SIGINT), keeping the partial output, and exits 1", async () => {
    const hanging = await startFakeChatServer("hang");
    try {
      const out = join(dir, "canceled");
      let sent = false;
      const { done } = spawnCli(
        ["dream", "--memory", MEMORY, "--sessions", SESSIONS, "--out", out, "--model", hanging.modelSpec, "--json"],
        (stderr, child) => {
          if (!sent && stderr.includes("stage extract")) {
            sent = true;
            child.kill("SIGINT");
          }
        },
      );
      const result = await done;
      expect(sent).toBe(true);
      expect(result.stderr).toContain("Canceling the dream (it keeps what it wrote)");
      expect(result.code).toBe(1);
      const dream = Dream.parse(lastJson(result.stdout));
      expect(dream.status).toBe("canceled");
      expect(dream.outputs).toHaveLength(1);
      const kept = await treeHashes(out);
      expect(Object.keys(kept).some((name) => name.startsWith(".nocturne/"))).toBe(true);
    } finally {
      await hanging.close();
    }
  });
});
