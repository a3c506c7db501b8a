import type { Evidence } from "../schemas/facts.js";
import type { ConsolidationReport, InputFate, ReportedInputFact } from "../schemas/report.js";
import { redactSecrets } from "../security/redact-secrets.js";
import { escapeHtml as h } from "./escape.js";
import type { MemoryContent, ReportRenderOptions } from "./render-options.js";
import { REPORT_CSS } from "./report-styles.js";
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

/** Blocks every fetch the page could make: the report is one self-contained file. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
const FATES: InputFate[] = ["kept", "merged", "superseded", "dropped"];

/**
 * The review report as one self-contained HTML page (inline CSS, no scripts, no fonts or images fetched, a CSP that
 * forbids any request): summary, superseded values with replacement and dates, merged duplicates, insights with
 * their evidence, dropped items with reasons, every memory before and after, sessions, usage and cost. All text is
 * escaped: transcripts are untrusted.
 */
export function renderReportHtml(report: ConsolidationReport, options: ReportRenderOptions = {}): string {
  const counts = reportCounts(report);
  const name = sessionNamer(report, options);
  const cite = (evidence: Evidence[], limit = 4) => evidenceList(evidence, name, limit);
  const inferred = inferredTime(options);
  const title = options.title ?? `Dream ${report.dreamId}`;
  const duration = formatDuration(report.createdAt, report.endedAt);
  const parts: string[] = [];

  parts.push(`<header class="top"><div class="eyebrow">Nocturne · dream review</div>
<h1>${h(title)} <span class="status status-${h(report.status)}">${h(report.status)}</span></h1>
<p class="meta">model <code>${h(report.model)}</code> · ${counts.sessions} sessions · ${counts.inputMemories} → ${counts.outputMemories} memories · started ${h(formatTime(report.createdAt))}${duration ? ` · took ${h(duration)}` : ""}</p>
${report.instructions.trim() === "" ? "" : `<div class="instructions">${h(report.instructions)}</div>`}
${report.error ? `<div class="error"><strong>${h(report.error.type)}</strong>: ${h(report.error.message)}</div>` : ""}
</header><main>`);

  const card = (cls: string, num: number, label: string) =>
    `<div class="card ${cls}"><div class="num">${num}</div><div class="label">${label}</div></div>`;
  const total = Math.max(1, counts.inputMemories);
  parts.push(`<section id="summary"><div class="cards">
${card("facts", counts.factsWritten, "facts written")}${card("merged", counts.merged, "duplicates merged")}${card("superseded", counts.superseded, "values superseded")}${card("dropped", counts.dropped, "dropped")}${card("insights", counts.insights, "insights")}${card("memories", counts.outputMemories, `memories (from ${counts.inputMemories})`)}
</div>
<div class="fatebar" role="img" aria-label="what became of the input memories">${FATES.map((fate) => (counts.inputFates[fate] > 0 ? `<span class="bg-${fate}" style="width:${((counts.inputFates[fate] / total) * 100).toFixed(2)}%"></span>` : "")).join("")}</div>
<div class="legend">${FATES.map((fate) => `<span><span class="dot bg-${fate}"></span>${counts.inputFates[fate]} input ${counts.inputFates[fate] === 1 ? "memory" : "memories"} ${fate}</span>`).join("")}</div>
</section>`);

  const superseded = supersededRows(report);
  if (superseded.length > 0) {
    parts.push(`<section id="superseded"><h2>Superseded values <span class="count">${superseded.length}</span></h2><div class="panel">
${superseded
  .map(
    (
      row,
    ) => `<div class="change"><div class="old"><span class="date">${h(formatDate(row.oldAt))}</span><span class="text">${h(row.oldStatement)}</span></div><div class="arrow">→</div>
<div class="new"><span class="date">${h(formatDate(row.newAt))}${inferred(row.newEvidence) ? " · time from a file's modification time" : ""}</span>${h(row.newStatement)}</div>
<div class="where">in <code>${h(row.path)}</code> · key <code>${h(row.key)}</code>${cite(row.newEvidence, 2)}</div></div>`,
  )
  .join("\n")}</div></section>`);
  }

  const merged = mergedRows(report);
  if (merged.length > 0) {
    parts.push(`<section id="merged"><h2>Merged duplicates <span class="count">${merged.length}</span></h2><div class="panel"><ul class="plain">
${merged
  .map(
    (row) => `<li><strong>${h(row.statement)}</strong> <span class="muted">in <code>${h(row.path)}</code></span>
<ul class="also">${row.wordings.map((wording) => `<li>also said as “${h(wording.statement)}” <span class="muted">(${h(formatDate(wording.observedAt))})</span>${cite(wording.evidence, 1)}</li>`).join("")}</ul></li>`,
  )
  .join("\n")}</ul></div></section>`);
  }

  if (report.insights.length > 0) {
    parts.push(`<section id="insights"><h2>Insights <span class="count">${report.insights.length}</span></h2>
${report.insights
  .map(
    (
      insight,
    ) => `<div class="insight"><span class="chip insight">insight</span> <strong>${h(insight.statement)}</strong>
<div class="muted">in <code>${h(insight.path)}</code> · from ${insight.sessionIds.length} sessions</div>${cite(insight.evidence, 8)}</div>`,
  )
  .join("\n")}</section>`);
  }

  if (report.dropped.length > 0) {
    parts.push(`<section id="dropped"><h2>Dropped <span class="count">${report.dropped.length}</span></h2><div class="panel"><table>
<thead><tr><th>Statement</th><th>Kind</th><th>Why</th><th>From</th></tr></thead><tbody>
${report.dropped
  .map(
    (item) =>
      `<tr><td>${h(oneLine(item.statement, 400))}</td><td><span class="chip kind">${h(item.kind)}</span></td><td>${h(item.reason)}</td><td class="muted">${h(item.evidence[0] ? evidenceSource(item.evidence[0], name) : "—")}</td></tr>`,
  )
  .join("\n")}</tbody></table></div></section>`);
  }

  const before = contentByPath(options.before);
  const after = contentByPath(options.after);
  parts.push(`<section id="memories"><h2>Memories, before and after</h2><div class="cols"><div><h3 class="muted">Before · ${counts.inputMemories}</h3>
${report.inputs.length === 0 ? `<p class="muted">The input store was empty.</p>` : ""}
${report.inputs
  .map(
    (
      input,
    ) => `<div class="memory input"><header><code>${h(input.path)}</code><span class="chip ${input.fate}">${input.fate}</span></header>
<ul class="plain">${input.facts.map((fact) => inputFactItem(fact)).join("")}</ul>${contentDetails(before.get(input.path), "content before")}</div>`,
  )
  .join("\n")}</div><div><h3 class="muted">After · ${counts.outputMemories}</h3>
${report.outputs.length === 0 ? `<p class="muted">No memory was written.</p>` : ""}
${report.outputs
  .map(
    (
      output,
    ) => `<div class="memory output"><header><code>${h(output.path)}</code><span class="muted">${output.facts.length} facts</span></header>
<ul class="plain">${output.facts
      .map(
        (fact) =>
          `<li>${h(fact.statement)} <span class="chip kind">${h(fact.kind)}</span> <span class="date">${h(formatDate(fact.observedAt))}${fact.merged.length > 0 ? ` · merged ${fact.merged.length}` : ""}${fact.superseded.length > 0 ? ` · replaces ${fact.superseded.length}` : ""}</span>${cite(fact.evidence, 2)}</li>`,
      )
      .join(
        "",
      )}${output.insights.map((insight) => `<li><span class="chip insight">insight</span> ${h(insight)}</li>`).join("")}</ul>${contentDetails(after.get(output.path), "content after")}</div>`,
  )
  .join("\n")}</div></div></section>`);

  const infos = new Map((options.sessions ?? []).map((session) => [session.id, session]));
  parts.push(`<section id="sessions"><h2>Sessions <span class="count">${report.sessions.length}</span></h2><div class="panel"><table>
<thead><tr><th>Session</th><th>Time</th><th class="num">Events</th><th class="num">Chunks</th><th class="num">Facts</th></tr></thead><tbody>
${report.sessions
  .map((session) => {
    const info = infos.get(session.sessionId);
    const note = timeSourceNote(info);
    return `<tr><td>${h(name(session.sessionId))}${session.skipped ? ` <span class="chip kind">skipped: already dreamed</span>` : ""}<div class="muted"><code>${h(session.sessionId)}</code></div></td>
<td>${info ? h(formatTime(info.created_at)) : "—"}${note ? `<div class="note">${h(note)}</div>` : ""}</td><td class="num">${session.events}</td><td class="num">${session.chunks}</td><td class="num">${session.facts}</td></tr>`;
  })
  .join("\n")}</tbody></table></div></section>`);

  const usage = report.usage;
  parts.push(`<section id="usage"><h2>Usage and cost</h2><div class="cards">
<div class="card"><div class="num">${h(formatCount(usage.input_tokens))}</div><div class="label">input tokens</div></div>
<div class="card"><div class="num">${h(formatCount(usage.output_tokens))}</div><div class="label">output tokens</div></div>
<div class="card"><div class="num">${h(formatCount(usage.cache_read_input_tokens))}</div><div class="label">cache reads</div></div>
<div class="card"><div class="num">${h(formatCount(usage.cache_creation_input_tokens))}</div><div class="label">cache writes</div></div>
<div class="card"><div class="num">${options.cost ? h(formatUsd(options.cost.usd)) : "—"}</div><div class="label">${options.cost?.note ? h(options.cost.note) : "estimated cost"}</div></div>
</div><p class="muted">${report.stats.chunks} chunks · ${report.stats.candidateFacts} candidate facts · ${report.stats.clusters} clusters · ${report.stats.judgeCalls} judge calls${report.stats.redactions > 0 ? ` · ${report.stats.redactions} secrets redacted` : ""}${toolOutputNote(report.stats) === null ? "" : ` · ${h(toolOutputNote(report.stats) ?? "")}`}</p></section>`);

  if (report.notices.length > 0) {
    parts.push(
      `<section id="notices"><h2>Notices</h2><div class="panel"><ul class="plain">${report.notices.map((notice) => `<li>${h(notice)}</li>`).join("")}</ul></div></section>`,
    );
  }
  parts.push(
    `</main><footer>Generated by Nocturne · dream <code>${h(report.dreamId)}</code> · input store <code>${h(report.inputStoreId)}</code>${report.outputStoreId ? ` → output store <code>${h(report.outputStoreId)}</code>` : ""} · this page loads nothing from the network</footer>`,
  );

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}"><meta name="referrer" content="no-referrer">
<title>${h(title)} — ${h(report.status)}</title><style>${REPORT_CSS}</style></head>
<body>
${parts.join("\n")}
</body></html>
`;
}

function inputFactItem(fact: ReportedInputFact): string {
  const chip = `<span class="chip fate ${fact.fate}">${fact.fate}</span>`;
  let detail = "";
  if (fact.fate === "dropped") detail = `<div class="into">${h(fact.reason ?? "no reason given")}</div>`;
  else if (fact.replacedBy) {
    detail = `<div class="into">→ “${h(fact.replacedBy.statement)}” (${h(formatDate(fact.replacedBy.observedAt))})${fact.into ? ` in <code>${h(fact.into)}</code>` : ""}</div>`;
  } else if (fact.into) detail = `<div class="into">→ <code>${h(fact.into)}</code></div>`;
  return `<li>${chip}${h(oneLine(fact.statement, 400))}${detail}</li>`;
}

function evidenceList(evidence: Evidence[], name: (id: string) => string, limit: number): string {
  if (evidence.length === 0) return "";
  const items = evidence
    .slice(0, limit)
    .map(
      (item) =>
        `<li>${h(evidenceSource(item, name))}${item.quote ? `: <q>${h(oneLine(item.quote, 240))}</q>` : ""}</li>`,
    );
  if (evidence.length > limit) items.push(`<li>and ${evidence.length - limit} more</li>`);
  return `<ul class="evidence">${items.join("")}</ul>`;
}

/** Memory contents by path, secrets redacted: a report is shared (PRs, chat) more widely than the memory itself. */
function contentByPath(contents: MemoryContent[] | undefined): Map<string, string> {
  return new Map((contents ?? []).map((memory) => [memory.path, redactSecrets(memory.content).text]));
}

function contentDetails(content: string | undefined, label: string): string {
  return content === undefined ? "" : `<details><summary>${label}</summary><pre>${h(content)}</pre></details>`;
}
