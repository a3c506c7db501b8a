import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import {
  createInMemoryAdapter,
  createNocturne,
  isTerminalStatus,
  NocturneError,
  type StorageAdapter,
} from "@nocturne/core";
import { afterAll, describe, expect, it } from "vitest";
// Sibling workspace packages; core does not depend on them, so they are imported by path.
import { createFsAdapter, type FsAdapter } from "../../../adapters-fs/src/index.js";
import { createSqliteAdapter } from "../../../adapters-sqlite/src/index.js";
import { type SeededRandom, seededRandom } from "../security/fixtures/seeded-random.js";
import { fingerprintInputs } from "../security/fixtures/store-fingerprint.js";
import { createFaultyModel, MODEL_FAULTS } from "./support/faulty-model.js";
import { faultyStorage, STORAGE_FAULTS, type StorageFault } from "./support/faulty-storage.js";
import { generateInputs, loadInputs } from "./support/generated-inputs.js";
import { FAST_RETRY, sharedTokenizer as tokenizer } from "./support/run-dream.js";

const LONG = process.env.NOCTURNE_LONG === "1";
const SEED = 99173;
const scratch = mkdtempSync(join(tmpdir(), "nocturne-immutability-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every file and link under a folder, with its bytes: what "byte-identical on disk" means. */
function folderHash(folder: string): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const info = statSync(path, { throwIfNoEntry: false });
      hash.update(`${relative(folder, path)}\u0000`);
      if (info === undefined) hash.update(`link:${readlinkSync(path)}`);
      else if (info.isDirectory()) walk(path);
      else hash.update(readFileSync(path));
    }
  };
  walk(folder);
  return hash.digest("hex");
}

const STORAGE_METHODS = [
  "createMemoryStore",
  "setMemoryStoreLock",
  "createMemory",
  "putDreamRecord",
  "getDreamRecord",
  "getSession",
  "listMemories",
  "getMemoryStore",
] as const;

/** One generated fault schedule: a model failure rate, maybe a storage fault, maybe a cancel. */
interface Schedule {
  modelRate: number;
  storage: { method: (typeof STORAGE_METHODS)[number]; count: number; fault: StorageFault } | null;
  cancelAfterMs: number | null;
}

function schedule(random: SeededRandom): Schedule {
  return {
    modelRate: random.pick([0, 0, 0.1, 0.3, 0.6, 1]),
    storage:
      random.next() < 0.6
        ? {
            method: random.pick(STORAGE_METHODS),
            count: random.int(1, 6),
            fault: random.pick(Object.keys(STORAGE_FAULTS) as StorageFault[]),
          }
        : null,
    cancelAfterMs: random.next() < 0.2 ? random.int(0, 30) : null,
  };
}

type Backend = "memory" | "fs" | "sqlite";
const open: Record<Backend, (n: number) => StorageAdapter> = {
  memory: () => createInMemoryAdapter(),
  fs: (n) => createFsAdapter({ root: join(scratch, `fs-${n}`), durable: false }),
  sqlite: (n) => createSqliteAdapter({ file: join(scratch, `sqlite-${n}.db`), synchronous: "normal" }),
};

const RUNS: Record<Backend, number> = LONG ? { memory: 400, fs: 80, sqlite: 80 } : { memory: 40, fs: 10, sqlite: 10 };

describe.each(Object.keys(RUNS) as Backend[])(
  "input immutability under generated stores and faults (%s)",
  (backend) => {
    it(
      `${RUNS[backend]} seeded runs: inputs hash identically before and after, always`,
      async () => {
        const random = seededRandom(SEED + backend.length);
        const tally = { runs: 0, completed: 0, failed: 0, canceled: 0, refusedAtCreate: 0, modelFaults: 0 };
        for (let run = 0; run < RUNS[backend]; run++) {
          const real = open[backend](run);
          const generated = generateInputs(SEED * 31 + run, {
            sessions: random.int(1, 8),
            memories: random.int(0, 8),
            minEvents: 1,
            maxEvents: random.int(2, 12),
          });
          const inputs = await loadInputs(real, generated);
          const before = await fingerprintInputs(real, inputs.storeId, inputs.sessionIds);
          const folder = backend === "fs" ? await (real as FsAdapter).folderOf(inputs.storeId) : null;
          const diskBefore = folder ? folderHash(folder) : null;
          const plan = schedule(random);
          const storage = plan.storage
            ? faultyStorage(real, ({ method, count }) =>
                plan.storage && method === plan.storage.method && count === plan.storage.count
                  ? STORAGE_FAULTS[plan.storage.fault]()
                  : null,
              )
            : real;
          const model = createFaultyModel({ seed: run, rate: plan.modelRate, faults: MODEL_FAULTS });
          const engine = createNocturne({ storage, model, tokenizer, retry: { ...FAST_RETRY, retries: 2 } });
          tally.runs++;
          try {
            const created = await engine.dreams.create({
              inputs: [
                { type: "memory_store", memory_store_id: inputs.storeId },
                { type: "sessions", session_ids: inputs.sessionIds },
              ],
            });
            if (plan.cancelAfterMs !== null) {
              const delay = plan.cancelAfterMs;
              setTimeout(() => void engine.dreams.cancel(created.id).catch(() => undefined), delay);
            }
            const ended = await engine.dreams.wait(created.id);
            expect(isTerminalStatus(ended.status)).toBe(true);
            if (ended.status === "completed") tally.completed++;
            else if (ended.status === "failed") tally.failed++;
            else tally.canceled++;
          } catch (error) {
            expect(NocturneError.isInstance(error), String(error)).toBe(true);
            tally.refusedAtCreate++;
          }
          tally.modelFaults += Object.values(model.tally.faults).reduce((sum, n) => sum + n, 0);
          await engine.close().catch(() => undefined);
          const reopened = backend === "memory" ? real : open[backend](run);
          expect(await fingerprintInputs(reopened, inputs.storeId, inputs.sessionIds), `run ${run}`).toBe(before);
          if (folder !== null) expect(folderHash(folder), `run ${run}: input folder bytes`).toBe(diskBefore);
          await reopened.close?.();
        }
        expect(tally.completed).toBeGreaterThan(0);
        expect(tally.failed).toBeGreaterThan(0);
        if (LONG) console.info(`immutability (${backend}): ${JSON.stringify(tally)}`);
      },
      120_000 + RUNS[backend] * 2_000,
    );
  },
);
