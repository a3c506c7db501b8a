import type { Memory, MemoryVersion, SessionInput, StorageAdapter } from "@nocturne/core";

const CITIES = ["Lisbon", "Oslo", "Kyoto", "Quito", "Dakar", "Perth"];
const PROJECTS = [
  ["Atlas", "Rust"],
  ["Borealis", "Go"],
  ["Cygnus", "TypeScript"],
];
const TOOLS = ["Ansible", "Terraform", "Helm"];

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` sessions in the hosted event vocabulary, mixing facts the rule model knows with filler, from a seed. */
export function makeSessions(count: number, seed = 7, idPrefix = "sesn_scale"): SessionInput[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  return Array.from({ length: count }, (_, index) => {
    const day = new Date(Date.UTC(2026, 0, 1) + index * 86_400_000);
    const at = (minute: number) => new Date(day.getTime() + minute * 60_000).toISOString();
    const [project, language] = pick(PROJECTS);
    const lines = [
      next() < 0.5 ? `I moved to ${pick(CITIES)} last month.` : `By the way, I live in ${pick(CITIES)}.`,
      next() < 0.5
        ? `I prefer ${pick(["tabs", "spaces"])} in every repo.`
        : `Please indent with ${pick(["tabs", "spaces"])}.`,
      `Remember that project ${project} is written in ${language}.`,
      next() < 0.3 ? `Ugh, the flaky ${pick(["login", "upload", "search"])} test again.` : `Thanks, that helped.`,
      next() < 0.4 ? `For releases we deploy with ${pick(TOOLS)}.` : `Let's continue tomorrow.`,
    ];
    const events = lines.flatMap((text, turn) => [
      {
        id: `evt_${index}_${turn}_u`,
        type: "user.message",
        processed_at: at(turn * 2),
        content: [{ type: "text", text }],
      },
      {
        id: `evt_${index}_${turn}_a`,
        type: "agent.message",
        processed_at: at(turn * 2 + 1),
        content: [{ type: "text", text: `Noted (${turn}). ${"Some longer agent reply text. ".repeat(8)}` }],
      },
    ]);
    return {
      id: `${idPrefix}_${String(index).padStart(3, "0")}`,
      title: `Session ${index}`,
      created_at: at(0),
      metadata: {},
      events,
    } as SessionInput;
  });
}

/** Puts an input store (three memories) and `count` sessions into storage; returns what a dream needs. */
export async function seedInputs(
  storage: StorageAdapter,
  count: number,
  seed = 7,
): Promise<{ storeId: string; sessionIds: string[]; memories: Memory[] }> {
  const store = await storage.createMemoryStore({ name: "team memory" });
  const memories = await storage.writeMemories(store.id, [
    { op: "upsert", path: "/profile.md", content: "# Profile\n- I live in Perth\n" },
    { op: "upsert", path: "/preferences.md", content: "# Preferences\n- I prefer spaces\n" },
    { op: "upsert", path: "/projects.md", content: "# Projects\n- project Atlas is written in Rust\n" },
  ]);
  const sessions = makeSessions(count, seed, `sesn_${seed}`);
  for (const session of sessions) await storage.putSession(session as never);
  return { storeId: store.id, sessionIds: sessions.map((session) => session.id), memories };
}

/**
 * Every memory of a store as `[path, content]`, sorted by path: what two runs are compared by. Dream ids (the
 * consolidated-sessions ledger names the dream that wrote it) read `drm_…`, the one thing two dreams differ in.
 */
export async function storeContents(storage: StorageAdapter, storeId: string): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  let after: string | undefined;
  do {
    const page = await storage.listMemories(storeId, { limit: 1000, after });
    out.push(
      ...page.data.map((memory): [string, string] => [memory.path, memory.content.replace(/drm_[0-9a-z]+/g, "drm_…")]),
    );
    after = page.next_cursor ?? undefined;
  } while (after);
  return out;
}

/** A dream's memory versions in a store, oldest first, as `[operation, path]`: what two runs are compared by. */
export async function dreamVersions(
  storage: StorageAdapter,
  storeId: string,
  dreamId: string,
): Promise<Array<[string, string | null]>> {
  const log = storage.memoryVersions;
  if (!log) throw new Error(`${storage.name} keeps no memory versions`);
  const versions: MemoryVersion[] = [];
  let after: string | undefined;
  do {
    const page = await log.list(storeId, { limit: 1000, after });
    versions.push(...page.data);
    after = page.next_cursor ?? undefined;
  } while (after);
  return versions
    .filter((version) => version.created_by?.type === "dream_actor" && version.created_by.dream_id === dreamId)
    .reverse()
    .map((version) => [version.operation, version.path]);
}

/**
 * Seeded inputs (`sessions` sessions, 3 memories) plus a fact at a path of its own, which the dream moves to its
 * topic's memory and deletes, and the request of an `update_existing` dream over them.
 */
export async function updateExistingInputs(storage: StorageAdapter, sessions: number) {
  const { storeId, sessionIds } = await seedInputs(storage, sessions, 3);
  await storage.createMemory(storeId, { path: "/notes/home.md", content: "- I live in Oslo\n" });
  return {
    storeId,
    request: {
      inputs: [
        { type: "memory_store" as const, memory_store_id: storeId },
        { type: "sessions" as const, session_ids: sessionIds },
      ],
      output_behavior: { type: "update_existing" as const, memory_store_id: storeId },
    },
  };
}
