/**
 * Precision and recall of the offline model on the phrasing corpus (packages/core/test/model/offline/corpus), on
 * its tuning part and its frozen held-aside part, overall and per category. `--misses` lists every wrong or missed
 * utterance of the parts rules may be tuned on (tuning, dev), never of the held-aside part: its items and errors are
 * not for reading while rules are tuned. `--tuning` scores only the tunable parts. The dev part is also scored per
 * batch (dev, dev2 … dev8), overall and on the first-person categories; `--batch=<name>` (with `--tuning`) scores only
 * that dev batch, per category. Run: `npx -y pnpm@10 bench:offline`.
 */
import { createOfflineConsolidationModel } from "@nocturne/core";
import {
  batchOf,
  type CorpusPart,
  type ItemResult,
  loadCorpus,
  rates,
  runCorpus,
  TUNABLE_PARTS,
  tally,
} from "../packages/core/test/model/offline/corpus/score-corpus.js";

const showMisses = process.argv.includes("--misses");
const tuningOnly = process.argv.includes("--tuning");
const onlyBatch = process.argv.find((arg) => arg.startsWith("--batch="))?.slice("--batch=".length);
const pct = (value: number) => value.toFixed(3);

function printBatches(results: ItemResult[]): void {
  const batches = new Map<string, ItemResult[]>();
  for (const result of results) {
    const batch = batchOf(result.item);
    batches.set(batch, [...(batches.get(batch) ?? []), result]);
  }
  console.log(`${"batch".padEnd(20)} ${"items".padStart(5)}  all p / r        first-person p / r`);
  for (const [batch, slice] of batches) {
    const tallies = tally(slice);
    const all = rates(tallies.get("*") ?? { items: 0, expected: 0, produced: 0, correct: 0 });
    const first = rates(tallies.get("first-person") ?? { items: 0, expected: 0, produced: 0, correct: 0 });
    console.log(
      `${batch.padEnd(20)} ${String(slice.length).padStart(5)}  ${pct(all.precision)} / ${pct(all.recall)}    ${pct(first.precision)} / ${pct(first.recall)}`,
    );
  }
}

function print(part: CorpusPart, results: ItemResult[]): void {
  const tallies = tally(results);
  console.log(`\n${part} (${results.length} utterances)`);
  console.log(
    `${"category".padEnd(20)} ${"items".padStart(5)} ${"expect".padStart(6)} ${"made".padStart(5)} ${"right".padStart(5)}  precision  recall`,
  );
  const names = [...tallies.keys()].sort((a, b) => (a === "*" ? 1 : b === "*" ? -1 : a.localeCompare(b)));
  for (const name of names) {
    const entry = tallies.get(name);
    if (!entry) continue;
    const { precision, recall } = rates(entry);
    const label = name === "*" ? "ALL" : name;
    console.log(
      `${label.padEnd(20)} ${String(entry.items).padStart(5)} ${String(entry.expected).padStart(6)} ${String(entry.produced).padStart(5)} ${String(entry.correct).padStart(5)}  ${pct(precision).padStart(9)}  ${pct(recall).padStart(6)}`,
    );
  }
  if (part === "dev") printBatches(results);
  if (!showMisses || !TUNABLE_PARTS.includes(part)) return;
  for (const result of results) {
    if (result.matched === result.item.facts.length && result.facts.length === result.matched) continue;
    console.log(`  ✗ ${result.item.id}: ${result.item.text}`);
    for (const fact of result.facts) {
      console.log(
        `      got ${fact.key} = ${fact.value ?? "∅"} [${fact.cardinality ?? "multi"}, ${fact.polarity ?? "positive"}, ${fact.kind}] "${fact.statement}"`,
      );
    }
    for (const expected of result.item.facts) {
      console.log(
        `      want ${expected.attribute} = ${expected.value ?? "∅"} [${expected.cardinality}, ${expected.polarity}] (${expected.words})`,
      );
    }
  }
}

const model = createOfflineConsolidationModel();
// The NLP library loads on the first extraction, not when Nocturne is imported: measure that first call.
const rssBefore = process.memoryUsage().rss;
const loadStart = performance.now();
await runCorpus(model, loadCorpus("tuning").slice(0, 1));
const loadMs = performance.now() - loadStart;
const rssAfter = process.memoryUsage().rss;
console.log(
  `first extraction (loads wink-nlp + English lite model): ${loadMs.toFixed(0)} ms, RSS +${((rssAfter - rssBefore) / 1e6).toFixed(1)} MB`,
);
let utterances = 0;
const runStart = performance.now();
for (const part of tuningOnly || onlyBatch !== undefined ? TUNABLE_PARTS : [...TUNABLE_PARTS, "held-aside" as const]) {
  const items = loadCorpus(part).filter(
    (item) => onlyBatch === undefined || part !== "dev" || batchOf(item) === onlyBatch,
  );
  utterances += items.length;
  print(part, await runCorpus(model, items));
}
const runMs = performance.now() - runStart;
console.log(
  `\n${utterances} utterances in ${runMs.toFixed(0)} ms (${((runMs / utterances) * 1000).toFixed(0)} µs each)`,
);
