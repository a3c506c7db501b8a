import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { apiReport, REPORT } from "./api-report.js";

it("api-report.md matches the exports of every published entry point (regenerate: npx -y pnpm@10 api-report --write)", {
  timeout: 120_000,
}, () => {
  expect(apiReport()).toBe(readFileSync(REPORT, "utf8"));
});
