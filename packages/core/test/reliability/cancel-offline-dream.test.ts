import {
  createInMemoryAdapter,
  createNocturne,
  createOfflineConsolidationModel,
  type DreamEvent,
  type DreamStage,
  readAllMemories,
  type StorageAdapter,
} from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { sessionOf } from "../helpers/fixtures.js";

/**
 * A dream on the offline model is CPU work from start to end: nothing in it waits for I/O. These tests abort one
 * from a callback the event loop can only run if the dream gives it a turn (`setImmediate`, scheduled when the stage
 * begins), and check that the callback ran while the dream was still running and that the dream ended canceled in
 * that stage. Without pacing, the callback would only run once the whole dream had completed.
 */

const PROJECTS = ["atlas", "borealis", "cinder", "dune", "ember", "fjord", "gale", "harbor"];
const REGIONS = ["eu-west-1", "us-east-1", "ap-south-1", "eu-central-1"];
const TOOLS = ["pnpm", "vitest", "biome", "docker compose", "terraform", "k6"];

/** A store of 600 memories, three facts each, and four sessions of a user restating and changing some of them. */
async function largeInputs(storage: StorageAdapter): Promise<{ storeId: string; sessionIds: string[] }> {
  const store = await storage.createMemoryStore({ name: "large" });
  const writes = Array.from({ length: 600 }, (_, index) => {
    const project = `${PROJECTS[index % PROJECTS.length]}-${index}`;
    return {
      op: "upsert" as const,
      path: `/projects/${project}.md`,
      content: [
        `# ${project}`,
        "",
        `- ${project} deploys to ${REGIONS[index % REGIONS.length]}.`,
        `- We use ${TOOLS[index % TOOLS.length]} for ${project}.`,
        `- The ${project} API listens on port ${3000 + index}.`,
        "",
      ].join("\n"),
    };
  });
  await storage.writeMemories(store.id, writes);
  const sessionIds: string[] = [];
  for (let session = 0; session < 4; session++) {
    const lines = Array.from({ length: 60 }, (_, index) => {
      const project = `${PROJECTS[index % PROJECTS.length]}-${index * 4 + session}`;
      return index % 2 === 0
        ? `Remember that ${project} deploys to ${REGIONS[(index + session + 1) % REGIONS.length]} now.`
        : `From now on we use ${TOOLS[(index + session) % TOOLS.length]} for ${project}.`;
    });
    const id = `sesn_large_${session}`;
    await storage.putSession(sessionOf(id, session + 1, lines));
    sessionIds.push(id);
  }
  return { storeId: store.id, sessionIds };
}

type Stop = "cancel" | "signal";

/** An offline dream over {@link largeInputs}, started with an abort signal of its own. */
async function startLargeDream() {
  const storage = createInMemoryAdapter();
  const { storeId, sessionIds } = await largeInputs(storage);
  const nocturne = createNocturne({ storage, model: createOfflineConsolidationModel() });
  const controller = new AbortController();
  const { id } = await nocturne.dreams.create(
    {
      inputs: [
        { type: "memory_store", memory_store_id: storeId },
        { type: "sessions", session_ids: sessionIds },
      ],
    },
    { signal: controller.signal },
  );
  return { storage, nocturne, controller, id };
}

/** Runs a dream and stops it from a `setImmediate` callback scheduled when `stage` begins. */
async function stopDuring(stage: DreamStage, stop: Stop) {
  const { nocturne, controller, id } = await startLargeDream();
  let ended = false;
  const waiting = nocturne.dreams.wait(id).then((dream) => {
    ended = true;
    return dream;
  });
  let stopped: Promise<unknown> | null = null;
  let endedWhenStopped: boolean | null = null;
  const events: DreamEvent[] = [];
  for await (const event of nocturne.dreams.events(id)) {
    events.push(event);
    if (event.type === "stage" && event.stage === stage) {
      setImmediate(() => {
        endedWhenStopped = ended;
        if (stop === "cancel") stopped = nocturne.dreams.cancel(id);
        else controller.abort();
      });
    }
  }
  const dream = await waiting;
  if (stopped !== null) await stopped;
  const stages = events.flatMap((event) => (event.type === "stage" ? [event.stage] : []));
  await nocturne.close();
  return { dream, endedWhenStopped, stages };
}

describe("an offline dream gives the event loop turns, so cancel and abort reach it in every stage", () => {
  const cases: Array<[DreamStage, Stop]> = [
    ["chunk", "signal"],
    ["extract", "cancel"],
    ["extract", "signal"],
    ["dedupe", "cancel"],
    ["dedupe", "signal"],
    ["resolve", "cancel"],
    ["synthesize", "signal"],
    ["write", "cancel"],
  ];
  it.each(cases)("stops during %s (%s)", async (stage, stop) => {
    const { dream, endedWhenStopped, stages } = await stopDuring(stage, stop);
    expect(endedWhenStopped).toBe(false);
    expect(dream.status).toBe("canceled");
    expect(stages.at(-1)).toBe(stage);
  });
});

/**
 * Runs a dream and stops it while it writes its output: from the consumer of the `after`-th `memory.written` event,
 * without waiting for a turn, so the stop lands between two writes on every run.
 */
async function stopWhileWriting(stop: Stop, after: number) {
  const { storage, nocturne, controller, id } = await startLargeDream();
  const waiting = nocturne.dreams.wait(id);
  let stopped: Promise<unknown> | null = null;
  const written = new Map<string, string>();
  const stages: DreamStage[] = [];
  for await (const event of nocturne.dreams.events(id)) {
    if (event.type === "stage") stages.push(event.stage);
    if (event.type !== "memory.written") continue;
    written.set(event.path, event.memory_id);
    if (written.size !== after) continue;
    if (stop === "cancel") stopped = nocturne.dreams.cancel(id);
    else controller.abort();
  }
  const dream = await waiting;
  if (stopped !== null) await stopped;
  const report = await nocturne.dreams.report(id);
  const outputStoreId = dream.outputs[0]?.memory_store_id ?? "";
  const stored = await readAllMemories(storage, outputStoreId);
  const writable = await storage.createMemory(outputStoreId, { path: "/after-the-cancel.md", content: "- x\n" });
  await nocturne.close();
  return { dream, report, stages, written, stored, writable };
}

describe("an offline dream stopped while it writes its output loses nothing and is marked partial", () => {
  it.each<Stop>(["cancel", "signal"])("stops between two writes (%s)", async (stop) => {
    const { dream, report, stages, written, stored, writable } = await stopWhileWriting(stop, 5);
    expect(dream.status).toBe("canceled");
    expect(stages.at(-1)).toBe("write");
    expect(written.size).toBeGreaterThanOrEqual(5);
    expect(new Map(stored.map((memory) => [memory.path, memory.id]))).toEqual(written);
    expect(report?.status).toBe("canceled");
    expect(new Map(report?.outputs.map((output) => [output.path, output.memoryId]))).toEqual(written);
    const fates = report?.inputs.flatMap((input) => input.facts) ?? [];
    const notWritten = fates.filter((fact) => fact.fate !== "dropped" && fact.into === null);
    expect(notWritten.length).toBeGreaterThan(0);
    for (const fact of fates) if (fact.into !== null) expect(written.has(fact.into)).toBe(true);
    expect(writable.path).toBe("/after-the-cancel.md");
  });
});
