import type { SessionInput, StorageAdapter } from "@nocturne/core";
import { type SeededRandom, seededRandom } from "../../security/fixtures/seeded-random.js";

const AREAS = ["editor", "shell", "language", "database", "testing", "deploys", "reviews", "docs", "linting", "ci"];
const CHOICES = [
  "vim",
  "zsh",
  "TypeScript",
  "Postgres",
  "vitest",
  "blue-green",
  "small PRs",
  "markdown",
  "biome",
  "GitHub Actions",
  "emacs",
  "fish",
  "Go",
  "SQLite",
  "jest",
  "canary",
  "pairing",
  "asciidoc",
  "eslint",
  "Buildkite",
];

/** The shape of generated inputs: how many sessions and memories, and how long the transcripts are. */
export interface GeneratedShape {
  sessions: number;
  memories: number;
  minEvents?: number;
  maxEvents?: number;
}

/**
 * Sessions and memories made from a seed: user preferences, agent replies, tool calls and results. Memories cover
 * distinct areas (at most 10), so no two memories compete on one subject with timestamps a millisecond apart.
 */
export function generateInputs(
  seed: number,
  shape: GeneratedShape,
): {
  sessions: SessionInput[];
  memories: Array<{ path: string; content: string }>;
} {
  const random = seededRandom(seed);
  const sessions = Array.from({ length: shape.sessions }, (_, index) => generateSession(random, seed, index, shape));
  const memories = Array.from({ length: Math.min(shape.memories, AREAS.length) }, (_, index) => ({
    path: `/notes/${AREAS[index % AREAS.length]}-${index}.md`,
    content: `# ${AREAS[index % AREAS.length]}\n\n- Uses ${random.pick(CHOICES)} for ${AREAS[index % AREAS.length]} work (note ${index})\n`,
  }));
  return { sessions, memories };
}

function generateSession(random: SeededRandom, seed: number, index: number, shape: GeneratedShape): SessionInput {
  const base = Date.parse("2026-01-01T00:00:00.000Z") + index * 86_400_000;
  const count = random.int(shape.minEvents ?? 3, shape.maxEvents ?? 8);
  const events: SessionInput["events"] = [];
  for (let n = 0; n < count; n++) {
    const processed_at = new Date(base + n * 60_000).toISOString();
    const id = `evt_${seed}_${index}_${n}`;
    const roll = random.int(0, 3);
    if (roll === 0 && n + 1 < count) {
      events.push({ id, type: "agent.tool_use", processed_at, name: "run", input: { cmd: `ls ${n}` } });
      events.push({
        id: `${id}_r`,
        type: "agent.tool_result",
        processed_at: new Date(base + n * 60_000 + 1000).toISOString(),
        tool_use_id: id,
        content: [{ type: "text", text: `listing ${n}: a.txt b.txt` }],
      });
      n++;
    } else if (roll === 1) {
      events.push({ id, type: "agent.message", processed_at, content: [{ type: "text", text: `Done step ${n}.` }] });
    } else {
      const area = random.pick(AREAS);
      events.push({
        id,
        type: "user.message",
        processed_at,
        content: [{ type: "text", text: `I prefer ${random.pick(CHOICES)} for ${area}.` }],
      });
    }
  }
  return {
    id: `sesn_gen_${seed}_${String(index).padStart(3, "0")}`,
    title: `Session ${index}`,
    created_at: new Date(base).toISOString(),
    events,
  };
}

/** Puts generated inputs into a storage adapter; returns the input store id and the session ids. */
export async function loadInputs(
  storage: StorageAdapter,
  inputs: ReturnType<typeof generateInputs>,
): Promise<{ storeId: string; sessionIds: string[] }> {
  const store = await storage.createMemoryStore({ name: "generated input" });
  for (const memory of inputs.memories) await storage.createMemory(store.id, memory);
  for (const session of inputs.sessions)
    await storage.putSession(session as Parameters<StorageAdapter["putSession"]>[0]);
  return { storeId: store.id, sessionIds: inputs.sessions.map((session) => session.id) };
}
