// Prints vitest's totals as one plain closing line ("N passed, N failed, N skipped"), read from the JSON report
// that vitest.config.ts writes when CI is set.
import { readFileSync } from "node:fs";

const report = JSON.parse(readFileSync(new URL("../.vitest-results.json", import.meta.url), "utf8"));
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`Tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
