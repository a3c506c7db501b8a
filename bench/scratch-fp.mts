import { createOfflineConsolidationModel } from "@nocturne/core";
import { loadCorpus, matches, runCorpus } from "../packages/core/test/model/offline/corpus/score-corpus.js";
const model = createOfflineConsolidationModel();
const mode = process.argv[2] ?? "fp";
for (const part of ["tuning", "dev"] as const) {
  for (const r of await runCorpus(model, loadCorpus(part))) {
    const open = [...r.item.facts];
    const bad = [];
    for (const f of r.facts) {
      const i = open.findIndex((e) => matches(f, e));
      if (i === -1) bad.push(f); else open.splice(i, 1);
    }
    if (mode === "fp" && bad.length) {
      console.log(`✗ ${r.item.id}: ${r.item.text.replace(/\n/g, "⏎")}`);
      for (const f of bad) console.log(`    got ${f.key} = ${f.value ?? "∅"} [${f.cardinality ?? "multi"}, ${f.polarity ?? "positive"}, ${f.kind}] "${f.statement}"`);
      for (const e of open) console.log(`    want ${e.attribute} = ${e.value ?? "∅"} [${e.cardinality}, ${e.polarity}] (${e.words})`);
    }
    if (mode === "declined" && r.declined.length) for (const d of r.declined) console.log(`${r.item.id}\t${d.reason}\t${d.text}`);
  }
}
