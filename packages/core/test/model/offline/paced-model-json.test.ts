import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCoreModelJson } from "../../../src/model/offline/index.js";
import { createPacer } from "../../../src/util/pacer.js";

const modelText = (list: string[], lexicon = "AAAA") =>
  JSON.stringify({ lexicon, features: { prefix: { list: ["a]", '"b,'] }, lexeme: { list }, pos: { list: [] } } });

describe("parseCoreModelJson", () => {
  it("parses like JSON.parse, whatever the words hold (quotes, backslashes, commas, brackets)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: "grapheme" }), { maxLength: 40 }), async (list) => {
        const text = modelText(list);
        expect(await parseCoreModelJson(text, createPacer())).toEqual(JSON.parse(text));
      }),
    );
  });

  it("parses a word list longer than one slice in several slices to the same words", async () => {
    const list = Array.from({ length: 40_000 }, (_, index) => `w${index}\\,"]${index % 7 === 0 ? "\n" : ""}`);
    const text = modelText(list);
    let turns = 0;
    const pacer = createPacer();
    const counting = {
      ...pacer,
      pace: () => {
        turns++;
        return pacer.pace();
      },
    };
    expect(await parseCoreModelJson(text, counting)).toEqual(JSON.parse(text));
    expect(turns).toBeGreaterThan(5);
  });

  it("parses a file without a word list at once", async () => {
    const text = JSON.stringify({ features: { lexeme: { hash: {} } } });
    expect(await parseCoreModelJson(text, createPacer())).toEqual(JSON.parse(text));
  });

  it("throws on malformed text as JSON.parse does", async () => {
    await expect(parseCoreModelJson('{"lexeme":{"list":["a",', createPacer())).rejects.toThrow(SyntaxError);
  });
});
