import { ConsolidationReport } from "@nocturne/core";

/** A hostile string, as a transcript could carry it: it must render as text everywhere. */
export const PAYLOAD = `<script>alert("pwned")</script><img src=x onerror=alert(1)> **bold** [link](https://evil.example) | pipe`;

const session = (sessionId: string, eventId: string, quote?: string) => ({
  type: "event" as const,
  sessionId,
  eventId,
  ...(quote ? { quote } : {}),
});
const memory = (memoryId: string, path: string, quote?: string) => ({
  type: "memory" as const,
  memoryId,
  path,
  ...(quote ? { quote } : {}),
});

/** A realistic report of a dream over the example data, with one hostile statement in it. */
export function sampleReport(overrides: Partial<ConsolidationReport> = {}): ConsolidationReport {
  return ConsolidationReport.parse({
    dreamId: "drm_01sample",
    status: "completed",
    inputStoreId: "memstore_input",
    outputStoreId: "memstore_output",
    model: "offline",
    instructions: "Focus on lasting preferences; skip one-off debugging.",
    createdAt: "2026-11-02T09:00:00.000Z",
    endedAt: "2026-11-02T09:00:04.200Z",
    sessions: [
      {
        sessionId: "sesn_berlin",
        title: "Moving the nightly job to Berlin time",
        contentSha256: "a".repeat(64),
        events: 6,
        chunks: 1,
        facts: 2,
        skipped: false,
      },
      {
        sessionId: "sesn_vitest",
        title: "Migrate remaining specs from Jest to Vitest",
        contentSha256: "b".repeat(64),
        events: 14,
        chunks: 2,
        facts: 3,
        skipped: false,
      },
      {
        sessionId: "sesn_chat",
        title: "webhook-retries",
        contentSha256: "c".repeat(64),
        events: 8,
        chunks: 1,
        facts: 1,
        skipped: false,
      },
    ],
    outputs: [
      {
        memoryId: "mem_out_profile",
        path: "/profile.md",
        contentSha256: "d".repeat(64),
        facts: [
          {
            key: "home.city",
            statement: "Priya lives in Berlin.",
            kind: "fact",
            trust: "user",
            observedAt: "2026-10-14T07:45:40.000Z",
            evidence: [session("sesn_berlin", "sevt_1", "I moved to Berlin last weekend")],
            merged: [],
            superseded: [
              {
                factId: "f_lisbon",
                statement: "Priya lives in Lisbon, Portugal.",
                observedAt: "2026-09-01T00:00:00.000Z",
                evidence: [memory("mem_profile", "/profile.md", "Priya lives in Lisbon, Portugal.")],
              },
            ],
          },
          {
            key: "user.note",
            statement: PAYLOAD,
            kind: "fact",
            trust: "user",
            observedAt: "2026-10-20T10:00:00.000Z",
            evidence: [session("sesn_chat", "msg_1", PAYLOAD)],
            merged: [],
            superseded: [],
          },
          {
            key: "webhooks.retry_queue",
            statement: "Webhook retries go through BullMQ.",
            kind: "fact",
            trust: "user",
            observedAt: "2026-10-20T10:00:00.001Z",
            evidence: [session("sesn_chat", "msg_2", "We use BullMQ for the webhook retry queue now")],
            merged: [],
            superseded: [
              {
                factId: "f_cron",
                statement: "Webhook retries run from a cron job.",
                observedAt: "2026-09-02T00:00:00.000Z",
                evidence: [memory("mem_profile", "/profile.md")],
              },
            ],
          },
        ],
        insights: [],
      },
      {
        memoryId: "mem_out_prefs",
        path: "/preferences.md",
        contentSha256: "e".repeat(64),
        facts: [
          {
            key: "answers.length",
            statement: "Keep answers short and skip the long preamble.",
            kind: "preference",
            trust: "memory",
            observedAt: "2026-09-01T00:00:00.000Z",
            evidence: [memory("mem_prefs", "/preferences.md")],
            merged: [
              {
                factId: "f_concise",
                statement: "Replies should be concise and to the point, without a lengthy intro.",
                observedAt: "2026-09-01T00:00:00.000Z",
                evidence: [memory("mem_prefs", "/preferences.md")],
              },
            ],
            superseded: [],
          },
          {
            key: "code.indentation",
            statement: "Use 2 spaces for indentation; the team adopted Biome's defaults.",
            kind: "preference",
            trust: "user",
            observedAt: "2026-10-19T09:12:00.000Z",
            evidence: [session("sesn_vitest", "u_7", "From now on use 2 spaces for indentation")],
            merged: [],
            superseded: [
              {
                factId: "f_tabs",
                statement: "Priya prefers tabs for indentation in TypeScript files.",
                observedAt: "2026-09-01T00:00:00.000Z",
                evidence: [memory("mem_prefs", "/preferences.md")],
              },
            ],
          },
        ],
        insights: [],
      },
      {
        memoryId: "mem_out_insights",
        path: "/insights.md",
        contentSha256: "f".repeat(64),
        facts: [],
        insights: ["Integration tests fail with ECONNREFUSED 127.0.0.1:5433 until `docker compose up -d db` runs."],
      },
    ],
    inputs: [
      {
        memoryId: "mem_profile",
        path: "/profile.md",
        contentSha256: "1".repeat(64),
        fate: "superseded",
        facts: [
          {
            statement: "Priya lives in Lisbon, Portugal.",
            fate: "superseded",
            into: "/profile.md",
            replacedBy: {
              statement: "Priya lives in Berlin.",
              observedAt: "2026-10-14T07:45:40.000Z",
              evidence: [session("sesn_berlin", "sevt_1")],
            },
            reason: null,
          },
        ],
      },
      {
        memoryId: "mem_prefs",
        path: "/preferences.md",
        contentSha256: "2".repeat(64),
        fate: "merged",
        facts: [
          {
            statement: "Keep answers short and skip the long preamble.",
            fate: "kept",
            into: "/preferences.md",
            replacedBy: null,
            reason: null,
          },
          {
            statement: "Replies should be concise and to the point, without a lengthy intro.",
            fate: "merged",
            into: "/preferences.md",
            replacedBy: {
              statement: "Keep answers short and skip the long preamble.",
              observedAt: "2026-09-01T00:00:00.000Z",
              evidence: [],
            },
            reason: null,
          },
        ],
      },
      {
        memoryId: "mem_debug",
        path: "/debugging/2026-09-03-flaky-invoice-test.md",
        contentSha256: "3".repeat(64),
        fate: "dropped",
        facts: [
          {
            statement: "Debug log: reran the job 3 times, passed twice.",
            fate: "dropped",
            into: null,
            replacedBy: null,
            reason: "transient: a one-off debugging note",
          },
        ],
      },
    ],
    dropped: [
      {
        statement: "connect ECONNREFUSED 127.0.0.1:5433",
        key: "debug.econnrefused",
        kind: "transient",
        reason: "transient: a one-off debugging note",
        evidence: [session("sesn_vitest", "toolu_1")],
      },
    ],
    insights: [
      {
        key: "tests.database",
        statement: "Integration tests fail with ECONNREFUSED 127.0.0.1:5433 until `docker compose up -d db` runs.",
        path: "/insights.md",
        sessionIds: ["sesn_berlin", "sesn_vitest"],
        evidence: [
          session("sesn_berlin", "sevt_3", "ECONNREFUSED"),
          session("sesn_vitest", "toolu_1", "ECONNREFUSED 127.0.0.1:5433"),
        ],
      },
    ],
    notices: ["The offline model ran: rules, no network."],
    stats: { chunks: 4, candidateFacts: 17, clusters: 9, judgeCalls: 0, redactions: 1 },
    usage: {
      input_tokens: 12840,
      output_tokens: 2210,
      cache_creation_input_tokens: 3100,
      cache_read_input_tokens: 9400,
    },
    error: null,
    ...overrides,
  });
}

/** Session metadata as the importers leave it, for the time-source note. */
export const SAMPLE_SESSIONS = [
  {
    id: "sesn_berlin",
    title: "Moving the nightly job to Berlin time",
    created_at: "2026-10-14T07:45:00.000Z",
    metadata: { time_source: "transcript" },
  },
  {
    id: "sesn_vitest",
    title: "Migrate remaining specs from Jest to Vitest",
    created_at: "2026-10-19T09:10:40.149Z",
    metadata: { time_source: "transcript" },
  },
  {
    id: "sesn_chat",
    title: "webhook-retries",
    created_at: "2026-10-20T10:00:00.000Z",
    metadata: { time_source: "file_mtime" },
  },
];
