import type { Evidence } from "../schemas/facts.js";
import type { ConsolidationReport, InputFate } from "../schemas/report.js";
import type { RenderedSessionInfo, ReportRenderOptions } from "./render-options.js";

/** The counts a review starts with. */
export interface ReportCounts {
  sessions: number;
  inputMemories: number;
  outputMemories: number;
  factsWritten: number;
  merged: number;
  superseded: number;
  dropped: number;
  insights: number;
  inputFates: Record<InputFate, number>;
}

/** One value replaced by a later one: the old statement, the new one, and when each was observed. */
export interface SupersededRow {
  key: string;
  path: string;
  oldStatement: string;
  oldAt: string;
  oldEvidence: Evidence[];
  newStatement: string;
  newAt: string;
  newEvidence: Evidence[];
}

/** One group of duplicates folded into one statement. */
export interface MergedRow {
  key: string;
  path: string;
  statement: string;
  wordings: Array<{ statement: string; observedAt: string; evidence: Evidence[] }>;
}

/** Counts for the summary. */
export function reportCounts(report: ConsolidationReport): ReportCounts {
  const inputFates: Record<InputFate, number> = { kept: 0, merged: 0, superseded: 0, dropped: 0 };
  for (const input of report.inputs) inputFates[input.fate]++;
  const facts = report.outputs.flatMap((output) => output.facts);
  return {
    sessions: report.sessions.length,
    inputMemories: report.inputs.length,
    outputMemories: report.outputs.length,
    factsWritten: facts.length,
    merged: facts.reduce((sum, fact) => sum + fact.merged.length, 0),
    superseded: facts.reduce((sum, fact) => sum + fact.superseded.length, 0),
    dropped: report.dropped.length,
    insights: report.insights.length,
    inputFates,
  };
}

/** Every superseded value with its replacement, oldest change first. */
export function supersededRows(report: ConsolidationReport): SupersededRow[] {
  return report.outputs
    .flatMap((output) =>
      output.facts.flatMap((fact) =>
        fact.superseded.map((old) => ({
          key: fact.key,
          path: output.path,
          oldStatement: old.statement,
          oldAt: old.observedAt,
          oldEvidence: old.evidence,
          newStatement: fact.statement,
          newAt: fact.observedAt,
          newEvidence: fact.evidence,
        })),
      ),
    )
    .sort((a, b) => (a.newAt < b.newAt ? -1 : a.newAt > b.newAt ? 1 : 0));
}

/** Every fact that absorbed other wordings of itself. */
export function mergedRows(report: ConsolidationReport): MergedRow[] {
  return report.outputs.flatMap((output) =>
    output.facts
      .filter((fact) => fact.merged.length > 0)
      .map((fact) => ({
        key: fact.key,
        path: output.path,
        statement: fact.statement,
        wordings: fact.merged.map((item) => ({
          statement: item.statement,
          observedAt: item.observedAt,
          evidence: item.evidence,
        })),
      })),
  );
}

/** Looks up how to name a session: its title when known, else its id. */
export function sessionNamer(report: ConsolidationReport, options: ReportRenderOptions): (sessionId: string) => string {
  const titles = new Map<string, string>();
  for (const session of report.sessions) if (session.title) titles.set(session.sessionId, session.title);
  for (const session of options.sessions ?? []) if (session.title) titles.set(session.id, session.title);
  return (sessionId) => titles.get(sessionId) ?? sessionId;
}

/** Where a session's time came from, in words, when it did not come from the transcript itself. */
export function timeSourceNote(session: RenderedSessionInfo | undefined): string | null {
  const source = session?.metadata?.time_source;
  if (source === "file_mtime") return "time taken from the file's modification time (the transcript has none)";
  if (source === "option") return "time given explicitly (the transcript has none)";
  return null;
}

/**
 * Whether evidence rests on a session whose time was not in the transcript (it came from a file's modification
 * time): such a value won on recency by an inferred date, which a reviewer should know.
 */
export function inferredTime(options: ReportRenderOptions): (evidence: Evidence[]) => boolean {
  const inferred = new Set(
    (options.sessions ?? []).filter((session) => session.metadata?.time_source === "file_mtime").map((s) => s.id),
  );
  return (evidence) => evidence.some((item) => item.type === "event" && inferred.has(item.sessionId));
}

/** `2026-10-14 07:45 UTC` from an RFC 3339 timestamp. */
export function formatTime(timestamp: string | null): string {
  if (timestamp === null) return "—";
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) return timestamp;
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `2026-10-14` from an RFC 3339 timestamp. */
export function formatDate(timestamp: string): string {
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? timestamp : new Date(ms).toISOString().slice(0, 10);
}

/** How long a dream ran, e.g. `4.2 s` or `3 min 12 s`; null while it runs. */
export function formatDuration(start: string, end: string | null): string | null {
  if (end === null) return null;
  const ms = Date.parse(end) - Date.parse(start);
  if (!Number.isFinite(ms) || ms < 0) return null;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A count with a thousands separator. */
export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

/**
 * What bounding tool output left out of extraction (`toolResultTokens`), in one phrase; null when nothing was (or
 * the report predates the counters).
 */
export function toolOutputNote(stats: ConsolidationReport["stats"]): string | null {
  const deduplicated = stats.toolResultsDeduplicated ?? 0;
  const cut = stats.toolResultsCut ?? 0;
  if (deduplicated === 0 && cut === 0) return null;
  return `${formatCount(deduplicated)} repeated tool results read once, ${formatCount(cut)} long ones cut to head and tail (${formatCount(stats.toolTokensElided ?? 0)} tool-output tokens left out)`;
}

/** A cost in US dollars, with more digits for small amounts. */
export function formatUsd(usd: number): string {
  return usd < 0.01 && usd > 0 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** Text cut to a length, on one line. */
export function oneLine(text: string, max = 400): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Where a piece of evidence points, in words (without its quote). */
export function evidenceSource(evidence: Evidence, nameSession: (id: string) => string): string {
  return evidence.type === "event"
    ? `session “${nameSession(evidence.sessionId)}”, event ${evidence.eventId}`
    : `memory ${evidence.path}`;
}
