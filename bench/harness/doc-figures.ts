import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { Figure, renderMarkdown } from "./figures.js";

/**
 * A marked block in a doc: everything between its two markers is generated from the named bench JSON file, from
 * the figures whose name starts with the optional prefix after it (`<!-- figures: bench/x.json coding. -->`).
 */
const BLOCK = /(<!-- figures: (\S+)(?: (\S+))? -->\n)([\s\S]*?)(<!-- \/figures -->)/g;

/** The part of any bench results file a doc table is made from. */
const FiguresFile = z.object({
  generated_at: z.string(),
  commit: z.string().optional(),
  machine: z.object({ load_start: z.number(), load_end: z.number() }).partial().optional(),
  figures: z.array(Figure),
});

/** The generated text of one block: where the figures come from, then their Markdown table (those named `prefix…`). */
export function renderBlock(file: string, json: string, prefix = ""): string {
  const results = FiguresFile.parse(JSON.parse(json));
  const figures = results.figures.filter((entry) => entry.name.startsWith(prefix));
  const commit = results.commit ? ` at commit \`${results.commit}\`` : "";
  const { load_start: start, load_end: end } = results.machine ?? {};
  const load = start !== undefined && end !== undefined ? `, load average ${start.toFixed(1)} → ${end.toFixed(1)}` : "";
  const when = results.generated_at.slice(0, 16).replace("T", " ");
  const source = `Generated from \`${file}\` (measured ${when} UTC${commit}${load})`;
  return `${source}; \`npx -y pnpm@10 docs:figures --write\` regenerates it.\n\n${renderMarkdown(figures)}\n`;
}

/** A marked block whose text differs from what its JSON file gives. */
export interface StaleBlock {
  file: string;
  expected: string;
  actual: string;
}

/** Checks (or, with `write`, regenerates) every marked block of `doc`; returns the blocks that were stale. */
export async function syncDocFigures(root: string, doc: string, write: boolean): Promise<StaleBlock[]> {
  const path = join(root, doc);
  const text = await readFile(path, "utf8");
  const stale: StaleBlock[] = [];
  const jsons = new Map<string, string>();
  for (const match of text.matchAll(BLOCK)) {
    const file = match[2] ?? "";
    jsons.set(file, await readFile(join(root, file), "utf8"));
  }
  const next = text.replace(
    BLOCK,
    (_whole, open: string, file: string, prefix: string | undefined, actual: string, close: string) => {
      const expected = renderBlock(file, jsons.get(file) ?? "", prefix);
      if (expected !== actual) stale.push({ file, expected, actual });
      return `${open}${expected}${close}`;
    },
  );
  if (write && next !== text) await writeFile(path, next);
  return stale;
}
