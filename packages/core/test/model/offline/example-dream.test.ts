import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import {
  createInMemoryAdapter,
  createNocturne,
  createOfflineConsolidationModel,
  importTranscriptFile,
  listTranscriptFiles,
  type Session,
} from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { fingerprint, storeWith } from "../../helpers/fixtures.js";

const data = fileURLToPath(new URL("../../../../../examples/data/", import.meta.url));
const MEMORY_FILES = [
  "notes.md",
  "preferences.md",
  "profile.md",
  "projects/ledger-api.md",
  "debugging/2026-09-03-flaky-invoice-test.md",
];

/** Moves a session's clock by `ms`, so the example sessions follow memories written now. */
function shifted(session: Session, ms: number): Session {
  const move = (at: string) => new Date(Date.parse(at) + ms).toISOString();
  return {
    ...session,
    created_at: move(session.created_at),
    events: session.events.map((event) => ({ ...event, processed_at: move(event.processed_at) })),
  };
}

async function exampleInputs() {
  const storage = createInMemoryAdapter();
  const memories: Record<string, string> = {};
  for (const file of MEMORY_FILES) memories[`/${file}`] = await readFile(`${data}memory/${file}`, "utf8");
  const storeId = await storeWith(storage, memories);
  const imported: Session[] = [];
  for (const file of await listTranscriptFiles([`${data}sessions`])) {
    const { session } = await importTranscriptFile(file, { sessionTime: "2026-10-30T12:00:00.000Z" });
    imported.push(session);
  }
  const earliest = Math.min(...imported.map((session) => Date.parse(session.created_at)));
  const offset = Date.now() + 60_000 - earliest;
  for (const session of imported) await storage.putSession(shifted(session, offset));
  return { storage, storeId, sessionIds: imported.map((session) => session.id) };
}

describe("offline model: a whole dream on the bundled example data", () => {
  it("lets later sessions supersede the notes, drops debugging noise, and finds the recurring ECONNREFUSED", async () => {
    const { storage, storeId, sessionIds } = await exampleInputs();
    const nocturne = createNocturne({ storage, model: createOfflineConsolidationModel() });
    const before = await fingerprint(storage, storeId);
    try {
      const created = await nocturne.dreams.create({
        inputs: [
          { type: "memory_store", memory_store_id: storeId },
          { type: "sessions", session_ids: sessionIds },
        ],
        instructions: "Keep lasting preferences and project facts; drop one-off debugging noise.",
      });
      const dream = await nocturne.dreams.wait(created.id);
      expect(dream.error).toBeNull();
      expect(dream.status).toBe("completed");
      expect(dream.usage.input_tokens + dream.usage.output_tokens).toBe(0);
      expect(await fingerprint(storage, storeId)).toBe(before);

      const outputId = dream.outputs[0]?.memory_store_id ?? "";
      const written = (await storage.listMemories(outputId, { limit: 1000 })).data;
      const all = written.map((item) => item.content).join("\n");

      for (const latest of [
        "User moved to Berlin.",
        "User's timezone is Europe/Berlin.",
        "Use 2 spaces for indentation.",
        "The team switched to Vitest.",
        "The team switched to PostgreSQL 16.",
        "Integration tests need the database from docker compose.",
      ]) {
        expect(all).toContain(latest);
      }
      for (const stale of [
        "Priya lives in Lisbon",
        "tabs for indentation",
        "Use npm to install packages",
        "PostgreSQL 14",
        "Tests run with Jest",
      ]) {
        expect(all).not.toContain(stale);
      }
      expect(all).toMatch(/The team switched to pnpm\.|Use pnpm instead of npm for everything in ledger-api\./);
      expect(all).not.toMatch(/Debug log: reran|Temporarily skipped|killed a stray postgres/);
      expect(all).toContain("Always run the linter before");
      expect(all).toContain("The integration tests need the docker compose db running first.");
      expect(all).toContain("The staging database credentials live in 1Password");
      expect(all).toMatch(/Recurring problem across \d sessions \([^)]*ECONNREFUSED[^)]*\)/);

      const report = await nocturne.dreams.report(created.id);
      expect(report).not.toBeNull();
      const serialized = JSON.stringify(report);
      expect(serialized).toContain("Priya lives in Lisbon, Portugal.");
      expect(serialized).toContain("Use npm to install packages in ledger-api.");
    } finally {
      await nocturne.close();
    }
  });
});
