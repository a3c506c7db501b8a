import { MAX_MEMORY_CONTENT_BYTES } from "@nocturne/core";
import type { Harness } from "./harness.js";
import { contentOfBytes, expectCode, expectWholeMemory, newStore, pathOfBytes, snapshot } from "./helpers.js";

/** Paths every adapter must refuse, and why. */
const INVALID_PATHS: Array<[string, string]> = [
  ["no leading slash", "notes.md"],
  ["empty", ""],
  ["root only", "/"],
  ["'..' segment", "/a/../b.md"],
  ["leading '..'", "/../escape.md"],
  ["'.' segment", "/a/./b.md"],
  ["empty segment", "/a//b.md"],
  ["trailing slash", "/a/"],
  ["NUL", "/a\u0000b.md"],
  ["newline", "/a\nb.md"],
  ["tab", "/a\tb.md"],
  ["DEL", "/a\u007fb.md"],
  ["C1 control", "/a\u0085b.md"],
  ["not NFC", "/cafe\u0301.md"],
  ["longer than 1024 bytes", pathOfBytes(1025)],
];

/** Path validation, content size limits, and Unicode round trips. */
export function limitsTests(h: Harness): void {
  const { describe, expect, it } = h.runner;
  describe("paths, sizes and unicode", () => {
    it("refuses invalid paths on create with invalid_memory_path", async () => {
      const store = await newStore(h.adapter);
      for (const [why, path] of INVALID_PATHS) {
        const error = await expectCode(h.adapter.createMemory(store.id, { path, content: why }), "invalid_memory_path");
        expect(error.message.length).toBeGreaterThan(20);
      }
      expect(await snapshot(h.adapter, store.id)).toEqual([]);
    });

    it("refuses invalid paths on move, batch and lookup", async () => {
      const store = await newStore(h.adapter);
      const memory = await h.adapter.createMemory(store.id, { path: "/ok.md", content: "ok" });
      for (const [, path] of INVALID_PATHS) {
        await expectCode(h.adapter.updateMemory(store.id, memory.id, { path }), "invalid_memory_path");
        await expectCode(
          h.adapter.writeMemories(store.id, [
            { op: "upsert", path: "/fine.md", content: "fine" },
            { op: "upsert", path, content: "x" },
          ]),
          "invalid_memory_path",
        );
        await expectCode(h.adapter.writeMemories(store.id, [{ op: "delete", path }]), "invalid_memory_path");
        await expectCode(h.adapter.getMemoryByPath(store.id, path), "invalid_memory_path");
      }
      expect(await snapshot(h.adapter, store.id)).toEqual([["/ok.md", "ok"]]);
    });

    it("accepts a path of exactly 1024 bytes, ASCII or not", async () => {
      const store = await newStore(h.adapter);
      const ascii = pathOfBytes(1024);
      const wide = `${`/${"é".repeat(100)}`.repeat(5)}/${"a".repeat(18)}`;
      expect(Buffer.byteLength(ascii)).toBe(1024);
      expect(Buffer.byteLength(wide)).toBe(1024);
      for (const path of [ascii, wide]) {
        const memory = await h.adapter.createMemory(store.id, { path, content: path.slice(-5) });
        expect(await h.adapter.getMemoryByPath(store.id, path)).toEqual(memory);
      }
      await expectCode(
        h.adapter.createMemory(store.id, { path: `${wide.slice(0, -1)}é`, content: "" }),
        "invalid_memory_path",
      );
    });

    it("accepts content of exactly 100 KiB and refuses one byte more with memory_content_too_large", async () => {
      const store = await newStore(h.adapter);
      const limit = contentOfBytes(MAX_MEMORY_CONTENT_BYTES);
      const ascii = "x".repeat(MAX_MEMORY_CONTENT_BYTES);
      expect(Buffer.byteLength(limit)).toBe(MAX_MEMORY_CONTENT_BYTES);
      const memory = await h.adapter.createMemory(store.id, { path: "/full.md", content: limit });
      expectWholeMemory(memory, store.id);
      expect(memory.content_size_bytes).toBe(102_400);
      expect((await h.adapter.getMemory(store.id, memory.id))?.content).toBe(limit);
      await h.adapter.writeMemories(store.id, [{ op: "upsert", path: "/ascii.md", content: ascii }]);
      expect((await h.adapter.getMemoryByPath(store.id, "/ascii.md"))?.content).toBe(ascii);

      const over = `${limit.slice(0, -1)}é`;
      expect(Buffer.byteLength(over)).toBe(MAX_MEMORY_CONTENT_BYTES + 1);
      await expectCode(
        h.adapter.createMemory(store.id, { path: "/over.md", content: over }),
        "memory_content_too_large",
      );
      await expectCode(h.adapter.updateMemory(store.id, memory.id, { content: over }), "memory_content_too_large");
      await expectCode(
        h.adapter.writeMemories(store.id, [{ op: "upsert", path: "/ascii.md", content: `${ascii}!` }]),
        "memory_content_too_large",
      );
      expect((await h.adapter.getMemory(store.id, memory.id))?.content).toBe(limit);
      expect((await h.adapter.getMemoryByPath(store.id, "/ascii.md"))?.content).toBe(ascii);
      expect(await h.adapter.getMemoryByPath(store.id, "/over.md")).toBeNull();
    });

    it("round-trips unicode paths and content byte for byte", async () => {
      const store = await newStore(h.adapter);
      const cases: Array<[string, string]> = [
        ["/notes/café/日本語/emoji-😀.md", "# Café ☕\n\n- 日本語のメモ\n- 👩‍👩‍👧 family\n"],
        ["/Ελληνικά/straße ß.md", "\uFEFFstarts with a byte order mark"],
        ["/space name/with spaces.txt", "CRLF line\r\nTab\there\r\ntrailing spaces   \r\n"],
        ["/zero\u200bwidth/ﬁ-ligature.md", "no trailing newline"],
        ["/right-to-left/עברית.md", "שלום \u202e reversed \u202c עולם"],
        ["/symbols/!$&'()+,;=@[]~.md", "punctuation in a path segment"],
        ["/astral/𝄞𐐷.md", "𝄞 music, 𐐷 deseret\n\n\n"],
      ];
      for (const [path, content] of cases) {
        const memory = await h.adapter.createMemory(store.id, { path, content });
        expectWholeMemory(memory, store.id);
        expect(memory.path).toBe(path);
        expect(memory.content).toBe(content);
      }
      for (const [path, content] of cases) {
        const read = await h.adapter.getMemoryByPath(store.id, path);
        expect(read?.content).toBe(content);
        expect(read?.content_size_bytes).toBe(Buffer.byteLength(content, "utf8"));
      }
      expect((await snapshot(h.adapter, store.id)).length).toBe(cases.length);
    });
  });
}
