import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Dream } from "@nocturne/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInProcess, lastJson, ROOT } from "./support/run-cli.js";

const MEMORY = join(ROOT, "examples/data/memory");
const SESSIONS = join(ROOT, "examples/data/sessions");

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nocturne-typed-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A folder holding one Nocturne session whose first event carries `content` (raw JSON text). */
async function sessionFolder(name: string, content: string): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder);
  const event = `{"id":"e1","type":"user.message","processed_at":"2026-01-01T00:00:00Z","content":${content}}`;
  await writeFile(
    join(folder, "session.json"),
    `{"id":"sesn_${name}","title":"t","created_at":"2026-01-01T00:00:00Z","metadata":{},"events":[${event}]}`,
  );
  return folder;
}

describe("hostile input gets a typed error with the documented exit status, never internal_error", () => {
  it("a session JSON nested 10,000 deep: transcript_parse_error (too_deep), exit 2, nothing written", async () => {
    const sessions = await sessionFolder("deep", `${"[".repeat(10_000)}${"]".repeat(10_000)}`);
    const out = join(dir, "deep-out");
    const result = await cliInProcess(["dream", "--memory", MEMORY, "--sessions", sessions, "--out", out, "--json"]);
    expect(result.code).toBe(2);
    expect(lastJson(result.stdout)).toMatchObject({
      error: { code: "transcript_parse_error", details: { reason: "too_deep", line: 1 } },
    });
    expect(result.stderr).toContain("nests more than 512 levels deep");
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it("a 1 MB statement: the dream completes (exit 0); no fact carries it", async () => {
    const statement = `I prefer ${"very ".repeat(200_000)}long names.`;
    const sessions = await sessionFolder("huge", JSON.stringify([{ type: "text", text: statement }]));
    const out = join(dir, "huge-out");
    const result = await cliInProcess(["dream", "--memory", MEMORY, "--sessions", sessions, "--out", out, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(Dream.parse(lastJson(result.stdout)).status).toBe("completed");
    for (const name of (await readdir(out)).filter((file) => file.endsWith(".md"))) {
      expect(name).not.toContain("very very");
    }
  });
});

describe("--timeout, the dream's runtime budget", () => {
  it("a dream past its budget fails with timeout: exit 1, the failed Dream as the last JSON line", async () => {
    const out = join(dir, "timeout-out");
    const args = ["dream", "--memory", MEMORY, "--sessions", SESSIONS, "--out", out, "--timeout", "1ms", "--json"];
    const result = await cliInProcess(args);
    expect(result.code, result.stderr).toBe(1);
    const dream = Dream.parse(lastJson(result.stdout));
    expect(dream).toMatchObject({ status: "failed", error: { type: "timeout" } });
    await expect(stat(join(out, ".nocturne", "dream-completed.json"))).rejects.toThrow(/ENOENT/);
  });

  it("a --timeout that is no duration is a usage error: exit 2, nothing written", async () => {
    const out = join(dir, "bad-timeout-out");
    const result = await cliInProcess([
      "dream",
      "--memory",
      MEMORY,
      "--sessions",
      SESSIONS,
      "--out",
      out,
      "--timeout",
      "soon",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--timeout must be a duration such as 90s, 30m or 2h");
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });
});

describe("--tool-result-tokens, the bound on tool output", () => {
  /** A session whose one tool result is a log of about 550 tokens: under the default budget, over 200. */
  async function longToolResult(name: string): Promise<string> {
    const folder = join(dir, name);
    await mkdir(folder);
    const log = Array.from({ length: 30 }, (_, n) => `[info] step ${n} compiled src/module-${n}.ts in ${n} ms`);
    const events = [
      {
        id: "e1",
        type: "user.message",
        processed_at: "2026-01-01T00:00:00Z",
        content: [{ type: "text", text: "I live in Lisbon." }],
      },
      { id: "e2", type: "agent.tool_use", processed_at: "2026-01-01T00:00:01Z", name: "run", input: { cmd: "build" } },
      {
        id: "e3",
        type: "agent.tool_result",
        processed_at: "2026-01-01T00:00:02Z",
        tool_use_id: "e2",
        content: log.join("\n"),
      },
    ];
    await writeFile(
      join(folder, "session.json"),
      JSON.stringify({ id: `sesn_${name}`, title: "t", created_at: "2026-01-01T00:00:00Z", metadata: {}, events }),
    );
    return folder;
  }

  it("cuts a tool result over the budget given, which the default budget reads whole; the report says so", async () => {
    const sessions = await longToolResult("long-log");
    const dream = async (name: string, flags: string[]) => {
      const report = join(dir, `${name}.md`);
      const args = ["dream", "--memory", MEMORY, "--sessions", sessions, "--out", join(dir, name), "--report", report];
      const result = await cliInProcess([...args, ...flags]);
      expect(result.code, result.stderr).toBe(0);
      return readFile(report, "utf8");
    };
    expect(await dream("tool-bound-200", ["--tool-result-tokens", "200"])).toMatch(
      /1 long ones cut to head and tail \([\d,]+ tool-output tokens left out\)/,
    );
    const byDefault = await dream("tool-bound-default", []);
    expect(byDefault).not.toContain("cut to head and tail");
  });

  it("a budget under 100 (other than 0) is a usage error: exit 2, nothing written", async () => {
    const out = join(dir, "bad-tool-bound-out");
    const args = ["dream", "--memory", MEMORY, "--sessions", SESSIONS, "--out", out, "--tool-result-tokens", "50"];
    const result = await cliInProcess(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--tool-result-tokens must be 0 (read tool output in full) or a whole number");
    await expect(stat(out)).rejects.toThrow();
  });
});
