// Nocturne inside a self-hosted agent loop: the agent keeps its memory in SQLite, records each session, dreams
// every few sessions, reviews the dream's report with a policy, and adopts the new memory store only on approval
// (the old store is archived, never deleted, so it stays readable and recoverable).
// Run: npx tsx --conditions=@nocturne/source examples/agent-loop/agent-loop.ts [database-file]
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createSqliteAdapter } from "@nocturne/adapters-sqlite";
import {
  type ConsolidationReport,
  createNocturne,
  importTranscriptFile,
  listTranscriptFiles,
  type MemoryStore,
  type Session,
  type StorageAdapter,
} from "@nocturne/core";

/** Dream after this many new sessions. */
const DREAM_EVERY = 4;

const data = join(dirname(fileURLToPath(import.meta.url)), "../data");
const scratch = process.argv[2] === undefined ? await mkdtemp(join(tmpdir(), "nocturne-agent-")) : null;
const storage = createSqliteAdapter({ file: process.argv[2] ?? join(scratch ?? ".", "agent.db") });
const nocturne = createNocturne({ storage });

/** The agent's review policy: adopt a dream only if it completed and kept most of what the agent knew. */
function review(report: ConsolidationReport): { adopt: boolean; why: string } {
  if (report.status !== "completed") return { adopt: false, why: `the dream ${report.status}` };
  const facts = report.inputs.flatMap((input) => input.facts);
  const dropped = facts.filter((fact) => fact.fate === "dropped").length;
  if (facts.length > 0 && dropped / facts.length > 0.5) {
    return { adopt: false, why: `it would drop ${dropped} of ${facts.length} remembered facts` };
  }
  const superseded = report.outputs.reduce(
    (sum, output) => sum + output.facts.reduce((n, f) => n + f.superseded.length, 0),
    0,
  );
  return {
    adopt: true,
    why: `${report.outputs.length} memories, ${superseded} values updated, ${dropped} stale facts dropped`,
  };
}

/** Seeds the agent's first memory store from the example memory folder. */
async function seedMemory(store: StorageAdapter): Promise<MemoryStore> {
  const memory = await store.createMemoryStore({ name: "ledger-helper memory", metadata: { agent: "ledger-helper" } });
  const root = join(data, "memory");
  const files: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      if (entry.isDirectory()) await walk(join(dir, entry.name));
      else files.push(join(dir, entry.name));
    }
  };
  await walk(root);
  await store.writeMemories(
    memory.id,
    await Promise.all(
      files.map(async (file) => ({
        op: "upsert" as const,
        path: `/${relative(root, file)}`,
        content: await readFile(file, "utf8"),
      })),
    ),
  );
  return memory;
}

/** Dreams over the active store and the new sessions; returns the store the agent uses next. */
async function dreamAndReview(active: MemoryStore, sessionIds: string[]): Promise<MemoryStore> {
  const dream = await nocturne.dreams.create({
    inputs: [
      { type: "memory_store", memory_store_id: active.id },
      { type: "sessions", session_ids: sessionIds },
    ],
    instructions: "Keep lasting preferences and project facts; drop one-off debugging noise.",
  });
  for await (const event of nocturne.dreams.events(dream.id)) {
    if (event.type === "status" || event.type === "error") console.log(`  [${dream.id}] ${JSON.stringify(event)}`);
  }
  const report = await nocturne.dreams.report(dream.id);
  const verdict = report === null ? { adopt: false, why: "no report" } : review(report);
  const outputId = (await nocturne.dreams.retrieve(dream.id)).outputs[0]?.memory_store_id;
  if (!verdict.adopt || outputId === undefined) {
    console.log(`  kept ${active.id}: not adopted (${verdict.why})`);
    return active;
  }
  const next = await storage.getMemoryStore(outputId);
  if (next === null) throw new Error(`output store ${outputId} vanished`);
  await storage.archiveMemoryStore(active.id);
  console.log(`  adopted ${next.id} (${verdict.why}); ${active.id} archived, still readable`);
  return next;
}

try {
  await nocturne.recover();
  let active = await seedMemory(storage);
  console.log(`Agent memory: ${active.id}`);
  const sessions: Session[] = [];
  for (const file of await listTranscriptFiles([join(data, "sessions")]))
    sessions.push((await importTranscriptFile(file)).session);
  sessions.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));

  let pending: string[] = [];
  for (const session of sessions) {
    // A real agent would run the session here; this one replays a recorded transcript.
    await storage.putSession(session);
    pending.push(session.id);
    console.log(`session ${session.id} — ${session.title ?? "untitled"}`);
    if (pending.length === DREAM_EVERY) {
      console.log(`dreaming over ${pending.length} sessions`);
      active = await dreamAndReview(active, pending);
      pending = [];
    }
  }
  if (pending.length > 0) active = await dreamAndReview(active, pending);

  console.log(`\nThe agent's memory now (${active.id}):`);
  for (const memory of (await storage.listMemories(active.id)).data) {
    console.log(`\n${memory.path}\n${memory.content.trimEnd()}`);
  }
} finally {
  await nocturne.close();
  if (scratch !== null) await rm(scratch, { recursive: true, force: true });
}
