import { type MemoryActor, MemoryVersion, type MemoryVersionLog, newId, type StorageAdapter } from "@nocturne/core";
import type { AdapterConformanceOptions, Harness } from "./harness.js";
import { expectCode, newStore, sha256Hex } from "./helpers.js";
import { describeIf } from "./runner.js";

const API: MemoryActor = { type: "api_actor", api_key_id: "apikey_conformance" };
const USER: MemoryActor = { type: "user_actor", user_id: "user_conformance" };
const DREAM: MemoryActor = { type: "dream_actor", dream_id: "drm_conformance" };

function log(adapter: StorageAdapter): MemoryVersionLog {
  if (!adapter.memoryVersions) throw new Error("this adapter declares memoryVersions but has no memoryVersions log");
  return adapter.memoryVersions;
}

/** Every version of a store (or of one memory), newest first, read in pages of `limit`. */
async function allVersions(
  adapter: StorageAdapter,
  storeId: string,
  options: { memory_id?: string; limit?: number } = {},
) {
  const versions: MemoryVersion[] = [];
  let after: string | undefined;
  do {
    const page = await log(adapter).list(storeId, { ...options, ...(after === undefined ? {} : { after }) });
    versions.push(...page.data);
    after = page.next_cursor ?? undefined;
  } while (after !== undefined);
  return versions;
}

/** The optional memory-version log: one version per change, newest first with paging, retrieval and redaction. */
export function versionTests(h: Harness, options: AdapterConformanceOptions): void {
  const { expect, it } = h.runner;
  describeIf(h.runner, options.memoryVersions === true, "memory versions", () => {
    it("records a version for every change of a memory, with its operation, content and actor", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, { path: "/a.md", content: "one" }, { actor: API });
      await h.adapter.updateMemory(store.id, memory.id, { content: "two" }, { actor: USER });
      await h.adapter.updateMemory(store.id, memory.id, { path: "/b.md" });
      await h.adapter.updateMemory(store.id, memory.id, { content: "two" }, { actor: USER });
      await h.adapter.deleteMemory(store.id, memory.id, { actor: DREAM });

      const versions = await allVersions(h.adapter, store.id);
      for (const version of versions) expect(MemoryVersion.parse(version)).toEqual(version);
      expect(versions.map((version) => version.operation)).toEqual(["deleted", "modified", "modified", "created"]);
      expect(versions.every((version) => version.memory_id === memory.id)).toBe(true);
      expect(versions.every((version) => version.memory_store_id === store.id)).toBe(true);
      expect(new Set(versions.map((version) => version.id)).size).toBe(4);
      expect(versions.map((version) => version.created_by)).toEqual([DREAM, null, USER, API]);
      expect(versions.map((version) => version.path)).toEqual(["/b.md", "/b.md", "/a.md", "/a.md"]);
      expect(versions.map((version) => version.content)).toEqual([null, "two", "two", "one"]);
      expect(versions[3]).toMatchObject({
        type: "memory_version",
        content_sha256: sha256Hex("one"),
        content_size_bytes: 3,
        created_at: memory.created_at,
        redacted_at: null,
        redacted_by: null,
      });
      expect(versions[0]).toMatchObject({ content_sha256: null, content_size_bytes: null });
    });

    it("records one version per change of a batch, none for writes that change nothing, none for a failed batch", async () => {
      const store = await newStore(h.adapter);
      await h.adapter.writeMemories(store.id, [
        { op: "upsert", path: "/keep.md", content: "same" },
        { op: "upsert", path: "/edit.md", content: "before" },
        { op: "upsert", path: "/gone.md", content: "bye" },
      ]);
      await h.adapter.writeMemories(
        store.id,
        [
          { op: "upsert", path: "/keep.md", content: "same" },
          { op: "upsert", path: "/edit.md", content: "after" },
          { op: "delete", path: "/gone.md" },
          { op: "delete", path: "/never.md" },
          { op: "upsert", path: "/new.md", content: "new" },
        ],
        { actor: DREAM },
      );
      await expectCode(
        h.adapter.writeMemories(store.id, [
          { op: "upsert", path: "/edit.md", content: "lost" },
          { op: "upsert", path: "/keep.md", content: "x", precondition: { content_sha256: sha256Hex("wrong") } },
        ]),
        "precondition_failed",
      );
      const versions = await allVersions(h.adapter, store.id);
      expect(versions.map((version) => [version.operation, version.path, version.created_by?.type ?? null])).toEqual([
        ["created", "/new.md", "dream_actor"],
        ["deleted", "/gone.md", "dream_actor"],
        ["modified", "/edit.md", "dream_actor"],
        ["created", "/gone.md", null],
        ["created", "/edit.md", null],
        ["created", "/keep.md", null],
      ]);
    });

    it("lists newest first in pages that join up, and one memory's versions on their own", async () => {
      const store = await newStore(h.adapter);
      const first = await h.adapter.createMemory(store.id, { path: "/first.md", content: "0" });
      for (let i = 1; i <= 3; i++) await h.adapter.updateMemory(store.id, first.id, { content: String(i) });
      for (let i = 0; i < 4; i++) await h.adapter.createMemory(store.id, { path: `/other-${i}.md`, content: "x" });
      const whole = (await log(h.adapter).list(store.id, { limit: 1000 })).data;
      expect(whole).toHaveLength(8);
      expect(whole.map((version) => version.path)).toEqual([
        "/other-3.md",
        "/other-2.md",
        "/other-1.md",
        "/other-0.md",
        "/first.md",
        "/first.md",
        "/first.md",
        "/first.md",
      ]);
      expect(await allVersions(h.adapter, store.id, { limit: 3 })).toEqual(whole);
      const page = await log(h.adapter).list(store.id, { limit: 3 });
      expect(page.data).toEqual(whole.slice(0, 3));
      expect(page.next_cursor).not.toBeNull();
      const own = await allVersions(h.adapter, store.id, { memory_id: first.id, limit: 2 });
      expect(own.map((version) => version.content)).toEqual(["3", "2", "1", "0"]);
      expect((await log(h.adapter).list(store.id, { memory_id: "mem_missing" })).data).toEqual([]);
      await expectCode(log(h.adapter).list("memstore_missing"), "memory_store_not_found");
    });

    it("retrieves a version by id, only within its store", async () => {
      const store = await newStore(h.adapter);
      const other = await newStore(h.adapter, "other");
      await h.adapter.createMemory(store.id, { path: "/a.md", content: "a" }, { actor: API });
      const [version] = (await log(h.adapter).list(store.id)).data;
      if (!version) throw new Error("no version was recorded");
      expect(await log(h.adapter).get(store.id, version.id)).toEqual(version);
      expect(await log(h.adapter).get(other.id, version.id)).toBeNull();
      expect(await log(h.adapter).get(store.id, newId("memver"))).toBeNull();
      expect(await log(h.adapter).get("memstore_missing", version.id)).toBeNull();
    });

    it("redacts a version: the record stays, its path and content are gone from everything stored, the memory is untouched", async () => {
      const store = await newStore(h.adapter);
      const secret = `secret-${newId("x")}`;
      const kept = `kept-${newId("x")}`;
      const memory = await h.adapter.createMemory(store.id, { path: `/${secret}.md`, content: `token ${secret}\n` });
      const live = await h.adapter.updateMemory(store.id, memory.id, { path: "/live.md", content: `now ${kept}\n` });
      const created = (await allVersions(h.adapter, store.id)).find((version) => version.operation === "created");
      if (!created) throw new Error("no created version was recorded");

      const redacted = await log(h.adapter).redact(store.id, created.id, { actor: USER });
      expect(MemoryVersion.parse(redacted)).toEqual(redacted);
      expect(redacted).toMatchObject({
        id: created.id,
        operation: "created",
        memory_id: memory.id,
        created_at: created.created_at,
        created_by: null,
        path: null,
        content: null,
        content_sha256: null,
        content_size_bytes: null,
        redacted_by: USER,
      });
      expect(redacted.redacted_at).not.toBeNull();
      expect(await log(h.adapter).get(store.id, created.id)).toEqual(redacted);
      expect((await allVersions(h.adapter, store.id)).find((version) => version.id === created.id)).toEqual(redacted);
      expect(await log(h.adapter).redact(store.id, created.id, { actor: API })).toEqual(redacted);
      expect(await h.adapter.getMemory(store.id, memory.id)).toEqual(live);
      await expectCode(log(h.adapter).redact(store.id, newId("memver")), "memory_version_not_found");
      if (h.storageContains) {
        expect(await h.storageContains(kept), "storageContains finds what is stored").toBe(true);
        expect(await h.storageContains(secret), "a redacted version's content is nowhere in storage").toBe(false);
      }
    });

    it("redacts in an archived store too, where writes are refused", async () => {
      const store = await newStore(h.adapter);
      await h.adapter.createMemory(store.id, { path: "/a.md", content: "a" });
      const [version] = (await log(h.adapter).list(store.id)).data;
      if (!version) throw new Error("no version was recorded");
      await h.adapter.archiveMemoryStore(store.id);
      await expectCode(h.adapter.createMemory(store.id, { path: "/b.md", content: "b" }), "memory_store_archived");
      expect(await log(h.adapter).redact(store.id, version.id, { actor: USER })).toMatchObject({
        id: version.id,
        content: null,
        redacted_by: USER,
      });
    });

    it("keeps a deleted memory's versions, and drops them with their store", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, { path: "/a.md", content: "a" });
      await h.adapter.deleteMemory(store.id, memory.id);
      expect((await allVersions(h.adapter, store.id, { memory_id: memory.id })).map((v) => v.operation)).toEqual([
        "deleted",
        "created",
      ]);
      await h.adapter.deleteMemoryStore(store.id);
      await expectCode(log(h.adapter).list(store.id), "memory_store_not_found");
    });
  });

  describeIf(
    h.runner,
    options.memoryVersions === true && options.persistent === true,
    "memory versions across a reopen",
    () => {
      it("reads back every version, redactions included", async () => {
        const first = h.adapter;
        const store = await newStore(first);
        const memory = await first.createMemory(store.id, { path: "/a.md", content: "a" }, { actor: API });
        await first.updateMemory(store.id, memory.id, { content: "b" });
        const [, created] = (await log(first).list(store.id)).data;
        if (!created) throw new Error("no created version was recorded");
        await log(first).redact(store.id, created.id, { actor: USER });
        const versions = await allVersions(first, store.id);
        await h.close(first);
        expect(await allVersions(await h.reopen(), store.id)).toEqual(versions);
      });
    },
  );
}
