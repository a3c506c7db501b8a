import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import model from "wink-eng-lite-web-model";
import winkNLP from "wink-nlp";
import { loadWinkModel, loadWinkNlp } from "../../../src/model/offline/index.js";
import { createPacer } from "../../../src/util/pacer.js";

/** The package's own loader, typed as what it is: a function that builds the core model. */
const stockCore = (model as unknown as { core: () => unknown }).core;

describe("the paced wink model loader", () => {
  it("builds the same core model as the package's own loader", async () => {
    const paced = await loadWinkModel(createPacer());
    expect(isDeepStrictEqual((paced as unknown as { core: () => unknown }).core(), stockCore())).toBe(true);
  });

  it("gives the same tokens, tags and lemmas as the package's own model", async () => {
    const text = "I'm moving to Berlin next week. We use pnpm for atlas-3, and it listens on port 3001!";
    const read = (nlp: ReturnType<typeof winkNLP>) => {
      const doc = nlp.readDoc(text);
      return [doc.tokens().out(), doc.tokens().out(nlp.its.pos), doc.sentences().out()];
    };
    const pacedNlp = (await loadWinkNlp(createPacer()))(await loadWinkModel(createPacer()), ["sbd", "pos"]);
    expect(read(pacedNlp)).toEqual(read(winkNLP(model, ["sbd", "pos"])));
  });

  it("stops with aborted when its pacer's signal fires", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(loadWinkModel(createPacer(controller.signal))).rejects.toMatchObject({ code: "aborted" });
  });
});
