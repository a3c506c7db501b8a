import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { copySteps } from "../../src/util/copy-steps.js";
import { Heap } from "../../src/util/heap.js";
import { inOrder } from "../../src/util/in-order.js";
import { internSets, jaccardOfInterned } from "../../src/util/interned-sets.js";
import { finish } from "../../src/util/pacer.js";
import { sortSteps } from "../../src/util/sort-steps.js";
import { jaccard } from "../../src/util/text.js";

describe("paced building blocks give what their one-shot counterparts give", () => {
  it("sortSteps sorts exactly as a stable Array#sort, ties kept in input order", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.nat()), { maxLength: 700 }), (items) => {
        const compare = (a: [number, number], b: [number, number]) => a[0] - b[0];
        expect(finish(sortSteps(items, compare))).toEqual([...items].sort(compare));
      }),
    );
  });

  it("a heap hands out items in sorted order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 500 }), (items) => {
        const heap = finish(Heap.build([...items], (a, b) => a - b));
        const out: number[] = [];
        for (let item = heap.pop(); item !== undefined; item = heap.pop()) out.push(item);
        expect(out).toEqual([...items].sort((a, b) => a - b));
      }),
    );
  });

  it("copySteps copies plain data deeply, as structuredClone does", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = finish(copySteps(value));
        expect(copy).toEqual(structuredClone(value));
        if (typeof value === "object" && value !== null) expect(copy).not.toBe(value);
      }),
    );
  });

  it("copySteps keeps a key named __proto__ as a property, nested or not (the property test once drew one)", () => {
    const value: unknown = JSON.parse(
      '{"__proto__": false, "meta": {"__proto__": {"x": 1}}, "list": [{"__proto__": 2}]}',
    );
    const copy = finish(copySteps(value));
    expect(copy).toEqual(structuredClone(value));
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy as object)).toContain("__proto__");
  });

  it("jaccard over interned sets equals jaccard over the word sets", () => {
    const word = fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h");
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(word), { minLength: 2, maxLength: 6 }), (lists) => {
        const sets = lists.map((list) => new Set(list));
        const interned = finish(internSets(sets));
        for (let a = 0; a < sets.length; a++) {
          for (let b = 0; b < sets.length; b++) {
            expect(jaccardOfInterned(interned[a] as Int32Array, interned[b] as Int32Array)).toBe(
              jaccard(sets[a] as Set<string>, sets[b] as Set<string>),
            );
          }
        }
      }),
    );
  });

  it("inOrder applies results in task order whatever order they finish in, skipping tasks that gave up", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6, 7], { minLength: 8, maxLength: 8 }), (finishing) => {
        const applied: number[] = [];
        const commit = inOrder();
        for (const index of finishing) {
          if (index === 3) commit(index);
          else commit(index, () => applied.push(index));
        }
        expect(applied).toEqual([0, 1, 2, 4, 5, 6, 7]);
      }),
    );
  });
});
