import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMPLETION_MARKER } from "../src/files/completion-marker.js";
import { cliInProcess, lastJson, ROOT } from "./support/run-cli.js";

const SESSIONS = join(ROOT, "examples/data/sessions");
const NFD_NAME = "cafe\u0301-notes.md";
const BIG = `# Big\n\n${"- I keep a long log of every build.\n".repeat(4000)}`;
const SECRET_LINE = "- Our AWS deploy key is AKIAIOSFODNN7EXAMPLE.";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nocturne-left-out-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("no input memory is left out silently", () => {
  it("carries over oversized and NFD-named files unchanged, reports secret lines, and adopt shows both", async () => {
    const memory = join(dir, "memory");
    await cp(join(ROOT, "examples/data/memory"), memory, { recursive: true });
    await writeFile(join(memory, "big.md"), BIG);
    await writeFile(join(memory, NFD_NAME), "- I like my coffee black.\n");
    await writeFile(join(memory, "keys.md"), `# Keys\n\n${SECRET_LINE}\n- I rotate keys monthly.\n`);
    const out = join(dir, "out");

    const dreamed = await cliInProcess(["dream", "--memory", memory, "--sessions", SESSIONS, "--out", out]);
    expect(dreamed.code, dreamed.stderr).toBe(0);
    expect(dreamed.stderr).toMatch(/carried over unchanged: \/big\.md \(it is larger than 102400 bytes\)/);
    expect(dreamed.stderr).toContain("carried over unchanged: /cafe");
    expect(dreamed.stderr).toMatch(/left out: \/keys\.md:3 \(it holds a detected secret/);
    expect(await readFile(join(out, "big.md"), "utf8")).toBe(BIG);
    expect(await readFile(join(out, NFD_NAME), "utf8")).toBe("- I like my coffee black.\n");
    const marker = JSON.parse(await readFile(join(out, COMPLETION_MARKER), "utf8")) as { left_out: unknown[] };
    expect(marker.left_out).toHaveLength(3);

    const adopted = await cliInProcess(["adopt", "--from", out, "--memory", memory, "--yes", "--json"]);
    expect(adopted.code, adopted.stderr).toBe(0);
    expect(adopted.stderr).toContain("carried over unchanged: /big.md");
    expect(adopted.stderr).toContain("left out: /keys.md:3");
    const result = lastJson(adopted.stdout) as { removed: string[]; left_out: Array<{ path: string }> };
    expect(result.left_out.map((entry) => entry.path)).toContain("/keys.md:3");
    expect(result.removed).not.toContain("big.md");
    expect(result.removed).not.toContain(NFD_NAME);
    expect(await readFile(join(memory, "big.md"), "utf8")).toBe(BIG);
    expect(await readFile(join(memory, NFD_NAME), "utf8")).toBe("- I like my coffee black.\n");
  });
});
