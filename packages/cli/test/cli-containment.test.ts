import { cp, link, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMPLETION_MARKER } from "../src/files/completion-marker.js";
import { workBase } from "../src/files/work-dir.js";
import { deadPid, readOnlyFolder } from "./support/read-only-folder.js";
import { cliInProcess, lastJson, ROOT, treeHashes } from "./support/run-cli.js";

const SESSIONS = join(ROOT, "examples/data/sessions");

let dir: string;
let memory: string;
let original: Record<string, string>;
const savedTmp = process.env.TMPDIR;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nocturne-containment-"));
  memory = join(dir, "memory");
  await cp(join(ROOT, "examples/data/memory"), memory, { recursive: true });
  original = await treeHashes(memory);
  // This file's runs keep their working folders here, so the checks below see only their own.
  process.env.TMPDIR = join(dir, "tmp");
  await mkdir(join(dir, "tmp"));
});
afterAll(async () => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  await rm(dir, { recursive: true, force: true });
});

const dream = (out: string, ...extra: string[]) =>
  cliInProcess(["dream", "--memory", memory, "--sessions", SESSIONS, "--out", out, "--json", ...extra]);

describe("paths the CLI writes are contained by their real path", () => {
  it("refuses an --out reached through a symbolic link into --memory, writing nothing there", async () => {
    await symlink(memory, join(dir, "memory-link"));
    const result = await dream(join(dir, "memory-link", "dreamed"));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--out .* is inside --memory .*by its real path/);
    expect(await treeHashes(memory)).toEqual(original);
  });

  it("refuses a --report reached through a symbolic link into --memory or --out", async () => {
    const viaMemory = await dream(join(dir, "out-a"), "--report", join(dir, "memory-link", "review.md"));
    expect(viaMemory.code).toBe(2);
    expect(viaMemory.stderr).toContain("is inside --memory");
    await symlink(join(dir, "out-b"), join(dir, "out-b-link"));
    const viaOut = await dream(join(dir, "out-b"), "--report", join(dir, "out-b-link", "review.md"));
    expect(viaOut.code).toBe(2);
    expect(viaOut.stderr).toContain("is inside --out");
    await expect(readdir(join(dir, "out-a"))).rejects.toThrow(/ENOENT/);
    expect(await treeHashes(memory)).toEqual(original);
  });

  it("never overwrites an existing --report, a hard link to a memory file included", async () => {
    const hard = join(dir, "hard-link.md");
    await link(join(memory, "notes.md"), hard);
    const plain = join(dir, "old-review.md");
    await writeFile(plain, "keep me\n");
    for (const report of [hard, plain]) {
      const result = await dream(join(dir, "out-c"), "--report", report);
      expect(result.code).toBe(2);
      expect(lastJson(result.stdout)).toMatchObject({ error: { code: "output_exists" } });
    }
    expect(await readFile(plain, "utf8")).toBe("keep me\n");
    expect(await treeHashes(memory)).toEqual(original);
  });

  it("fails an --out below a file with invalid_input and exit 2", async () => {
    await writeFile(join(dir, "a-file"), "x");
    const result = await dream(join(dir, "a-file", "out"));
    expect(result.code).toBe(2);
    expect(lastJson(result.stdout)).toMatchObject({ error: { code: "invalid_input" } });
    expect(result.stderr).toContain("lies below a file");
  });

  it("fails an --out in a read-only folder with storage_permission_denied and exit 2", async (context) => {
    const parent = join(dir, "read-only");
    const undo = await readOnlyFolder(parent);
    if (undo === null) context.skip();
    try {
      const result = await dream(join(parent, "out"));
      expect(result.code).toBe(2);
      expect(lastJson(result.stdout)).toMatchObject({ error: { code: "storage_permission_denied" } });
    } finally {
      await undo?.();
    }
  });

  it("lets exactly one of two dreams racing for one --out have it; the other fails output_exists, exit 2", async () => {
    const out = join(dir, "raced");
    const results = await Promise.all([dream(out), dream(out)]);
    expect(results.map((result) => result.code).sort()).toEqual([0, 2]);
    const loser = results.find((result) => result.code === 2);
    expect(lastJson(loser?.stdout ?? "")).toMatchObject({ error: { code: "output_exists" } });
    expect(await readFile(join(out, COMPLETION_MARKER), "utf8")).toContain('"status": "completed"');
  });
});

describe("adopt takes only a completed dream's output", () => {
  it("refuses a folder without the completion marker (output_incomplete, exit 2) and keeps --memory", async () => {
    const out = join(dir, "complete");
    expect((await dream(out)).code).toBe(0);
    const partial = join(dir, "partial");
    await cp(out, partial, { recursive: true });
    await rm(join(partial, COMPLETION_MARKER));
    const missingFile = join(dir, "missing-file");
    await cp(out, missingFile, { recursive: true });
    const [first] = (await readdir(missingFile)).filter((name) => name.endsWith(".md"));
    await rm(join(missingFile, first ?? "none"));
    for (const from of [partial, missingFile, join(ROOT, "examples/data/memory")]) {
      const result = await cliInProcess(["adopt", "--from", from, "--memory", memory, "--yes", "--json"]);
      expect(result.code, from).toBe(2);
      expect(lastJson(result.stdout)).toMatchObject({ error: { code: "output_incomplete" } });
    }
    expect(await treeHashes(memory)).toEqual(original);
  });
});

describe("no working copy of a transcript outlives its run", () => {
  it("keeps working state in a private folder, removed after the run; a killed run's is swept by the next", async () => {
    const base = workBase();
    const pid = await deadPid();
    await mkdir(join(base, `run-p${pid}-leftover`), { recursive: true });
    await writeFile(join(base, `run-p${pid}-leftover`, "session.json"), "secret transcript");
    expect((await dream(join(dir, "swept"))).code).toBe(0);
    expect(await readdir(base)).toEqual([]);
    const { statSync } = await import("node:fs");
    expect(statSync(base).mode & 0o777).toBe(0o700);
  });
});
