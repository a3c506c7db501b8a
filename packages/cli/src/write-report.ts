import { rename, writeFile } from "node:fs/promises";
import {
  anthropicPrices,
  type ConsolidationReport,
  estimateCost,
  type MemoryContent,
  type RenderedSessionInfo,
  renderReportHtml,
  renderReportMarkdown,
  type StorageAdapter,
} from "@nocturne/core";
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

/** Writes the review report to `file` (Markdown or HTML by its extension), atomically. */
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
  const temp = `${file}.tmp-${process.pid}`;
  await writeFile(temp, text, "utf8");
  await rename(temp, file);
}
