import type { Memory } from "@nocturne/core";
import type { Harness } from "./harness.js";
import { byUtf8, expectCode, listAll, newStore } from "./helpers.js";

/** Paths whose UTF-8 byte order differs from a naive folder walk and from UTF-16 order. */
const ORDER_PATHS = [
  "/c.md",
  "/a.md",
  "/a/z.md",
  "/a-b.md",
  "/B.md",
  "/é.md",
  "/\uff5e.md",
  "/😀.md",
  "/a/b/c.md",
  "/ab.md",
  "/0.md",
  "/_.md",
];

/** Listing memories: order, path prefixes and paging. */
export function listTests(h: Harness): void {
  const { describe, expect, it } = h.runner;
  describe("listing memories", () => {
    it("lists memories sorted by the UTF-8 bytes of their paths", async () => {
      const store = await newStore(h.adapter);
      for (const path of ORDER_PATHS) await h.adapter.createMemory(store.id, { path, content: path });
      const listed = (await h.adapter.listMemories(store.id)).data;
      expect(listed.map((memory) => memory.path)).toEqual([...ORDER_PATHS].sort(byUtf8));
      for (const memory of listed) expect(memory.content).toBe(memory.path);
    });

    it("filters by path prefix, which is a plain string prefix", async () => {
      const store = await newStore(h.adapter);
      const paths = ["/projects/atlas.md", "/projects/zeus/notes.md", "/projects.md", "/proj-x.md", "/people/ana.md"];
      for (const path of paths) await h.adapter.createMemory(store.id, { path, content: "" });
      const under = async (prefix: string) =>
        (await h.adapter.listMemories(store.id, { path_prefix: prefix })).data.map((memory) => memory.path);
      expect(await under("/projects/")).toEqual(["/projects/atlas.md", "/projects/zeus/notes.md"]);
      expect(await under("/proj")).toEqual([
        "/proj-x.md",
        "/projects.md",
        "/projects/atlas.md",
        "/projects/zeus/notes.md",
      ]);
      expect(await under("/projects/zeus/notes.md")).toEqual(["/projects/zeus/notes.md"]);
      expect(await under("/p")).toHaveLength(5);
      expect(await under("")).toHaveLength(5);
      expect(await under("/nothing/")).toEqual([]);
      expect(await under("no-slash")).toEqual([]);
    });

    it("pages with limit and cursor, without gaps or repeats", async () => {
      const store = await newStore(h.adapter);
      const paths = Array.from({ length: 7 }, (_, i) => `/page/${String.fromCharCode(103 - i)}.md`);
      await h.adapter.writeMemories(
        store.id,
        paths.map((path) => ({ op: "upsert" as const, path, content: path })),
      );
      const seen: Memory[] = [];
      let after: string | undefined;
      let pages = 0;
      for (;;) {
        const page = await h.adapter.listMemories(store.id, { limit: 3, after });
        pages++;
        expect(page.data.length).toBeLessThanOrEqual(3);
        seen.push(...page.data);
        if (page.next_cursor === null) break;
        after = page.next_cursor;
      }
      expect(pages).toBe(3);
      expect(seen.map((memory) => memory.path)).toEqual([...paths].sort(byUtf8));
    });

    it("pages within a prefix and ends cleanly on an exact multiple", async () => {
      const store = await newStore(h.adapter);
      await h.adapter.writeMemories(store.id, [
        { op: "upsert", path: "/in/1.md", content: "" },
        { op: "upsert", path: "/in/2.md", content: "" },
        { op: "upsert", path: "/in/3.md", content: "" },
        { op: "upsert", path: "/in/4.md", content: "" },
        { op: "upsert", path: "/out.md", content: "" },
      ]);
      const first = await h.adapter.listMemories(store.id, { path_prefix: "/in/", limit: 2 });
      expect(first.data.map((memory) => memory.path)).toEqual(["/in/1.md", "/in/2.md"]);
      const second = await h.adapter.listMemories(store.id, {
        path_prefix: "/in/",
        limit: 2,
        after: first.next_cursor ?? undefined,
      });
      expect(second.data.map((memory) => memory.path)).toEqual(["/in/3.md", "/in/4.md"]);
      if (second.next_cursor !== null) {
        const third = await h.adapter.listMemories(store.id, {
          path_prefix: "/in/",
          limit: 2,
          after: second.next_cursor,
        });
        expect(third).toEqual({ data: [], next_cursor: null });
      }
    });

    it("returns 100 memories per page by default", async () => {
      const store = await newStore(h.adapter);
      const writes = Array.from({ length: 101 }, (_, i) => ({
        op: "upsert" as const,
        path: `/many/${String(i).padStart(3, "0")}.md`,
        content: `memory ${i}`,
      }));
      await h.adapter.writeMemories(store.id, writes);
      const first = await h.adapter.listMemories(store.id);
      expect(first.data).toHaveLength(100);
      expect(first.next_cursor).not.toBeNull();
      const rest = await h.adapter.listMemories(store.id, { after: first.next_cursor ?? undefined });
      expect(rest.data.map((memory) => memory.path)).toEqual(["/many/100.md"]);
      expect(rest.next_cursor).toBeNull();
      expect((await listAll(h.adapter, store.id)).length).toBe(101);
    });

    it("lists an empty store, and refuses a missing one with memory_store_not_found", async () => {
      const store = await newStore(h.adapter);
      expect(await h.adapter.listMemories(store.id)).toEqual({ data: [], next_cursor: null });
      await expectCode(h.adapter.listMemories("memstore_missing"), "memory_store_not_found");
    });
  });
}
