import { storageRules } from "@nocturne/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

describe("storage ordering without scanning", () => {
  it("compareUtf8 orders as the UTF-8 bytes do, surrogates and lone surrogates included", () => {
    const unit = fc.constantFrom(
      "a",
      "b",
      "/",
      "-",
      "é",
      "\u00ff",
      "\ud7ff",
      "\ue000",
      "\uffff",
      "\ud83d",
      "\ude00",
      "0",
    );
    const text = fc.array(unit, { maxLength: 4 }).map((units) => units.join(""));
    fc.assert(
      fc.property(text, text, text, (prefix, a, b) => {
        const left = prefix + a;
        const right = prefix + b;
        const bytes = Buffer.compare(Buffer.from(left, "utf8"), Buffer.from(right, "utf8"));
        expect(storageRules.compareUtf8(left, right)).toBe(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it("pageOf finds the page after a cursor as a scan would", () => {
    const sorted = Array.from({ length: 50 }, (_, index) => `k${String(index).padStart(3, "0")}`);
    for (const after of [undefined, "", "k000", "k010x", "k049", "z"]) {
      const start = after === undefined ? 0 : sorted.findIndex((key) => key > after);
      const expected = start === -1 ? [] : sorted.slice(start, start + 7);
      expect(storageRules.pageOf(sorted, (key) => key, 7, after, storageRules.compareUtf8).data).toEqual(expected);
    }
  });
});
