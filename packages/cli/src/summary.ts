import { type ConsolidationReport, type Dream, reportCounts } from "@nocturne/core";
import { safeText } from "./terminal-text.js";

/** A few lines for a terminal: how the dream ended and what changed. */
export function summaryLines(dream: Dream, report: ConsolidationReport | null): string[] {
  const lines: string[] = [];
  const took =
    dream.ended_at === null
      ? ""
      : ` in ${((Date.parse(dream.ended_at) - Date.parse(dream.created_at)) / 1000).toFixed(1)} s`;
  lines.push(`Dream ${dream.id} ${dream.status}${took}.`);
  if (dream.error) lines.push(`  ${dream.error.type}: ${safeText(dream.error.message)}`);
  if (report === null) return lines;
  const counts = reportCounts(report);
  lines.push(
    `  ${counts.sessions} sessions · ${counts.inputMemories} → ${counts.outputMemories} memories · ${counts.factsWritten} facts written · ` +
      `${counts.merged} duplicates merged · ${counts.superseded} superseded · ${counts.dropped} dropped · ${counts.insights} insights`,
  );
  const changes = report.outputs.flatMap((output) =>
    output.facts.flatMap((fact) =>
      fact.superseded.map((old) => ({ old: old.statement, now: fact.statement, at: fact.observedAt })),
    ),
  );
  if (changes.length > 0) {
    lines.push("  Superseded:");
    for (const change of changes.slice(0, 10)) {
      lines.push(`    - ${oneLine(change.old)}  →  ${oneLine(change.now)} (${change.at.slice(0, 10)})`);
    }
    if (changes.length > 10) lines.push(`    … and ${changes.length - 10} more`);
  }
  for (const notice of report.notices) lines.push(`  note: ${oneLine(notice, 200)}`);
  return lines;
}

function oneLine(text: string, max = 100): string {
  const flat = safeText(text).replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
