import { link, open, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { anthropicPrices, estimateCost } from "@nocturne/anthropic";
import {
  type ConsolidationReport,
  type MemoryContent,
  type RenderedSessionInfo,
  renderReportHtml,
  renderReportMarkdown,
  type StorageAdapter,
} from "@nocturne/core";
import { writeError } from "./files/real-path.js";
import { reportTempPrefix } from "./files/report-path.js";
import { reportKind } from "./parse-options.js";

/** Every memory of a store, path and content, for the before/after view. */
export async function storeContents(storage: StorageAdapter, storeId: string | null): Promise<MemoryContent[]> {
  if (storeId === null) return [];
  const out: MemoryContent[] = [];
  let after: string | undefined;
  do {
    const page = await storage.listMemories(storeId, { limit: 1000, ...(after ? { after } : {}) });
    for (const memory of page.data) out.push({ path: memory.path, content: memory.content });
    after = page.next_cursor ?? undefined;
  } while (after !== undefined);
  return out;
}

/** The estimated cost of a dream's usage, when its model has a known price. */
export function dreamCost(report: ConsolidationReport): { usd: number; note: string } | null {
  const model = report.model.replace(/^anthropic:/, "");
  const usd = estimateCost(report.usage, anthropicPrices(model));
  return usd === null ? null : { usd, note: `estimated at ${model} list prices` };
}

/**
 * Writes the review report to `file` (Markdown or HTML by its extension), atomically and never over anything: the
 * text goes to a hidden temporary file beside it, which is then hard-linked into place (an existing file, link or
 * folder fails `output_exists`) and removed.
 */
export async function writeReport(
  file: string,
  report: ConsolidationReport,
  context: { storage: StorageAdapter; sessions?: RenderedSessionInfo[] },
): Promise<void> {
  const [before, after] = await Promise.all([
    storeContents(context.storage, report.inputStoreId).catch(() => []),
    storeContents(context.storage, report.outputStoreId).catch(() => []),
  ]);
  const options = {
    before,
    after,
    cost: dreamCost(report),
    ...(context.sessions ? { sessions: context.sessions } : {}),
  };
  const text = reportKind(file) === "html" ? renderReportHtml(report, options) : renderReportMarkdown(report, options);
  const temp = join(dirname(file), `${reportTempPrefix(file)}p${process.pid}-${Date.now()}`);
  try {
    const handle = await open(temp, "wx", 0o644);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(temp, file);
  } catch (error) {
    throw writeError(error, file, "--report");
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
