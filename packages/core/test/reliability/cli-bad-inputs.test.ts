import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
// The CLI is a sibling workspace package (it depends on core, not the other way), so it is imported by path.
import { type CliIo, runCli } from "../../../cli/src/index.js";

const scratch = mkdtempSync(join(tmpdir(), "nocturne-cli-bad-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Hash of every file under a folder, so "nothing written" can be checked byte for byte. */
function treeHash(folder: string): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      hash.update(`${relative(folder, path)}\u0000`);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) hash.update(readFileSync(path));
    }
  };
  walk(folder);
  return hash.digest("hex");
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    onInterrupt: () => () => undefined,
    confirm: async () => false,
    exit: () => undefined,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const message = (id: string, text: string, at = "2026-03-01T09:00:00.000Z") => ({
  id,
  type: "user.message",
  processed_at: at,
  content: [{ type: "text", text }],
});
const session = (id: string, text = "I prefer vim for editor.") =>
  JSON.stringify({ id, title: id, created_at: "2026-03-01T09:00:00.000Z", events: [message(`${id}_e1`, text)] });

/** A fresh case folder with a valid memory folder and the given transcript files. */
function caseFolder(name: string, transcripts: Record<string, string | Uint8Array>, extra?: (memory: string) => void) {
  const root = join(scratch, name);
  const memory = join(root, "memory");
  const sessions = join(root, "sessions");
  mkdirSync(join(memory, "notes"), { recursive: true });
  mkdirSync(sessions, { recursive: true });
  writeFileSync(join(memory, "notes", "editor.md"), "# Editor\n\n- Uses vim for editor work\n");
  for (const [file, content] of Object.entries(transcripts)) writeFileSync(join(sessions, file), content);
  extra?.(memory);
  return { root, memory, sessions, out: join(root, "out") };
}

const ADVICE = /\b(fix|remove|split|shorten|use|check|re-export|export|trim|delete|rename|give|choose|pass|point)\b/i;

const cases: Array<[string, () => ReturnType<typeof caseFolder>, string[]?]> = [
  ["malformed JSON", () => caseFolder("malformed-json", { "a.json": '{"id": "sesn_a", "events": [' })],
  [
    "malformed JSONL",
    () =>
      caseFolder("malformed-jsonl", {
        "a.jsonl": `${JSON.stringify({ type: "user", uuid: "u1", timestamp: "2026-03-01T09:00:00Z", sessionId: "s", message: { role: "user", content: "hi" } })}\n{"type": "user", "uuid":\n`,
      }),
  ],
  [
    "invalid UTF-8",
    () =>
      caseFolder("invalid-utf8", { "a.json": new Uint8Array([...Buffer.from(session("sesn_a", "caf")), 0xff, 0xfe]) }),
  ],
  ["an empty transcript", () => caseFolder("empty", { "a.json": "" })],
  [
    "a 20 MB single message",
    () => caseFolder("huge", { "a.json": session("sesn_huge", "z".repeat(20 * 1024 * 1024)) }),
  ],
  [
    "101 sessions",
    () =>
      caseFolder(
        "many",
        Object.fromEntries(
          Array.from({ length: 101 }, (_, i) => [`s${i}.json`, session(`sesn_${String(i).padStart(3, "0")}`)]),
        ),
      ),
  ],
  [
    "duplicate session ids",
    () => caseFolder("duplicates", { "a.json": session("sesn_same"), "b.json": session("sesn_same", "other") }),
  ],
  [
    "instructions of 4,097 characters",
    () => caseFolder("instructions", { "a.json": session("sesn_a") }),
    ["--instructions", "i".repeat(4097)],
  ],
  [
    "a memory folder that does not exist",
    () => ({ ...caseFolder("no-memory", { "a.json": session("sesn_a") }), memory: join(scratch, "nowhere") }),
  ],
];

describe("the CLI refuses bad input with exit code 2 and writes nothing", () => {
  it.each(cases)("%s", async (_name, build, extra = []) => {
    const folder = build();
    const memoryBefore = existsSync(folder.memory) ? treeHash(folder.memory) : null;
    const sessionsBefore = treeHash(folder.sessions);
    const rootBefore = readdirSync(folder.root).sort();
    const result = await cli([
      "dream",
      "--memory",
      folder.memory,
      "--sessions",
      folder.sessions,
      "--out",
      folder.out,
      ...extra,
    ]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(ADVICE);
    expect(existsSync(folder.out)).toBe(false);
    expect(readdirSync(folder.root).sort()).toEqual(rootBefore);
    if (memoryBefore !== null) expect(treeHash(folder.memory)).toBe(memoryBefore);
    expect(treeHash(folder.sessions)).toBe(sessionsBefore);
  });

  it("the installed binary exits with status 2 on bad input", () => {
    const folder = caseFolder("binary", { "a.json": "{ not json" });
    const bin = fileURLToPath(new URL("../../../cli/bin/nocturne.js", import.meta.url));
    const run = spawnSync(
      process.execPath,
      [bin, "dream", "--memory", folder.memory, "--sessions", folder.sessions, "--out", folder.out],
      {
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/a\.json/);
    expect(existsSync(folder.out)).toBe(false);
  }, 60_000);
});

/** Memory files the fs adapter cannot read as memories: a link out of the folder, a name that is no memory path. */
function skippedFilesCase(name: string) {
  const outside = join(scratch, `${name}-outside.txt`);
  writeFileSync(outside, "OUTSIDE-CONTENT\n");
  return caseFolder(name, { "a.json": session("sesn_a") }, (memory) => {
    symlinkSync(outside, join(memory, "notes", "leak.md"));
    writeFileSync(join(memory, "notes", "bad\u0001name.md"), "# Bad\n\n- CONTROL-NAME-CONTENT\n");
  });
}

function writtenText(out: string): string {
  if (!existsSync(out)) return "";
  return readdirSync(out, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), "utf8"))
    .join("\n");
}

describe("memory files that are not memories", () => {
  it("a link out of the folder and a file named with a control character are never read; the folder is untouched", async () => {
    const folder = skippedFilesCase("skipped");
    const before = treeHash(folder.memory);
    const result = await cli(["dream", "--memory", folder.memory, "--sessions", folder.sessions, "--out", folder.out]);
    expect(result.code, result.stderr).toBe(0);
    expect(treeHash(folder.memory)).toBe(before);
    const written = writtenText(folder.out);
    expect(written).toContain("vim");
    expect(written).not.toContain("OUTSIDE-CONTENT");
    // Never read as a memory (no dreamed memory holds it), but carried over byte for byte so adopting keeps it.
    const carried = join(folder.out, "notes", "bad\u0001name.md");
    expect(readFileSync(carried, "utf8")).toBe("# Bad\n\n- CONTROL-NAME-CONTENT\n");
    expect(written.replace("# Bad\n\n- CONTROL-NAME-CONTENT\n", "")).not.toContain("CONTROL-NAME-CONTENT");
    expect(lstatSync(join(folder.out, "notes", "leak.md")).isSymbolicLink()).toBe(true);
  });

  it("the CLI tells the user which files it skipped", async () => {
    const folder = skippedFilesCase("skipped-warn");
    const result = await cli(["dream", "--memory", folder.memory, "--sessions", folder.sessions, "--out", folder.out]);
    expect(result.stderr).toMatch(/leak\.md/);
    expect(result.stderr).toMatch(/bad.name\.md/);
  });
});
