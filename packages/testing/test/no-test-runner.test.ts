import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** This package's sources and core's: neither may import a test runner. */
const SOURCES = {
  "@nocturne/testing": fileURLToPath(new URL("../src", import.meta.url)),
  "@nocturne/core": fileURLToPath(new URL("../../core/src", import.meta.url)),
};
const RUNNERS = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)["'](?:vitest|@vitest\/[^"']*|jest|@jest\/[^"']*|mocha)["']/;

/** A file's code without its comment lines (doc comments show how to call the suite from vitest). */
function codeOf(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^\s*(\*|\/\*|\/\/)/.test(line))
    .join("\n");
}

/** Every .ts file under `dir`. */
async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith(".ts")).map((e) => join(e.parentPath, e.name));
}

describe.each(Object.entries(SOURCES))("%s's sources", (_name, dir) => {
  it("never import a test runner, so the package loads without one (vitest is an optional peer)", async () => {
    const files = await sources(dir);
    expect(files.length).toBeGreaterThan(0);
    const offenders: string[] = [];
    for (const file of files) {
      if (RUNNERS.test(codeOf(await readFile(file, "utf8")))) offenders.push(file.slice(dir.length + 1));
    }
    expect(offenders).toEqual([]);
  });
});
