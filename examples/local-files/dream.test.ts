import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runExample } from "../run-example.js";

async function hashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path] = createHash("sha256")
      .update(await readFile(path))
      .digest("hex");
  }
  return out;
}

let out: string;
beforeAll(async () => {
  out = join(await mkdtemp(join(tmpdir(), "nocturne-demo-test-")), "out");
});
afterAll(async () => {
  await rm(join(out, ".."), { recursive: true, force: true });
});

describe("the README demo (examples/local-files/dream.ts)", () => {
  it("dreams over the example data offline and prints what changed", async () => {
    const data = join(ROOT, "examples/data");
    const before = await hashes(data);
    const result = await runExample("examples/local-files/dream.ts", [out]);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# Dream drm_\w+ — completed$/m);
    expect(result.stdout).toContain("## Summary");
    expect(result.stdout).toContain("(openai-messages, 7 events, file mtime)");
    const memories = (await readdir(join(out, "memory"), { recursive: true })).filter((name) => name.endsWith(".md"));
    expect(memories.length).toBeGreaterThan(0);
    const report = await readFile(join(out, "report.md"), "utf8");
    expect(report).toContain("## Memories after");
    expect(await readFile(join(out, "report.html"), "utf8")).toMatch(/^<!doctype html>/);
    expect(await hashes(data)).toEqual(before);
  });
});
