// `npx -y pnpm@10 docs:figures [--write]`: checks that every figures table in docs/performance.md marked
// `<!-- figures: <bench JSON file> [name prefix] -->` … `<!-- /figures -->` is exactly what that committed JSON file gives
// (exit 1 and the difference when not); --write regenerates the marked tables instead.
import { join } from "node:path";
import { syncDocFigures } from "./harness/doc-figures.js";

const ROOT = join(import.meta.dirname, "..");
const write = process.argv.includes("--write");
const stale = await syncDocFigures(ROOT, "docs/performance.md", write);
for (const block of stale) {
  console.log(
    `${write ? "regenerated" : "STALE"}: the table from ${block.file}\n--- in the doc\n${block.actual}\n--- from the JSON\n${block.expected}`,
  );
}
if (!write && stale.length > 0) process.exitCode = 1;
else console.log(stale.length === 0 ? "docs/performance.md: every marked table matches its JSON" : "done");
