import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../../../", import.meta.url));
const OFFLINE = join(ROOT, "packages/core/src/model/offline");
/** Where code that might import the offline model lives (depcruise covers packages/*\/src; this covers the rest too). */
const PLACES = ["packages", "bench", "examples", "scripts"];
const SPECIFIER = /(?:from\s+|import\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g;

async function codeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !file.includes("/node_modules/") && !file.includes("/dist/"));
}

describe("the offline model's boundary", () => {
  it("is crossed through model/offline/index.ts only, from sources, tests, the bench, examples and scripts", async () => {
    const deep: string[] = [];
    for (const place of PLACES) {
      for (const file of await codeFiles(join(ROOT, place))) {
        if (file.startsWith(`${OFFLINE}/`)) continue;
        for (const [, specifier] of (await readFile(file, "utf8")).matchAll(SPECIFIER)) {
          const target = resolve(dirname(file), specifier ?? "");
          if (target.startsWith(`${OFFLINE}/`) && !/\/index\.(js|ts)$/.test(target.slice(OFFLINE.length))) {
            deep.push(`${relative(ROOT, file)} → ${specifier}`);
          }
        }
      }
    }
    expect(deep).toEqual([]);
  });
});
