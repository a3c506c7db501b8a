import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInMemoryAdapter, createNocturne, type StorageAdapter } from "@nocturne/core";
import { createScriptedLanguageModel } from "@nocturne/testing";
import { afterAll, describe, expect, it } from "vitest";
// The fs adapter is a sibling workspace package; core does not depend on it, so it is imported by path.
import { createFsAdapter } from "../../../adapters-fs/src/index.js";
import { createSqliteAdapter } from "../../../adapters-sqlite/src/index.js";
import { fingerprintInputs } from "../security/fixtures/store-fingerprint.js";
import { honestReply } from "./support/faulty-model.js";
import { faultyStorage, STORAGE_FAULTS, type StorageFault } from "./support/faulty-storage.js";
import { generateInputs, loadInputs } from "./support/generated-inputs.js";
import { expectConsistentOutput, runDream } from "./support/run-dream.js";

const SEED = 7101;
const scratch = mkdtempSync(join(tmpdir(), "nocturne-storage-faults-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Backend = "memory" | "fs" | "sqlite";
const backends: Record<Backend, (name: string) => StorageAdapter> = {
  memory: () => createInMemoryAdapter(),
  fs: (name) => createFsAdapter({ root: join(scratch, name), durable: false }),
  sqlite: (name) => createSqliteAdapter({ file: join(scratch, `${name}.db`), synchronous: "normal" }),
};

/** A model whose facts spread over many topics, so the dream writes many memories and can fail between them. */
const manyTopics = () =>
  createScriptedLanguageModel({
    script: (request, index) => {
      const reply = honestReply(request);
      const json = reply.json as { facts?: Array<{ topic: string; key: string }> } | undefined;
      if (json?.facts) for (const fact of json.facts) fact.topic = `areas/${fact.key.split(".").at(-1) ?? index}`;
      return reply;
    },
  });

async function prepare(storage: StorageAdapter) {
  const inputs = await loadInputs(storage, generateInputs(SEED, { sessions: 12, memories: 6 }));
  return { inputs, before: await fingerprintInputs(storage, inputs.storeId, inputs.sessionIds) };
}

describe("storage faults mid-write", () => {
  const cases: Array<[Backend, StorageFault]> = [];
  for (const backend of Object.keys(backends) as Backend[]) {
    for (const fault of Object.keys(STORAGE_FAULTS) as StorageFault[]) cases.push([backend, fault]);
  }

  it.each(cases)(
    "%s adapter, %s on the third memory: failed dream, no torn memory, clear error",
    async (backend, fault) => {
      const real = backends[backend](`${backend}-${fault}`);
      const { inputs, before } = await prepare(real);
      let outputStore: string | null = null;
      const storage = faultyStorage(real, ({ method, args, count }) => {
        if (method === "setMemoryStoreLock" && outputStore === null && args[1] !== null) outputStore = String(args[0]);
        if (method === "createMemory" && args[0] === outputStore && count === 3) return STORAGE_FAULTS[fault]();
        return null;
      });
      const { dream, output } = await runDream(storage, manyTopics(), inputs);

      expect(dream.status).toBe("failed");
      expect(dream.error?.type).toBe("storage_error");
      expect(dream.error?.message).toContain(STORAGE_FAULTS[fault]().code);
      expect(dream.error?.message).toMatch(/check the storage backend/i);
      expect(output).toHaveLength(2);
      expect(await fingerprintInputs(real, inputs.storeId, inputs.sessionIds)).toBe(before);
      await expectConsistentOutput(real, dream, output);
    },
  );
});

/** True when this process may mount a small tmpfs (root on Linux): then the disk-full and read-only faults are real. */
function canMount(): boolean {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
  const probe = join(scratch, "mount-probe");
  mkdirSync(probe, { recursive: true });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!canMount())("real file system faults on a small tmpfs (root only)", () => {
  const realFaults: Array<[string, string, (mount: string) => void]> = [
    [
      "the disk fills up",
      "storage_full",
      (mount) => {
        try {
          for (let n = 0; ; n++) writeFileSync(join(mount, `ballast-${n}`), Buffer.alloc(4096, 1));
        } catch {
          // ENOSPC: the disk is now full.
        }
      },
    ],
    [
      "the file system turns read-only",
      "storage_permission_denied",
      (mount) => execFileSync("mount", ["-o", "remount,ro", mount], { stdio: "ignore" }),
    ],
  ];

  it.each(realFaults)("%s before the third memory: failed dream, no torn memory", async (_name, code, breakIt) => {
    const mount = mkdtempSync(join(scratch, "tmpfs-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mount], { stdio: "ignore" });
    try {
      const root = mkdtempSync(join(scratch, "root-"));
      const real = createFsAdapter({
        root,
        durable: true,
        storeFolder: (input) => (input.metadata.nocturne_dream_id ? join(mount, "output") : undefined),
      });
      const { inputs, before } = await prepare(real);
      let outputStore: string | null = null;
      let broken = false;
      const storage = faultyStorage(real, ({ method, args, count }) => {
        if (method === "setMemoryStoreLock" && outputStore === null && args[1] !== null) outputStore = String(args[0]);
        if (method === "createMemory" && args[0] === outputStore && count === 3 && !broken) {
          broken = true;
          breakIt(mount);
        }
        return null;
      });
      const { dream } = await runDream(storage, manyTopics(), inputs);
      expect(broken).toBe(true);
      expect(dream.status).toBe("failed");
      expect(dream.error?.type).toBe("storage_error");
      expect(dream.error?.message).toContain(code);
      expect(await fingerprintInputs(real, inputs.storeId, inputs.sessionIds)).toBe(before);
      execFileSync("mount", ["-o", "remount,rw", mount], { stdio: "ignore" });
      const reopened = createFsAdapter({ root, durable: true });
      const outputId = dream.outputs[0]?.memory_store_id ?? "";
      const page = await reopened.listMemories(outputId, { limit: 1000 });
      expect(page.data).toHaveLength(2);
      for (const memory of page.data) {
        expect(memory.content.startsWith("# ")).toBe(true);
        expect(memory.content.endsWith("\n")).toBe(true);
      }
    } finally {
      execFileSync("umount", [mount], { stdio: "ignore" });
    }
  });
});

describe("a real SQLITE_BUSY: another connection holds the write lock", () => {
  it("fails the dream with storage_busy, keeps the memories written before, and leaves the inputs alone", async () => {
    const file = join(scratch, "busy.db");
    const real = createSqliteAdapter({ file, busyTimeoutMs: 50, synchronous: "normal" });
    const { inputs, before } = await prepare(real);
    // better-sqlite3 is the sqlite adapter's dependency, so it is loaded from there.
    const require = createRequire(new URL("../../../adapters-sqlite/package.json", import.meta.url));
    const Database = require("better-sqlite3") as new (
      path: string,
    ) => {
      exec(sql: string): void;
      close(): void;
    };
    const other = new Database(file);
    let outputStore: string | null = null;
    let locked = false;
    const storage = faultyStorage(real, ({ method, args, count }) => {
      if (method === "setMemoryStoreLock" && outputStore === null && args[1] !== null) outputStore = String(args[0]);
      if (method === "createMemory" && args[0] === outputStore && count === 3 && !locked) {
        locked = true;
        other.exec("BEGIN EXCLUSIVE");
      }
      return null;
    });
    try {
      const { dream } = await runDream(storage, manyTopics(), inputs);
      expect(locked).toBe(true);
      other.exec("ROLLBACK");
      const stored = await real.getDreamRecord(dream.id);
      expect(dream.status).toBe("failed");
      expect(dream.error?.type).toBe("storage_error");
      expect(dream.error?.message).toContain("storage_busy");
      expect(await fingerprintInputs(real, inputs.storeId, inputs.sessionIds)).toBe(before);
      const output = await real.listMemories(dream.outputs[0]?.memory_store_id ?? "", { limit: 1000 });
      expect(output.data).toHaveLength(2);
      // The engine's last write of the dream record can itself meet the lock, leaving the record "running";
      // recover() (run at start-up) settles it. Either way the stored record ends failed and the output unlocked.
      if (stored?.dream.status !== "failed") {
        await createNocturne({ storage: real, model: manyTopics() }).recover();
      }
      expect((await real.getDreamRecord(dream.id))?.dream.status).toBe("failed");
      await real.archiveMemoryStore(dream.outputs[0]?.memory_store_id ?? "");
    } finally {
      other.close();
    }
  });
});
