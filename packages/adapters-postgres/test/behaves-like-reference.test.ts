import { InMemoryAdapter, type MemoryWrite, type StorageAdapter, sha256 } from "@nocturne/core";
import { afterAll, describe, expect, it } from "vitest";
import { Normalizer, outcome, seededRandom } from "./differential.js";
import { adapterPool, dropSchema, uniqueSchema } from "./pg-fixture.js";

const schema = uniqueSchema("reference");
const adapters = adapterPool(schema);

afterAll(async () => {
  await adapters.closeAll();
  await dropSchema(schema);
});

const PATHS = [
  "/a",
  "/a/b",
  "/a/b/c.md",
  "/a/b2",
  "/ab",
  "/a-b",
  "/a.b",
  "/A",
  "/aé",
  "/a😀",
  "/a\uFFFD",
  "/ä",
  "/é/x",
  "/z",
  "/notes/2026/03.md",
  "/notes/2026/04.md",
];
const PREFIXES = [
  "",
  "/",
  "/a",
  "/a/",
  "/a/b",
  "/aé",
  "/a😀",
  "/é",
  "/ä",
  "/notes/",
  "/notes/2026/0",
  "/zz",
  "/\u{10FFFF}",
];
const CONTENTS = ["x", "y", "", "hello world", "日本語のメモ", "emoji 😀 here", "line\nbreaks\tand tabs"];

/** Reads the id at a path on one adapter (each adapter has its own ids). */
async function idAt(adapter: StorageAdapter, storeId: string, path: string): Promise<string> {
  return (await adapter.getMemoryByPath(storeId, path))?.id ?? "mem_0000missing";
}

/** Every memory of a store, walking pages of `limit`. */
async function walk(adapter: StorageAdapter, storeId: string, prefix: string, limit: number) {
  const pages = [];
  let after: string | undefined;
  do {
    const page = await adapter.listMemories(storeId, { path_prefix: prefix, limit, after });
    pages.push(page);
    after = page.next_cursor ?? undefined;
  } while (after !== undefined && pages.length < 50);
  return pages;
}

describe("PostgresAdapter behaves like the reference InMemoryAdapter", () => {
  it("matches it call for call over a seeded random run of 250 operations", async () => {
    const pgAdapter = await adapters.open();
    const reference = new InMemoryAdapter();
    const sides = [
      { adapter: reference as StorageAdapter, normalizer: new Normalizer(), storeId: "" },
      { adapter: pgAdapter as StorageAdapter, normalizer: new Normalizer(), storeId: "" },
    ];
    for (const side of sides) side.storeId = (await side.adapter.createMemoryStore({ name: "diff" })).id;

    const random = seededRandom(20260322);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const maybeShaOf = () => (random() < 0.5 ? { content_sha256: sha256(pick(CONTENTS)) } : undefined);
    let compared = 0;
    const seen = new Set<string>();

    for (let step = 0; step < 250; step++) {
      const roll = random();
      const path = pick(PATHS);
      const content = pick(CONTENTS);
      const batch: MemoryWrite[] = Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
        random() < 0.75
          ? { op: "upsert", path: pick(PATHS), content: pick(CONTENTS), precondition: maybeShaOf() }
          : { op: "delete", path: pick(PATHS), precondition: maybeShaOf() },
      );
      const newPath = pick(PATHS);
      const precondition = maybeShaOf();
      const patch = random() < 0.5 ? { content, precondition } : { path: newPath, precondition };
      const prefix = pick(PREFIXES);
      const limit = 1 + Math.floor(random() * 5);
      const results = [];
      for (const { adapter, normalizer, storeId } of sides) {
        const run = (call: () => Promise<unknown>) => outcome(normalizer, call);
        if (roll < 0.2) results.push(await run(() => adapter.createMemory(storeId, { path, content })));
        else if (roll < 0.4) results.push(await run(() => adapter.writeMemories(storeId, batch)));
        else if (roll < 0.55) {
          const id = await idAt(adapter, storeId, path);
          results.push(await run(() => adapter.updateMemory(storeId, id, patch)));
        } else if (roll < 0.65) {
          const id = await idAt(adapter, storeId, path);
          results.push(await run(() => adapter.deleteMemory(storeId, id, { precondition })));
        } else if (roll < 0.9) results.push(await run(() => walk(adapter, storeId, prefix, limit)));
        else results.push(await run(() => adapter.getMemoryByPath(storeId, path)));
      }
      expect(results[1], `step ${step}`).toEqual(results[0]);
      seen.add(JSON.stringify(results[0]).match(/^\{"(ok|error)"(:"[a-z_]+")?/)?.[0] ?? "");
      compared++;
    }
    expect(compared).toBe(250);
    for (const kind of [
      '{"ok"',
      '{"error":"memory_path_conflict"',
      '{"error":"precondition_failed"',
      '{"error":"memory_not_found"',
    ]) {
      expect(seen).toContain(kind);
    }
    const [mem, pgRows] = await Promise.all(sides.map((side) => walk(side.adapter, side.storeId, "", 1000)));
    expect(pgRows?.[0]?.data.length).toBeGreaterThan(5);
    expect(sides[1]?.normalizer.normalize(pgRows)).toEqual(sides[0]?.normalizer.normalize(mem));
  });

  it("matches it on stores, locks, archive and delete, sessions and dream records", async () => {
    const pgAdapter = await adapters.open();
    const transcripts = [];
    for (const adapter of [new InMemoryAdapter(), pgAdapter] as StorageAdapter[]) {
      const normalizer = new Normalizer();
      const log: unknown[] = [];
      const run = async (call: () => Promise<unknown>) => log.push(await outcome(normalizer, call));
      const first = await adapter.createMemoryStore({ name: "one", description: "d", metadata: { team: "x", a: "1" } });
      const second = await adapter.createMemoryStore({ name: "two" });
      await run(() => adapter.getMemoryStore(first.id));
      await run(() => adapter.getMemoryStore("memstore_nope"));
      await run(() => adapter.createMemoryStore({ name: "" }));
      await run(() => adapter.updateMemoryStore(first.id, { name: "renamed", metadata: { z: "1", b: "2" } }));
      await run(() => adapter.updateMemoryStore(first.id, { description: "only description" }));
      await run(() => adapter.updateMemoryStore("memstore_nope", { name: "x" }));
      await run(() => adapter.createMemory(first.id, { path: "no-slash", content: "x" }));
      await run(() => adapter.createMemory(first.id, { path: "/big", content: "x".repeat(100 * 1024 + 1) }));
      await run(() => adapter.createMemory(first.id, { path: "/e\u0301", content: "not NFC" }));
      await run(() => adapter.createMemory("memstore_nope", { path: "/a", content: "x" }));
      await run(() => adapter.listMemories("memstore_nope"));
      await run(() => adapter.createMemory(first.id, { path: "/kept", content: "kept" }));
      await run(() => adapter.setMemoryStoreLock(first.id, "drm_0000lock"));
      await run(() => adapter.archiveMemoryStore(first.id));
      await run(() => adapter.deleteMemoryStore(first.id));
      await run(() => adapter.setMemoryStoreLock("memstore_nope", "drm_0000lock"));
      await run(() => adapter.setMemoryStoreLock(first.id, null));
      await run(() => adapter.archiveMemoryStore(first.id));
      await run(() => adapter.archiveMemoryStore(first.id));
      await run(() => adapter.createMemory(first.id, { path: "/after", content: "x" }));
      await run(() => adapter.writeMemories(first.id, []));
      await run(() => adapter.listMemories(first.id));
      await run(() => adapter.listMemoryStores());
      await run(() => adapter.listMemoryStores({ include_archived: true, limit: 1 }));
      await run(() => adapter.listMemoryStores({ include_archived: true, after: first.id }));
      await run(() => adapter.deleteMemoryStore(second.id));
      await run(() => adapter.deleteMemoryStore(second.id));
      await run(() => adapter.deleteMemoryStore(first.id));
      await run(() => adapter.getMemoryStore(first.id));

      const session = {
        id: "sesn_b",
        title: "Second",
        created_at: "2026-03-01T09:30:00+02:00",
        metadata: { source: "test" },
        events: [
          {
            id: "e1",
            type: "user.message",
            processed_at: "2026-03-01T09:30:00Z",
            content: [{ type: "text", text: "hi \u0000 there" }],
          },
          {
            id: "e2",
            type: "agent.tool_use",
            processed_at: "2026-03-01T09:30:01Z",
            name: "grep",
            input: { q: "x", n: [1, 2] },
          },
          {
            id: "e3",
            type: "agent.tool_result",
            processed_at: "2026-03-01T09:30:02Z",
            tool_use_id: "e2",
            content: "found",
          },
          { id: "e4", type: "span.custom", processed_at: "2026-03-01T09:30:03Z", extra: { deep: true } },
        ],
      };
      await run(() => adapter.putSession(session as never));
      await run(() => adapter.putSession({ ...session, id: "sesn_a", title: null } as never));
      await run(() =>
        adapter.putSession({ ...session, id: "sesn_bad", events: [session.events[0], session.events[0]] } as never),
      );
      await run(() => adapter.getSession("sesn_b"));
      await run(() => adapter.getSession("sesn_missing"));
      await run(() => adapter.listSessions());
      await run(() => adapter.listSessions({ limit: 1 }));
      await run(() => adapter.listSessions({ after: "sesn_a" }));
      await run(() => adapter.putSession({ ...session, title: "Second, replaced", events: [] } as never));
      await run(() => adapter.listSessions());
      await run(() => adapter.deleteSession("sesn_a"));
      await run(() => adapter.deleteSession("sesn_a"));

      const dream = (id: string, archived: boolean) => ({
        dream: {
          id,
          type: "dream" as const,
          status: "completed" as const,
          inputs: [{ type: "memory_store" as const, memory_store_id: "memstore_in" }],
          outputs: [],
          model: { id: "offline" },
          instructions: "",
          output_behavior: { type: "create_new" as const },
          usage: { input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
          error: null,
          created_at: "2026-03-01T09:30:00.000Z",
          ended_at: null,
          archived_at: archived ? "2026-03-02T09:30:00.000Z" : null,
        },
        report: null,
        owner: { host: "h", pid: 1, heartbeat_at: "2026-03-01T09:30:00.000Z" },
      });
      await run(() => adapter.putDreamRecord(dream("drm_001", false)));
      await run(() => adapter.putDreamRecord(dream("drm_002", true)));
      await run(() => adapter.putDreamRecord(dream("drm_003", false)));
      await run(() => adapter.getDreamRecord("drm_002"));
      await run(() => adapter.getDreamRecord("drm_404"));
      await run(() => adapter.listDreams());
      await run(() => adapter.listDreams({ include_archived: true, limit: 2 }));
      await run(() => adapter.listDreams({ include_archived: true, after: "drm_002" }));
      await run(() => adapter.putDreamRecord(dream("drm_003", true)));
      await run(() => adapter.listDreams());
      transcripts.push(log);
    }
    expect(transcripts[1]).toEqual(transcripts[0]);
    expect(JSON.stringify(transcripts[0])).toContain('"error":"memory_store_locked"');
  });
});
