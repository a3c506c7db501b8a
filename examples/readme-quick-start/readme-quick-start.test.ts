import { randomUUID } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ConsolidationReport } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { ROOT, runExample } from "../run-example.js";

/** The README's library quick start, exactly as written (the first `ts` block under its heading). */
async function quickStart(): Promise<string> {
  const readme = await readFile(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Library quick start"));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error("README.md has no ts block under '## Library quick start'");
  return block;
}

/** Lines appended after the snippet (never changing it) to print what the dream wrote and its report. */
const EPILOGUE = `
const written = await storage.listMemories(done.outputs[0]?.memory_store_id ?? "");
console.log("RESULT " + JSON.stringify({ status: done.status, memories: written.data.map((m) => m.content), report }));
`;

async function run(code: string) {
  const file = join(ROOT, "examples/readme-quick-start", `quick-start-${randomUUID()}.ts`);
  await writeFile(file, code + EPILOGUE);
  try {
    const result = await runExample(file.slice(ROOT.length + 1), []);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const line = result.stdout.split("\n").find((text) => text.startsWith("RESULT "));
    if (line === undefined) throw new Error(`the quick start printed no result:\n${result.stdout}`);
    const parsed = JSON.parse(line.slice("RESULT ".length)) as { status: string; memories: string[]; report: unknown };
    return { ...parsed, report: ConsolidationReport.parse(parsed.report) };
  } finally {
    await rm(file, { force: true });
  }
}

function expectLisbonNotBerlin(result: Awaited<ReturnType<typeof run>>): void {
  expect(result.status).toBe("completed");
  const text = result.memories.join("\n");
  expect(text).toMatch(/Lisbon/);
  expect(text).not.toMatch(/Berlin/);
  const inputs = result.report.inputs.flatMap((input) => input.facts);
  expect(inputs.length).toBeGreaterThan(0);
  for (const fact of inputs) {
    expect(["kept", "merged", "superseded", "dropped"]).toContain(fact.fate);
    if (fact.fate === "dropped") expect(fact.reason).toBeTruthy();
    if (fact.fate === "superseded") expect(fact.replacedBy?.statement).toMatch(/Lisbon/);
  }
  expect(inputs.find((fact) => /Berlin/.test(fact.statement))?.fate).toBe("superseded");
}

describe("the README library quick start, run as written", () => {
  it("ends with Lisbon, not Berlin, and a report that accounts for the input fact", async () => {
    expectLisbonNotBerlin(await run(await quickStart()));
  });

  it("does the same without the README's instructions", async () => {
    const code = await quickStart();
    const without = code.replace(/^\s*instructions:.*\n/m, "");
    expect(without).not.toBe(code);
    expectLisbonNotBerlin(await run(without));
  });
});
