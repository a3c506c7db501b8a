import type { SessionInput, StorageAdapter } from "@nocturne/core";

const CITIES = ["Lisbon", "Oslo", "Kyoto", "Quito", "Dakar", "Perth", "Lima", "Riga"];
const TOOLS = ["pnpm", "npm", "yarn", "bun"];

/**
 * `count` sessions of a user talking to an agent: explicit preferences and facts the offline model picks up,
 * contradictions over time (moves, tool switches), and filler, deterministic for a seed.
 */
export function benchSessions(count: number, seed: number): SessionInput[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  return Array.from({ length: count }, (_, index) => {
    const start = Date.UTC(2026, 0, 1) + index * 86_400_000;
    const lines = [
      `I live in ${pick(CITIES)} now.`,
      `We use ${pick(TOOLS)} for packages in this repo.`,
      `I prefer ${pick(["tabs", "spaces"])} for indentation.`,
      `Can you look at the failing build from yesterday?`,
      `The deploy happens every ${pick(["Monday", "Friday", "evening"])}.`,
    ];
    const events = lines.flatMap((text, turn) => [
      {
        id: `e${index}-${turn}-u`,
        type: "user.message",
        processed_at: new Date(start + turn * 120_000).toISOString(),
        content: [{ type: "text", text }],
      },
      {
        id: `e${index}-${turn}-a`,
        type: "agent.message",
        processed_at: new Date(start + turn * 120_000 + 60_000).toISOString(),
        content: [{ type: "text", text: `Understood. ${"I will keep that in mind for the next steps. ".repeat(3)}` }],
      },
    ]);
    return {
      id: `sesn_bench_${String(index).padStart(3, "0")}`,
      title: `Session ${index}`,
      created_at: new Date(start).toISOString(),
      metadata: {},
      events,
    } as SessionInput;
  });
}

/** Stores an input store and the sessions; returns the dream's inputs. */
export async function seedBenchInputs(storage: StorageAdapter, count: number, seed = 1) {
  const store = await storage.createMemoryStore({ name: "bench memory" });
  await storage.writeMemories(store.id, [
    { op: "upsert", path: "/profile.md", content: "# Profile\n- I live in Perth.\n" },
    { op: "upsert", path: "/tooling.md", content: "# Tooling\n- We use npm for packages.\n" },
  ]);
  const sessions = benchSessions(count, seed);
  for (const session of sessions) await storage.putSession(session as never);
  return [
    { type: "memory_store" as const, memory_store_id: store.id },
    { type: "sessions" as const, session_ids: sessions.map((session) => session.id) },
  ];
}
