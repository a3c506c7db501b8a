import { describe, expect, it } from "vitest";
import { arrayElementLines, jsonErrorLine, jsonErrorOffset } from "../../src/importers/json-locate.js";

describe("locating lines in JSON", () => {
  it("finds the first syntax error", () => {
    expect(jsonErrorOffset('{"a": [1, 2, 3]}')).toBe(-1);
    expect(jsonErrorOffset('{"a": [1, 2,, 3]}')).toBe(12);
    expect(jsonErrorOffset('{"a": tru}')).toBe(6);
    expect(jsonErrorOffset('{"a": "x\\qy"}')).toBe(9);
    expect(jsonErrorLine('{\n  "a": 1,\n  "b": }\n')).toBe(3);
    expect(jsonErrorLine("[1,\n2\n")).toBe(3);
  });

  it("gives the starting line of each array element, skipping strings that look like structure", () => {
    const text = '{\n "note": "[not, this]",\n "data": [\n  {"a": "],"},\n\n  2,\n  [3]\n ]\n}';
    expect(arrayElementLines(text, "data")).toEqual([4, 6, 7]);
    expect(arrayElementLines('[\n1,\n{"x": [5, 6]}\n]', null)).toEqual([2, 3]);
    expect(arrayElementLines('{"data": []}', "data")).toEqual([]);
  });
});
