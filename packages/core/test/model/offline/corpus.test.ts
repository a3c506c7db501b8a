import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createOfflineConsolidationModel } from "@nocturne/core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type CorpusPart,
  type ItemResult,
  loadCorpus,
  rates,
  runCorpus,
  SILENT_CATEGORIES,
  tally,
} from "./corpus/score-corpus.js";

/** The held-aside part's sha256 when it was frozen, before any rule was tuned (see corpus/README.md). */
const HELD_ASIDE_SHA256 = "5578c485406899b465077648ade732a532c6fcabca2cdd96362eb2e010b4480f";

/** Words a stored statement may add to what the user said: the third-person rewrite. */
const REWRITE_WORDS = new Set("user user's the team team's is has would will was does doesn't never".split(" "));

function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/’/g, "'")
      .match(/[\p{L}\p{N}][\p{L}\p{N}'.-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu) ?? []
  ).map((word) => word.replace(/'s$/, ""));
}

/** A statement word the user said whole, allowing the third-person verb ending the rewrite adds (uses → use). */
function saidWhole(said: ReadonlySet<string>, word: string): boolean {
  const bases = [word, word.replace(/s$/, ""), word.replace(/es$/, ""), word.replace(/ies$/, "y")];
  return REWRITE_WORDS.has(word) || bases.some((base) => said.has(base));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const PARTS = ["tuning", "dev", "held-aside"] as const;
const results = new Map<CorpusPart, ItemResult[]>();

beforeAll(async () => {
  const model = createOfflineConsolidationModel();
  for (const part of PARTS) results.set(part, await runCorpus(model, loadCorpus(part)));
});

describe("offline model: the phrasing corpus", () => {
  it("keeps the held-aside part exactly as it was frozen", () => {
    const text = readFileSync(new URL("./corpus/held-aside.jsonl", import.meta.url));
    expect(createHash("sha256").update(text).digest("hex")).toBe(HELD_ASIDE_SHA256);
    expect(loadCorpus("held-aside").length + loadCorpus("tuning").length).toBeGreaterThanOrEqual(400);
  });

  it.each(PARTS)("never cuts a word or a name (%s)", (part) => {
    for (const { item, facts } of results.get(part) ?? []) {
      const said = new Set(words(item.text));
      for (const fact of facts) {
        const added = words(fact.statement).filter((word) => !saidWhole(said, word));
        expect(added, `${item.id}: words in "${fact.statement}" not said whole in "${item.text}"`).toEqual([]);
        for (const evidence of fact.evidence) expect(item.text).toContain(evidence.quote);
        if (fact.value !== undefined) {
          const whole = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(fact.value)}(?![\\p{L}\\p{N}])`, "u");
          expect(whole.test(item.text), `${item.id}: value "${fact.value}" is not a whole span`).toBe(true);
        }
      }
    }
  });

  // A pasted error log gives a one-off note (kind `transient`), by design: it is never written to memory, only read
  // for problems that recur across sessions, so it is no stored fact here (precision still counts it as made).
  it.each(PARTS)(
    "stores nothing from questions, pleasantries, hypotheticals, quoted speech, other languages … (%s)",
    (part) => {
      const made = (results.get(part) ?? [])
        .filter((result) => SILENT_CATEGORIES.has(result.item.category))
        .flatMap((result) =>
          result.facts
            .filter((fact) => fact.kind !== "transient")
            .map((fact) => `${result.item.id}: ${fact.statement}`),
        );
      expect(made).toEqual([]);
    },
  );

  it("keeps its figures (floors below today's, so a regression fails; `pnpm bench:offline` prints them)", () => {
    const tuning = tally(results.get("tuning") ?? []);
    const dev = tally(results.get("dev") ?? []);
    const held = tally(results.get("held-aside") ?? []);
    const floors: Array<[Map<string, { items: number }>, string, number, number]> = [
      [tuning, "*", 0.98, 0.94],
      [tuning, "first-person", 0.99, 0.96],
      // The dev part grew by the dev8 batch (267 utterances written blind); after the pass on it (bench:offline
      // --tuning): 0.986 / 0.828, first-person 0.991 / 0.832.
      [dev, "*", 0.98, 0.82],
      [dev, "first-person", 0.985, 0.825],
      [held, "*", 0.93, 0.87],
      [held, "first-person", 0.94, 0.89],
    ];
    for (const [tallies, name, precision, recall] of floors) {
      const entry = tallies.get(name);
      expect(entry).toBeDefined();
      if (!entry) continue;
      const figures = rates(entry as Parameters<typeof rates>[0]);
      expect(figures.precision, `${name} precision`).toBeGreaterThanOrEqual(precision);
      expect(figures.recall, `${name} recall`).toBeGreaterThanOrEqual(recall);
    }
  });
});
