import { renderReportHtml, renderReportMarkdown, reportCounts } from "@nocturne/core";
import { escapeHtml, escapeMarkdown } from "@nocturne/core/internals";
import { describe, expect, it } from "vitest";
import { PAYLOAD, SAMPLE_SESSIONS, sampleReport } from "./sample-report.js";

describe("the Markdown review report", () => {
  const markdown = renderReportMarkdown(sampleReport(), {
    sessions: SAMPLE_SESSIONS,
    cost: { usd: 0.0421, note: "claude-sonnet-4-6 list prices" },
  });

  it("has a summary with the counts", () => {
    expect(reportCounts(sampleReport())).toMatchObject({
      factsWritten: 5,
      merged: 1,
      superseded: 3,
      dropped: 1,
      insights: 1,
    });
    expect(markdown).toMatch(/^# Dream drm_01sample — completed\n/);
    expect(markdown).toContain("| Values superseded by newer ones | 3 |");
    expect(markdown).toContain("Input memories: 0 kept, 1 merged, 1 superseded, 1 dropped.");
    expect(markdown).toContain("took 4.2 s");
  });

  it("shows superseded values with their replacement and both dates", () => {
    expect(markdown).toContain(
      "- ~~Priya lives in Lisbon, Portugal.~~ (2026-09-01) → **Priya lives in Berlin.** (2026-10-14) in `/profile.md`",
    );
    expect(markdown).toContain("new value from session “Moving the nightly job to Berlin time”, event sevt_1");
    expect(markdown).toContain(
      "→ **Webhook retries go through BullMQ.** (2026-10-20, time from a file's modification time) in `/profile.md`",
    );
  });

  it("shows merged wordings, insights with evidence from each session, and drop reasons", () => {
    expect(markdown).toContain(
      "also said as:\n  - “Replies should be concise and to the point, without a lengthy intro.”",
    );
    expect(markdown).toMatch(
      /## Insights\n\n- \*\*Integration tests fail .*\*\* in `\/insights.md` — from 2 sessions\n {2}- session “Moving/,
    );
    expect(markdown).toContain("- connect ECONNREFUSED 127.0.0.1:5433 — *transient: a one-off debugging note*");
    expect(markdown).toContain("### `/debugging/2026-09-03-flaky-invoice-test.md` — dropped");
  });

  it("says which session times came from a file's modification time, and the cost", () => {
    expect(markdown).toContain("\\* webhook-retries: time taken from the file's modification time");
    expect(markdown).toContain("Estimated cost: $0.04 (claude-sonnet-4-6 list prices)");
    expect(markdown).toContain("Input 12,840 tokens · output 2,210");
  });

  it("escapes transcript text so it cannot inject markup", () => {
    expect(markdown).not.toContain("<script>");
    expect(markdown).not.toContain("[link](");
    expect(markdown).toContain('\\<script\\>alert("pwned")\\</script\\>');
    expect(escapeMarkdown("a\n# b | c")).toBe("a \\# b \\| c");
    expect(escapeMarkdown("drm_01 _em_ snake_case")).toBe("drm_01 \\_em\\_ snake_case");
  });

  it("reports a failed dream's error", () => {
    const failed = renderReportMarkdown(
      sampleReport({
        status: "failed",
        endedAt: null,
        error: { type: "model_error", message: "Rate limited; retry later." },
      }),
    );
    expect(failed).toContain("— failed");
    expect(failed).toContain("**Error (model_error):** Rate limited; retry later.");
  });
});

describe("the HTML review report", () => {
  const html = renderReportHtml(sampleReport(), {
    sessions: SAMPLE_SESSIONS,
    cost: { usd: 0.0421 },
    before: [
      {
        path: "/profile.md",
        content:
          "# About Priya\n\n- Priya lives in Lisbon, Portugal.\n- Staging: postgres://ledger:hunter2-staging@db:5432/ledger\n",
      },
    ],
    after: [{ path: "/profile.md", content: `# Profile\n\n- Priya lives in Berlin.\n- ${PAYLOAD}\n` }],
  });

  it("is one self-contained page that can fetch nothing", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|@import|url\(/i);
    expect(html).not.toMatch(/<[a-z][^>]*\s(src|href|action|srcset)=/i);
  });

  it("escapes every piece of transcript text", () => {
    expect(html).toContain(escapeHtml(PAYLOAD));
    expect(html).not.toMatch(/<[^>]*onerror/i);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it("holds every section a reviewer needs", () => {
    for (const id of [
      "summary",
      "superseded",
      "merged",
      "insights",
      "dropped",
      "memories",
      "sessions",
      "usage",
      "notices",
    ]) {
      expect(html).toContain(`<section id="${id}">`);
    }
    expect(html).toContain("time taken from the file&#39;s modification time");
    expect(html).toContain(
      "2026-10-20 · time from a file's modification time</span>Webhook retries go through BullMQ.",
    );
    expect(html).toContain("<summary>content before</summary><pre># About Priya");
    expect(html).not.toContain("hunter2-staging");
    expect(html).toContain("[REDACTED:");
    expect(html).toContain("$0.04");
  });
});
