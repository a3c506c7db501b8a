import type { Evidence } from "../schemas/facts.js";
import type { ConsolidationReport } from "../schemas/report.js";
import { markdownCode, escapeMarkdown as md } from "./escape.js";
import type { ReportRenderOptions } from "./render-options.js";
import {
  evidenceSource,
  formatCount,
  formatDate,
  formatDuration,
  formatTime,
  formatUsd,
  inferredTime,
  mergedRows,
  oneLine,
  reportCounts,
  sessionNamer,
  supersededRows,
  timeSourceNote,
  toolOutputNote,
} from "./report-view.js";

const FATE_LABEL = { kept: "kept", merged: "merged", superseded: "superseded", dropped: "dropped" } as const;

/**
 * The review report as Markdown, for a terminal or a pull request: summary, superseded values with their
 * replacement and dates, merged duplicates, insights with evidence, dropped items with reasons, every memory before
 * and after, sessions, usage and cost. Every piece of transcript or memory text is escaped.
 */
export function renderReportMarkdown(report: ConsolidationReport, options: ReportRenderOptions = {}): string {
  const out: string[] = [];
  const counts = reportCounts(report);
  const name = sessionNamer(report, options);
  const cite = (evidence: Evidence[], limit = 3) => citeEvidence(evidence, name, limit);
  const inferred = inferredTime(options);
  const duration = formatDuration(report.createdAt, report.endedAt);

  out.push(`# ${md(options.title ?? `Dream ${report.dreamId}`)} — ${report.status}`, "");
  out.push(
    `Model ${markdownCode(report.model)} · ${counts.sessions} sessions · ${counts.inputMemories} → ${counts.outputMemories} memories · ` +
      `started ${formatTime(report.createdAt)}${duration ? ` · took ${duration}` : ""}`,
  );
  if (report.instructions.trim() !== "") out.push("", `Instructions: ${md(oneLine(report.instructions, 600))}`);
  if (report.error) out.push("", `**Error (${report.error.type}):** ${md(report.error.message)}`);
  out.push("");

  out.push("## Summary", "", "| | |", "|---|---:|");
  out.push(`| Facts written | ${counts.factsWritten} |`);
  out.push(`| Duplicates merged | ${counts.merged} |`);
  out.push(`| Values superseded by newer ones | ${counts.superseded} |`);
  out.push(`| Dropped | ${counts.dropped} |`);
  out.push(`| Cross-session insights | ${counts.insights} |`);
  const fates = counts.inputFates;
  out.push(
    "",
    `Input memories: ${fates.kept} kept, ${fates.merged} merged, ${fates.superseded} superseded, ${fates.dropped} dropped.`,
    "",
  );

  const superseded = supersededRows(report);
  if (superseded.length > 0) {
    out.push("## Superseded values", "");
    for (const row of superseded) {
      out.push(
        `- ~~${md(row.oldStatement)}~~ (${formatDate(row.oldAt)}) → **${md(row.newStatement)}** (${formatDate(row.newAt)}${inferred(row.newEvidence) ? ", time from a file's modification time" : ""}) in ${markdownCode(row.path)}`,
        `  - new value from ${cite(row.newEvidence, 2)}`,
      );
    }
    out.push("");
  }

  const merged = mergedRows(report);
  if (merged.length > 0) {
    out.push("## Merged duplicates", "");
    for (const row of merged) {
      out.push(`- **${md(row.statement)}** in ${markdownCode(row.path)}, also said as:`);
      for (const wording of row.wordings) {
        out.push(`  - “${md(wording.statement)}” (${formatDate(wording.observedAt)}, ${cite(wording.evidence, 1)})`);
      }
    }
    out.push("");
  }

  if (report.insights.length > 0) {
    out.push("## Insights", "");
    for (const insight of report.insights) {
      out.push(
        `- **${md(insight.statement)}** in ${markdownCode(insight.path)} — from ${insight.sessionIds.length} sessions`,
      );
      for (const evidence of insight.evidence.slice(0, 6)) out.push(`  - ${cite([evidence], 1)}`);
    }
    out.push("");
  }

  if (report.dropped.length > 0) {
    out.push("## Dropped", "");
    for (const item of report.dropped) {
      out.push(
        `- ${md(oneLine(item.statement, 300))} — *${md(item.reason)}* (${item.kind}; ${cite(item.evidence, 1)})`,
      );
    }
    out.push("");
  }

  out.push("## Memories before", "");
  if (report.inputs.length === 0) out.push("The input store was empty.", "");
  for (const input of report.inputs) {
    out.push(`### ${markdownCode(input.path)} — ${FATE_LABEL[input.fate]}`, "");
    for (const fact of input.facts) {
      const statement = md(oneLine(fact.statement, 300));
      if (fact.fate === "kept") out.push(`- kept: ${statement}${fact.into ? ` → ${markdownCode(fact.into)}` : ""}`);
      else if (fact.fate === "dropped") out.push(`- dropped: ${statement} — *${md(fact.reason ?? "no reason given")}*`);
      else if (fact.replacedBy) {
        out.push(
          `- ${fact.fate}: ${statement} → “${md(fact.replacedBy.statement)}” (${formatDate(fact.replacedBy.observedAt)})${fact.into ? ` in ${markdownCode(fact.into)}` : ""}`,
        );
      } else out.push(`- ${fact.fate}: ${statement}${fact.into ? ` → ${markdownCode(fact.into)}` : ""}`);
    }
    out.push("");
  }

  out.push("## Memories after", "");
  if (report.outputs.length === 0) out.push("No memory was written.", "");
  for (const output of report.outputs) {
    out.push(`### ${markdownCode(output.path)}`, "");
    for (const fact of output.facts) {
      out.push(`- ${md(fact.statement)} — ${fact.kind}, ${formatDate(fact.observedAt)}; ${cite(fact.evidence, 2)}`);
    }
    for (const insight of output.insights) out.push(`- insight: ${md(insight)}`);
    out.push("");
  }

  out.push("## Sessions", "", "| Session | Time | Events | Chunks | Facts |", "|---|---|---:|---:|---:|");
  const infos = new Map((options.sessions ?? []).map((session) => [session.id, session]));
  const notes: string[] = [];
  for (const session of report.sessions) {
    const info = infos.get(session.sessionId);
    const note = timeSourceNote(info);
    if (note) notes.push(`${md(name(session.sessionId))}: ${note}.`);
    const time = info ? formatTime(info.created_at) : "—";
    const skipped = session.skipped ? " (already dreamed, skipped)" : "";
    out.push(
      `| ${md(name(session.sessionId))}${skipped} | ${time}${note ? " *" : ""} | ${session.events} | ${session.chunks} | ${session.facts} |`,
    );
  }
  if (notes.length > 0) out.push("", ...notes.map((note) => `\\* ${note}`));
  out.push("");

  const usage = report.usage;
  out.push("## Usage", "");
  out.push(
    `Input ${formatCount(usage.input_tokens)} tokens · output ${formatCount(usage.output_tokens)} · ` +
      `cache writes ${formatCount(usage.cache_creation_input_tokens)} · cache reads ${formatCount(usage.cache_read_input_tokens)} · ` +
      `${report.stats.chunks} chunks, ${report.stats.candidateFacts} candidate facts, ${report.stats.judgeCalls} judge calls` +
      (report.stats.redactions > 0 ? `, ${report.stats.redactions} secrets redacted` : "") +
      (toolOutputNote(report.stats) === null ? "" : `; ${toolOutputNote(report.stats)}`),
  );
  if (options.cost) {
    out.push(
      "",
      `Estimated cost: ${formatUsd(options.cost.usd)}${options.cost.note ? ` (${md(options.cost.note)})` : ""}`,
    );
  }
  out.push("");

  if (report.notices.length > 0) {
    out.push("## Notices", "", ...report.notices.map((notice) => `- ${md(notice)}`), "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

function citeEvidence(evidence: Evidence[], name: (id: string) => string, limit: number): string {
  if (evidence.length === 0) return "no evidence recorded";
  const shown = evidence.slice(0, limit).map((item) => {
    const quote = item.quote ? ` “${md(oneLine(item.quote, 160))}”` : "";
    return `${md(evidenceSource(item, name))}${quote}`;
  });
  const more = evidence.length > limit ? ` and ${evidence.length - limit} more` : "";
  return `${shown.join("; ")}${more}`;
}
