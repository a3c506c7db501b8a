import {
  type ConsolidationModel,
  createInMemoryAdapter,
  createNocturne,
  type DreamEvent,
  type ExtractionSource,
  emptyUsage,
  type LedgerEntry,
  readAllMemories,
  type Session,
  type StorageAdapter,
} from "@nocturne/core";
import { isLedgerPath, parseLedger, topicPath } from "@nocturne/core/internals";
import { describe, expect, it } from "vitest";
import { sessionOf, storeWith } from "../helpers/fixtures.js";

/** A model that turns "remember <key> is <value>" (and "The <key> is <value>") lines into facts, and records what it was asked to read. */
function recordingModel(): ConsolidationModel & {
  reads: ExtractionSource["type"][];
  sessionsRead: string[];
  judged: string[];
  synthesized: string[][];
} {
  const reads: ExtractionSource["type"][] = [];
  const sessionsRead: string[] = [];
  const judged: string[] = [];
  const synthesized: string[][] = [];
  const pattern = /(?:remember|The) (\w+) is (\w+)/;
  return {
    id: "recording",
    offline: true,
    reads,
    sessionsRead,
    judged,
    synthesized,
    async extract(source) {
      reads.push(source.type);
      const items =
        source.type === "transcript"
          ? source.chunk.lines.map((line) => ({ id: line.eventId, text: line.text }))
          : source.memories.flatMap((memory) => memory.content.split("\n").map((text) => ({ id: memory.id, text })));
      if (source.type === "transcript") sessionsRead.push(...new Set(source.chunk.lines.map((line) => line.sessionId)));
      return items.flatMap((item) => {
        const match = pattern.exec(item.text);
        if (!match) return [];
        const statement = `The ${match[1]} is ${match[2]}.`;
        return [
          {
            key: `project.${match[1]}`,
            topic: "project",
            statement,
            kind: "fact" as const,
            cardinality: "single" as const,
            value: match[2],
            evidence: [{ event_id: item.id, quote: match[0] }],
          },
        ];
      });
    },
    async judge(pairs) {
      judged.push(...pairs.map((pair) => `${pair.left.key} ~ ${pair.right.key}`));
      return pairs.map((pair) => ({ id: pair.id, same: false }));
    },
    async synthesize(facts) {
      synthesized.push(facts.map((fact) => fact.statement));
      const evidence = facts.flatMap((fact) => fact.evidence);
      const sessions = [...new Map(evidence.map((item) => [item.session_id, item])).values()];
      if (sessions.length < 2) return [];
      const statement = "Every session settles one project setting.";
      return [{ key: "insights.settings", topic: "insights", statement, evidence: sessions.slice(0, 2) }];
    },
  };
}

async function dream(
  storage: StorageAdapter,
  model: ConsolidationModel,
  storeId: string,
  sessionIds: string[],
  force = false,
) {
  const nocturne = createNocturne({ storage, model });
  const created = await nocturne.dreams.create(
    {
      inputs: [
        { type: "memory_store", memory_store_id: storeId },
        { type: "sessions", session_ids: sessionIds },
      ],
    },
    { force },
  );
  const events: DreamEvent[] = [];
  for await (const event of nocturne.dreams.events(created.id)) events.push(event);
  const ended = await nocturne.dreams.wait(created.id);
  const report = await nocturne.dreams.report(created.id);
  const outputId = ended.outputs[0]?.memory_store_id ?? "";
  return { ended, report, events, outputId };
}

/** The ledger a store carries: the sessions listed in its memories' lineage. */
async function ledgerOf(storage: StorageAdapter, storeId: string): Promise<LedgerEntry[]> {
  const byHash = new Map<string, LedgerEntry>();
  for (const memory of await readAllMemories(storage, storeId)) {
    for (const entry of memory.lineage?.sessions ?? []) byHash.set(entry.content_sha256, entry);
  }
  return [...byHash.values()];
}

describe("incremental dreams", () => {
  const sessions: Session[] = [
    sessionOf("sesn_a", 1, ["remember database is postgres"]),
    sessionOf("sesn_b", 2, ["remember region is lisbon"]),
  ];

  async function seeded() {
    const storage = createInMemoryAdapter();
    for (const session of sessions) await storage.putSession(session);
    const storeId = await storeWith(storage, { "/notes.md": "- remember owner is payments\n" });
    return { storage, storeId };
  }

  it("keeps a ledger of the sessions it folded in beside its memories, and a repeat dream skips them at no model cost", async () => {
    const { storage, storeId } = await seeded();
    const firstModel = recordingModel();
    const first = await dream(storage, firstModel, storeId, ["sesn_a", "sesn_b"]);
    expect(first.ended.status).toBe("completed");
    expect(firstModel.synthesized).toHaveLength(1);
    const entries = await ledgerOf(storage, first.outputId);
    expect(entries.map((entry) => entry.session_id).sort()).toEqual(["sesn_a", "sesn_b"]);
    expect(entries.map((entry) => entry.content_sha256).sort()).toEqual(
      (first.report?.sessions ?? []).map((session) => session.contentSha256).sort(),
    );
    expect(first.report?.sessions.every((session) => !session.skipped)).toBe(true);
    const written = await readAllMemories(storage, first.outputId);
    expect(written.some((memory) => isLedgerPath(memory.path) || memory.content.includes("sha256"))).toBe(false);

    const model = recordingModel();
    const second = await dream(storage, model, first.outputId, ["sesn_a", "sesn_b"]);
    expect(second.ended.status).toBe("completed");
    expect(model.sessionsRead).toEqual([]);
    expect(model.reads).toEqual([]);
    expect(second.report?.sessions.map((session) => [session.sessionId, session.skipped, session.chunks])).toEqual([
      ["sesn_a", true, 0],
      ["sesn_b", true, 0],
    ]);
    const notice = second.events.find((event) => event.type === "notice" && event.message.startsWith("Skipped 2 of 2"));
    expect(notice).toBeDefined();
    expect(second.report?.notices.some((message) => message.startsWith("Skipped 2 of 2"))).toBe(true);
    expect(second.report?.inputs.some((input) => isLedgerPath(input.path))).toBe(false);

    const facts = (second.report?.outputs ?? []).flatMap((output) => output.facts.map((fact) => fact.statement));
    expect(facts.sort()).toEqual(["The database is postgres.", "The owner is payments.", "The region is lisbon."]);
    const insights = (await readAllMemories(storage, second.outputId)).find((memory) => memory.path === "/insights.md");
    expect(insights?.content).toContain("- Every session settles one project setting.");
    // Every fact came back from lineage: the first dream synthesized over them, so no synthesis call is made.
    expect(model.synthesized).toEqual([]);
    expect(second.ended.usage).toEqual(emptyUsage());
    const carried = await ledgerOf(storage, second.outputId);
    expect(carried.map((entry) => entry.session_id).sort()).toEqual(["sesn_a", "sesn_b"]);
  });

  it("extracts a session again when forced, or when its content changed", async () => {
    const { storage, storeId } = await seeded();
    const first = await dream(storage, recordingModel(), storeId, ["sesn_a", "sesn_b"]);

    const forced = recordingModel();
    const again = await dream(storage, forced, first.outputId, ["sesn_a", "sesn_b"], true);
    expect(again.report?.sessions.some((session) => session.skipped)).toBe(false);
    expect([...new Set(forced.sessionsRead)].sort()).toEqual(["sesn_a", "sesn_b"]);

    const changed = sessionOf("sesn_b", 3, ["remember region is osaka"]);
    await storage.putSession(changed);
    const model = recordingModel();
    const third = await dream(storage, model, first.outputId, ["sesn_a", "sesn_b"]);
    expect(third.report?.sessions.map((session) => [session.sessionId, session.skipped])).toEqual([
      ["sesn_a", true],
      ["sesn_b", false],
    ]);
    expect(model.sessionsRead).toEqual(["sesn_b"]);
    const facts = (third.report?.outputs ?? []).flatMap((output) => output.facts.map((fact) => fact.statement));
    expect(facts).toContain("The region is osaka.");
    expect(facts).not.toContain("The region is lisbon.");
    expect(await ledgerOf(storage, third.outputId)).toHaveLength(3);
  });

  it("does not ask the model again about pairs the dream that wrote the input store already settled", async () => {
    const storage = createInMemoryAdapter();
    const similar = [
      sessionOf("sesn_c", 1, ["remember dbatlas is postgres"]),
      sessionOf("sesn_d", 2, ["remember dbcobalt is postgres"]),
    ];
    for (const session of similar) await storage.putSession(session);
    const storeId = await storeWith(storage, {});
    const firstModel = recordingModel();
    const first = await dream(storage, firstModel, storeId, ["sesn_c", "sesn_d"]);
    expect(firstModel.judged).toHaveLength(1);
    expect(firstModel.judged[0]?.split(" ~ ").sort()).toEqual(["project.dbatlas", "project.dbcobalt"]);

    const repeatModel = recordingModel();
    const repeat = await dream(storage, repeatModel, first.outputId, ["sesn_c", "sesn_d"]);
    expect(repeat.ended.status).toBe("completed");
    expect(repeatModel.judged).toEqual([]);
    const facts = (repeat.report?.outputs ?? []).flatMap((output) => output.facts.map((fact) => fact.statement));
    expect(facts.sort()).toEqual(["The dbatlas is postgres.", "The dbcobalt is postgres."]);

    await storage.putSession(sessionOf("sesn_e", 3, ["remember dbdelta is postgres"]));
    const mixedModel = recordingModel();
    await dream(storage, mixedModel, first.outputId, ["sesn_c", "sesn_d", "sesn_e"]);
    expect(mixedModel.judged.length).toBeGreaterThan(0);
    expect(mixedModel.judged.every((pair) => pair.includes("project.dbdelta"))).toBe(true);
  });

  it("still reads the ledger file of a store written before lineage existed, and never writes one", async () => {
    const storage = createInMemoryAdapter();
    for (const session of sessions) await storage.putSession(session);
    const hashes = new Map<string, string>();
    const probe = await dream(storage, recordingModel(), await storeWith(storage, {}), ["sesn_a"]);
    for (const session of probe.report?.sessions ?? []) hashes.set(session.sessionId, session.contentSha256);
    const legacy = `# Consolidated sessions\n\n- sesn_a sha256=${hashes.get("sesn_a")} dream=drm_old\n`;
    const storeId = await storeWith(storage, {
      "/nocturne/consolidated-sessions.md": legacy,
      "/notes.md": "- remember owner is payments\n",
    });
    const model = recordingModel();
    const next = await dream(storage, model, storeId, ["sesn_a", "sesn_b"]);
    expect(model.sessionsRead).toEqual(["sesn_b"]);
    expect(next.report?.inputs.some((input) => isLedgerPath(input.path))).toBe(false);
    const written = await readAllMemories(storage, next.outputId);
    expect(written.some((memory) => isLedgerPath(memory.path))).toBe(false);
    expect((await ledgerOf(storage, next.outputId)).map((entry) => entry.session_id).sort()).toEqual([
      "sesn_a",
      "sesn_b",
    ]);
  });

  it("parses legacy ledger lines, and no topic can render to a ledger path", () => {
    const hash = (7).toString(16).padStart(64, "0");
    expect(
      parseLedger(`# Consolidated sessions\n\n- sesn%20with%20space sha256=${hash} dream=drm_old\nnoise\n`),
    ).toEqual([{ session_id: "sesn with space", content_sha256: hash, dream_id: "drm_old" }]);
    expect(isLedgerPath("/nocturne/consolidated-sessions-2.md")).toBe(true);
    expect(isLedgerPath("/nocturne/other.md")).toBe(false);
    expect(topicPath("nocturne/consolidated-sessions-2")).toBe("/general.md");
  });
});
