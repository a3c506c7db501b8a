import { cp, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Dream } from "@nocturne/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCompletionMarker } from "../src/files/completion-marker.js";
import { type FakeChatServer, startFakeChatServer } from "./support/fake-chat-server.js";
import { cliInProcess, lastJson, ROOT, spawnCli, treeHashes } from "./support/run-cli.js";

const SESSIONS = join(ROOT, "examples/data/sessions");
/** Kills at random points; `NOCTURNE_LONG=1` runs many more. */
const KILLS = process.env.NOCTURNE_LONG === "1" ? 30 : 4;

let dir: string;
let memory: string;
let tmp: string;
let original: Record<string, string>;
let server: FakeChatServer;
let hanging: FakeChatServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nocturne-kill-"));
  memory = join(dir, "memory");
  await cp(join(ROOT, "examples/data/memory"), memory, { recursive: true });
  original = await treeHashes(memory);
  tmp = join(dir, "tmp");
  await mkdir(tmp);
  server = await startFakeChatServer("slow");
  hanging = await startFakeChatServer("hang");
});
afterAll(async () => {
  await server.close();
  await hanging.close();
  await rm(dir, { recursive: true, force: true });
});

/** The working folders the binary's runs (TMPDIR=tmp) left. */
async function workLeftovers(): Promise<string[]> {
  const bases = (await readdir(tmp)).filter((name) => name.startsWith("nocturne-work-"));
  const left: string[] = [];
  for (const base of bases) left.push(...(await readdir(join(tmp, base))).map((name) => `${base}/${name}`));
  return left;
}

async function adoptRefused(out: string): Promise<void> {
  const adopted = await cliInProcess(["adopt", "--from", out, "--memory", memory, "--yes", "--json"]);
  expect(adopted.code, adopted.stderr).toBe(2);
  expect(adopted.stderr).toMatch(/error \[(output_incomplete|invalid_input)\]/);
  expect(await treeHashes(memory)).toEqual(original);
}

// Each test starts CLI processes (tsx startup included): on a loaded machine that alone can take tens of seconds.
describe("a killed dream", { timeout: 120_000 }, () => {
  it(`leaves nothing adoptable and nothing behind after the next run (${KILLS} SIGKILLs at random points)`, async () => {
    let killed = 0;
    const args = (out: string) => ["dream", "--memory", memory, "--sessions", SESSIONS, "--out", out, "--json"];
    for (let run = 0; run < KILLS; run++) {
      const out = join(dir, `killed-${run}`);
      // The first run's model never answers and the kill lands once extraction started, so at least one kill is
      // surely mid-dream (CI at 2db87d9 failed when every random kill came after the dream completed); the others
      // land anywhere from start-up to the write stage (a dream here takes 1 to 3 s after ~1 s of start-up).
      const midDream = run === 0;
      const model = midDream ? ["--model", hanging.modelSpec] : run % 2 === 0 ? [] : ["--model", server.modelSpec];
      const { child, done } = spawnCli(
        [...args(out), ...model],
        midDream
          ? (stderr, running) => {
              if (stderr.includes("stage extract")) running.kill("SIGKILL");
            }
          : undefined,
        { TMPDIR: tmp },
      );
      const timer = midDream ? undefined : setTimeout(() => child.kill("SIGKILL"), 300 + Math.random() * 3500);
      const result = await done;
      clearTimeout(timer);
      if (result.code === 0) {
        expect(Dream.parse(lastJson(result.stdout)).status).toBe("completed");
        continue;
      }
      expect(result.signal).toBe("SIGKILL");
      // A kill that lands after the output was published (marker written) but before the process exits finds a
      // completed dream: adopting it is allowed, and is not what this test is about.
      if (
        await readCompletionMarker(out).then(
          () => true,
          () => false,
        )
      )
        continue;
      killed++;
      await adoptRefused(out);
    }
    expect(killed, "no run was killed before it finished").toBeGreaterThan(0);
    const next = await spawnCli(args(join(dir, "next")), undefined, { TMPDIR: tmp }).done;
    expect(next.code, next.stderr).toBe(0);
    expect(await workLeftovers()).toEqual([]);
    expect((await readdir(dir)).filter((name) => name.includes(".nocturne-"))).toEqual([]);
  }, 120_000);

  it("on SIGTERM cancels like Ctrl-C: exit 1, canceled, output kept but not adoptable, no working copy left", async () => {
    const hanging = await startFakeChatServer("hang");
    try {
      const out = join(dir, "terminated");
      let sent = false;
      const { done } = spawnCli(
        ["dream", "--memory", memory, "--sessions", SESSIONS, "--out", out, "--model", hanging.modelSpec, "--json"],
        (stderr, child) => {
          if (!sent && stderr.includes("stage extract")) {
            sent = true;
            child.kill("SIGTERM");
          }
        },
        { TMPDIR: tmp },
      );
      const result = await done;
      expect(sent).toBe(true);
      expect(result.stderr).toContain("Canceling the dream");
      expect(result.code).toBe(1);
      expect(Dream.parse(lastJson(result.stdout)).status).toBe("canceled");
      expect(Object.keys(await treeHashes(out)).some((name) => name.startsWith(".nocturne/"))).toBe(true);
      await adoptRefused(out);
      expect(await workLeftovers()).toEqual([]);
    } finally {
      await hanging.close();
    }
  });

  it("a second signal quits at once: the partial output is kept but not adoptable, no working copy is left", async () => {
    const hanging = await startFakeChatServer("hang");
    try {
      const out = join(dir, "quit");
      let sent = 0;
      const { done } = spawnCli(
        ["dream", "--memory", memory, "--sessions", SESSIONS, "--out", out, "--model", hanging.modelSpec],
        (stderr, child) => {
          if (sent === 0 && stderr.includes("stage extract")) {
            sent++;
            child.kill("SIGTERM");
          } else if (sent === 1 && stderr.includes("Canceling the dream")) {
            sent++;
            child.kill("SIGINT");
          }
        },
        { TMPDIR: tmp },
      );
      const result = await done;
      expect(sent).toBe(2);
      expect(result.stderr).toContain("Quitting without waiting");
      expect(result.code).toBe(130);
      expect(Object.keys(await treeHashes(out)).some((name) => name.startsWith(".nocturne/"))).toBe(true);
      await adoptRefused(out);
      expect(await workLeftovers()).toEqual([]);
      expect((await readdir(dir)).filter((name) => name.startsWith(".quit."))).toEqual([]);
    } finally {
      await hanging.close();
    }
  });
});
