import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Dream, MemoryStore } from "@nocturne/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeChatServer, startFakeChatServer } from "./support/fake-chat-server.js";
import { cliInProcess, lastJson, ROOT, spawnCli, treeHashes } from "./support/run-cli.js";

const MEMORY = join(ROOT, "examples/data/memory");
const SESSIONS = join(ROOT, "examples/data/sessions");

let dir: string;
let server: FakeChatServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nocturne-cli-storage-"));
  server = await startFakeChatServer();
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the storage form", () => {
  it.each([
    ["a folder", "state"],
    ["a SQLite file", "sqlite:"],
  ])(
    "on %s: imports inputs, dreams on them by id, lists, shows, refuses to cancel a finished dream, archives",
    async (_, kind) => {
      const storage = kind === "sqlite:" ? `sqlite:${join(dir, "nocturne.db")}` : join(dir, kind);
      const imported = await cliInProcess([
        "import",
        "--storage",
        storage,
        "--memory",
        MEMORY,
        "--sessions",
        SESSIONS,
        "--json",
      ]);
      expect(imported.code).toBe(0);
      const ids = lastJson(imported.stdout) as { memory_store_id: string; memories: number; session_ids: string[] };
      expect(ids.memories).toBe(5);
      expect(ids.session_ids).toHaveLength(12);

      const stores = lastJson((await cliInProcess(["stores", "list", "--storage", storage, "--json"])).stdout) as {
        data: unknown[];
      };
      expect(stores.data.map((store) => MemoryStore.parse(store).id)).toEqual([ids.memory_store_id]);
      const sessions = await cliInProcess(["sessions", "list", "--storage", storage]);
      expect(sessions.stdout.trim().split("\n")).toHaveLength(12);

      const run = await cliInProcess([
        "dream",
        "--storage",
        storage,
        "--store",
        ids.memory_store_id,
        "--sessions",
        ...ids.session_ids.slice(0, 4),
        "--model",
        server.modelSpec,
        "--json",
      ]);
      expect(run.code).toBe(0);
      const dream = Dream.parse(lastJson(run.stdout));
      expect(dream.status).toBe("completed");

      const listed = await cliInProcess(["dreams", "list", "--storage", storage]);
      expect(listed.stdout).toMatch(new RegExp(`^${dream.id}\\s+completed`, "m"));
      const report = join(dir, `stored-report-${kind.replace(":", "")}.md`);
      const shown = await cliInProcess(["dreams", "show", dream.id, "--storage", storage, "--report", report]);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain(`# Dream ${dream.id} — completed`);
      expect(await readFile(report, "utf8")).toContain("## Memories after");

      const memory = join(dir, `adopt-from-storage-${kind.replace(":", "")}`);
      await cp(MEMORY, memory, { recursive: true });
      const adopted = await cliInProcess([
        "adopt",
        "--storage",
        storage,
        "--dream",
        dream.id,
        "--memory",
        memory,
        "--yes",
      ]);
      expect(adopted.code).toBe(0);
      expect(adopted.stdout).toMatch(/^Adopted .* \(\d+ added, \d+ changed, \d+ removed, \d+ unchanged\)\.$/m);
      const shownJson = await cliInProcess(["dreams", "show", dream.id, "--storage", storage, "--json"]);
      const outputReport = (
        JSON.parse(shownJson.stdout.split("\n")[0] ?? "") as { report: { outputs: Array<{ path: string }> } }
      ).report;
      const files = Object.keys(await treeHashes(memory)).filter((name) => !name.startsWith("."));
      expect(files.map((name) => `/${name}`).sort()).toEqual(outputReport.outputs.map((output) => output.path).sort());

      const cancel = await cliInProcess(["dreams", "cancel", dream.id, "--storage", storage, "--json"]);
      expect(cancel.code).toBe(2);
      expect(lastJson(cancel.stdout)).toMatchObject({ error: { code: "dream_not_cancelable" } });
      const archived = await cliInProcess(["dreams", "archive", dream.id, "--storage", storage, "--json"]);
      expect(Dream.parse(lastJson(archived.stdout)).archived_at).not.toBeNull();
      expect((await cliInProcess(["dreams", "list", "--storage", storage])).stdout).toBe("No dreams.\n");
      expect((await cliInProcess(["dreams", "list", "--storage", storage, "--all"])).stdout).toContain("(archived)");
      const missing = await cliInProcess(["dreams", "show", "drm_nope", "--storage", storage]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("error [dream_not_found]");
    },
  );

  it("cancels a dream running in another process (noticed at its next step)", async () => {
    const hanging = await startFakeChatServer("hold");
    try {
      const storage = join(dir, "state-cancel");
      const imported = lastJson(
        (await cliInProcess(["import", "--storage", storage, "--memory", MEMORY, "--sessions", SESSIONS, "--json"]))
          .stdout,
      ) as { memory_store_id: string; session_ids: string[] };
      let dreamId: string | null = null;
      const { done } = spawnCli(
        [
          "dream",
          "--storage",
          storage,
          "--store",
          imported.memory_store_id,
          "--sessions",
          ...imported.session_ids,
          "--model",
          hanging.modelSpec,
          "--json",
        ],
        (stderr) => {
          if (dreamId === null && stderr.includes("stage extract"))
            dreamId = /Dream (drm_\w+) started/.exec(stderr)?.[1] ?? "";
        },
      );
      // Extraction calls held at the server mean the dream is past its "extract" step and its record write.
      while (dreamId === null || hanging.held === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      const cancel = await cliInProcess(["dreams", "cancel", dreamId, "--storage", storage, "--json"]);
      expect(cancel.code).toBe(0);
      expect(Dream.parse(lastJson(cancel.stdout)).status).toBe("canceled");
      hanging.release();
      const result = await done;
      expect(result.code).toBe(1);
      expect(Dream.parse(lastJson(result.stdout))).toMatchObject({ id: dreamId, status: "canceled" });
    } finally {
      await hanging.close();
    }
  });
});

describe("the local form's guards", () => {
  it("refuses a report path inside the memory folder or the output folder", async () => {
    for (const report of [join(MEMORY, "review.md"), join(dir, "guarded-out", "review.html")]) {
      const result = await cliInProcess([
        "dream",
        "--memory",
        MEMORY,
        "--sessions",
        SESSIONS,
        "--out",
        join(dir, "guarded-out"),
        "--report",
        report,
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`--report ${report} is inside --(memory|out) `));
    }
    await expect(readdir(join(dir, "guarded-out"))).rejects.toThrow(/ENOENT/);
  });
});

describe("memory files that cannot be memories", () => {
  it("are named on stderr when skipped, not silently dropped", async () => {
    const memory = join(dir, "memory-with-link");
    await mkdir(memory);
    await writeFile(join(memory, "editor.md"), "- I prefer vim.\n");
    await writeFile(join(dir, "outside.md"), "OUTSIDE\n");
    await symlink(join(dir, "outside.md"), join(memory, "leak.md"));
    const result = await cliInProcess([
      "dream",
      "--memory",
      memory,
      "--sessions",
      SESSIONS,
      "--out",
      join(dir, "link-out"),
      "--model",
      server.modelSpec,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^warning: ${memory}: Skipped /leak\\.md: .+`, "m"));
  });
});

describe("nocturne adopt", () => {
  it("writes a dream's output into the memory folder only when asked, and undoes it from the versions", async () => {
    const memory = join(dir, "agent-memory");
    await cp(MEMORY, memory, { recursive: true });
    await mkdir(join(memory, ".git"));
    await writeFile(join(memory, ".git", "HEAD"), "ref: refs/heads/main\n");
    const original = withoutMeta(await treeHashes(memory));
    const out = join(dir, "dreamed");
    const dreamed = await cliInProcess([
      "dream",
      "--memory",
      memory,
      "--sessions",
      SESSIONS,
      "--out",
      out,
      "--model",
      server.modelSpec,
    ]);
    expect(dreamed.code).toBe(0);
    expect(dreamed.stdout).toContain(`nocturne adopt --from ${out} --memory ${memory}`);

    const refused = await cliInProcess(["adopt", "--from", out, "--memory", memory]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /Not adopted \(\d+ added, \d+ changed, \d+ removed, \d+ unchanged\)\. Run again with --yes/,
    );
    expect(withoutMeta(await treeHashes(memory))).toEqual(original);

    const adopted = await cliInProcess(["adopt", "--from", out, "--memory", memory, "--json"], { confirm: true });
    expect(adopted.code, adopted.stderr).toBe(0);
    const result = lastJson(adopted.stdout) as { dream_id: string; undo: string; added: string[]; removed: string[] };
    const now = await treeHashes(memory);
    const dreamedFiles = Object.fromEntries(
      Object.entries(await treeHashes(out)).filter(([name]) => !name.startsWith(".")),
    );
    for (const [name, hash] of Object.entries(dreamedFiles)) expect(now[name], name).toBe(hash);
    expect(Object.keys(now).filter((name) => !name.startsWith("."))).toEqual(Object.keys(dreamedFiles));
    expect(now[".git/HEAD"]).toBe(original[".git/HEAD"]);
    expect(result.removed.length).toBeGreaterThan(0);
    expect(result.undo).toBe(`nocturne adopt --undo ${result.dream_id} --memory ${memory} --yes`);

    const undo = await cliInProcess(["adopt", "--undo", result.dream_id, "--memory", memory, "--yes"]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(withoutMeta(await treeHashes(memory))).toEqual(original);
    expect((await readdir(dir)).filter((name) => name.startsWith("agent-memory."))).toEqual([]);
  });
});

/** A folder's file hashes without the adapter's own `.nocturne/` (ids, versions), which adopt writes. */
function withoutMeta(hashes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(hashes).filter(([name]) => !name.startsWith(".nocturne/")));
}
