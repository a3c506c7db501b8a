import { storageRules } from "@nocturne/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMemoriesQuery, type PostgresAdapter, prefixUpperBound } from "../src/index.js";
import { adapterPool, dropSchema, sql, uniqueSchema } from "./pg-fixture.js";

const schema = uniqueSchema("prefix");
const adapters = adapterPool(schema);
let adapter: PostgresAdapter;

beforeAll(async () => {
  adapter = await adapters.open();
});

afterAll(async () => {
  await adapters.closeAll();
  await dropSchema(schema);
});

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}

describe("list by path prefix", () => {
  it("computes the exclusive upper bound of a prefix in code point order", () => {
    expect(prefixUpperBound("")).toBeNull();
    expect(prefixUpperBound("/a/")).toBe("/a0");
    expect(prefixUpperBound("/a\u007f")).toBe("/a\u0080");
    expect(prefixUpperBound("/a\ud7ff")).toBe("/a\ue000");
    expect(prefixUpperBound("/a\uffff")).toBe("/a\u{10000}");
    expect(prefixUpperBound("/a\u{10FFFF}")).toBe("/b");
    expect(prefixUpperBound("\u{10FFFF}\u{10FFFF}")).toBeNull();
  });

  it("sorts by UTF-8 bytes and matches prefixes exactly like startsWith", async () => {
    const store = await adapter.createMemoryStore({ name: "order" });
    const paths = [
      "/a/b.md",
      "/a/b/c.md",
      "/a-b.md",
      "/a.md",
      "/B.md",
      "/b.md",
      "/é.md",
      "/ｆ.md",
      "/😀.md",
      "/\uFFFD.md",
      "/\u00FF.md",
      "/\u00A0x.md",
      "/a/\u{1F600}/x.md",
      "/a/\uE000/x.md",
    ];
    await adapter.writeMemories(
      store.id,
      paths.map((path) => ({ op: "upsert" as const, path, content: path })),
    );
    const sorted = [...paths].sort(storageRules.compareUtf8);
    expect(sorted).not.toEqual([...paths].sort());
    expect((await adapter.listMemories(store.id)).data.map((memory) => memory.path)).toEqual(sorted);
    for (const prefix of ["/a", "/a/", "/a/b", "/é", "/\u00FF", "/\uFFFD", "/😀", "/a/\uE000", "/ｆ", "/zzz", "/"]) {
      const listed = (await adapter.listMemories(store.id, { path_prefix: prefix })).data.map((memory) => memory.path);
      expect(listed, prefix).toEqual(sorted.filter((path) => path.startsWith(prefix)));
    }
  });

  it("reads a page of one store by a range scan on the primary key, however many other memories there are", async () => {
    const stores = [
      await adapter.createMemoryStore({ name: "big" }),
      await adapter.createMemoryStore({ name: "neighbour" }),
    ];
    for (const store of stores) {
      await sql(
        `INSERT INTO "${schema}".memories (store_id, path, id, content, content_sha256, content_size_bytes, created_at, updated_at)
         SELECT $1, '/topic-' || (n % 50) || '/note-' || n || '.md', 'mem_' || $1 || n, 'x', repeat('0', 64), 1, now(), now()
         FROM generate_series(1, 20000) AS n`,
        [store.id],
      );
    }
    await sql(`ANALYZE "${schema}".memories`);
    const [big] = stores;
    if (!big) throw new Error("no store");
    const query = listMemoriesQuery({
      schema: `"${schema}"`,
      tenant: adapter.tenant,
      storeId: big.id,
      prefix: "/topic-7/",
      after: "/topic-7/note-1007.md",
      limit: 101,
    });
    const [row] = await sql<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(
      `EXPLAIN (FORMAT JSON) ${query.text}`,
      query.values,
    );
    const nodes = flatten(row?.["QUERY PLAN"][0]?.Plan as PlanNode);
    const onMemories = nodes.filter((node) => node["Relation Name"] === "memories");
    expect(onMemories.map((node) => [node["Node Type"], node["Index Name"]])).toEqual([
      ["Index Scan", "memories_pkey"],
    ]);
    expect(nodes.map((node) => node["Node Type"])).not.toContain("Sort");

    const page = await adapter.listMemories(big.id, {
      path_prefix: "/topic-7/",
      after: "/topic-7/note-1007.md",
      limit: 100,
    });
    expect(page.data).toHaveLength(100);
    expect(page.data[0]?.path).toBe("/topic-7/note-10107.md");
    expect(page.data.every((memory) => memory.path.startsWith("/topic-7/") && memory.memory_store_id === big.id)).toBe(
      true,
    );
    expect(page.next_cursor).toBe(page.data.at(-1)?.path);
  });
});
