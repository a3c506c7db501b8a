import type { ConsolidationReport, Evidence, ReportedFact } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { measureQuality } from "../metrics/quality.js";
import type { GroundTruth, TruthItem, TruthSubject } from "../scenario/ground-truth.js";

const AT = "2099-01-05T09:00:00.000Z";

/** A hand-made ground truth: one changed subject, two steady ones, one noise note, one two-session pattern. */
function handMadeTruth(): GroundTruth {
  const subject = (key: string, entity: string | null, attribute: string, values: string[]): TruthSubject => ({
    key,
    topic: entity ? `projects/${entity.toLowerCase()}` : "preferences",
    kind: entity ? "fact" : "preference",
    cardinality: "single",
    entity,
    attribute,
    history: values.map((value, index) => ({ value, statement: value, firstOrder: index })),
    current: values.at(-1) ?? "",
    lastOrder: values.length - 1,
    memberStates: new Map(),
  });
  const event = (sessionId: string, eventId: string) => ({
    type: "event" as const,
    sessionId,
    eventId,
    role: "user" as const,
  });
  const items: TruthItem[] = [
    {
      id: "m1",
      type: "observation",
      subjectKey: "projects.atlas-17.deploy_region",
      value: "us-east-1",
      act: "store",
      quote: "Atlas-17 deploys to us-east-1.",
      source: { type: "memory", path: "/projects/atlas-17/deploy_region.md" },
      order: 0,
    },
    {
      id: "m2",
      type: "observation",
      subjectKey: "projects.atlas-17.database",
      value: "MySQL 8",
      act: "store",
      quote: "Atlas-17 stores its data in MySQL 8.",
      source: { type: "memory", path: "/projects/atlas-17/database.md" },
      order: 0,
    },
    {
      id: "o1",
      type: "observation",
      subjectKey: "projects.atlas-17.deploy_region",
      value: "eu-west-3",
      act: "change",
      quote: "Heads up: since 2099-01-05, Atlas-17 deploys to eu-west-3 instead.",
      source: event("s1", "e1"),
      order: 1_000_001,
    },
    {
      id: "o2",
      type: "observation",
      subjectKey: "user.editor",
      value: "Neovim",
      act: "introduce",
      quote: "My editor is Neovim.",
      source: event("s1", "e2"),
      order: 1_000_002,
    },
    {
      id: "n1",
      type: "noise",
      key: "projects.atlas-17.debug.econnrefused",
      statement: "The Atlas-17 build failed at 14:03 with ECONNREFUSED; a restart fixed it.",
      error: "ECONNREFUSED",
      time: "14:03",
      quote: "The Atlas-17 build failed at 14:03 with ECONNREFUSED; a restart fixed it.",
      source: event("s1", "e3"),
      order: 1_000_003,
    },
    {
      id: "c1",
      type: "occurrence",
      patternKey: "projects.cobalt-3.patterns.nightly_oom",
      key: "projects.cobalt-3.patterns.nightly_oom.1",
      statement: "The Cobalt-3 nightly build got OOM-killed again on 2099-01-05.",
      quote: "The Cobalt-3 nightly build got OOM-killed again on 2099-01-05.",
      source: event("s1", "e4"),
      order: 1_000_004,
    },
    {
      id: "c2",
      type: "occurrence",
      patternKey: "projects.cobalt-3.patterns.nightly_oom",
      key: "projects.cobalt-3.patterns.nightly_oom.2",
      statement: "The Cobalt-3 nightly build got OOM-killed again on 2099-01-06.",
      quote: "The Cobalt-3 nightly build got OOM-killed again on 2099-01-06.",
      source: event("s2", "e5"),
      order: 2_000_001,
    },
  ];
  const subjects = [
    subject("projects.atlas-17.deploy_region", "Atlas-17", "deploy_region", ["us-east-1", "eu-west-3"]),
    subject("projects.atlas-17.database", "Atlas-17", "database", ["MySQL 8"]),
    subject("user.editor", null, "editor", ["Neovim"]),
  ];
  const byEvent = new Map<string, TruthItem[]>();
  const byMemoryPath = new Map<string, TruthItem[]>();
  for (const item of items) {
    if (item.source.type === "event") byEvent.set(item.source.eventId, [item]);
    else byMemoryPath.set(item.source.path, [item]);
  }
  return {
    subjects: new Map(subjects.map((entry) => [entry.key, entry])),
    patterns: new Map([
      [
        "projects.cobalt-3.patterns.nightly_oom",
        {
          key: "projects.cobalt-3.patterns.nightly_oom",
          topic: "projects/cobalt-3",
          entity: "Cobalt-3",
          patternId: "nightly_oom",
          insight: "Cobalt-3's nightly build repeatedly runs out of memory; it needs a bigger runner.",
          marker: "repeatedly runs out of memory",
          occurrenceMarker: "OOM-killed",
          occurrences: ["c1", "c2"],
          sessionIds: ["s1", "s2"],
        },
      ],
    ]),
    items: new Map(items.map((item) => [item.id, item])),
    byEvent,
    byMemoryPath,
    eventIds: new Map([
      ["s1", new Set(["e1", "e2", "e3", "e4"])],
      ["s2", new Set(["e5"])],
    ]),
  };
}

const onEvent = (sessionId: string, eventId: string): Evidence => ({ type: "event", sessionId, eventId });
const onMemory = (memoryId: string): Evidence => ({ type: "memory", memoryId, path: "/x.md" });

function fact(statement: string, evidence: Evidence[]): ReportedFact {
  return { key: "k", statement, kind: "fact", trust: "user", observedAt: AT, evidence, merged: [], superseded: [] };
}

function report(
  outputs: ConsolidationReport["outputs"],
  insights: ConsolidationReport["insights"],
): ConsolidationReport {
  return {
    dreamId: "drm_1",
    status: "completed",
    inputStoreId: "memstore_in",
    outputStoreId: "memstore_out",
    model: "hand",
    instructions: "",
    createdAt: AT,
    endedAt: AT,
    sessions: [],
    outputs,
    inputs: [],
    dropped: [],
    declined: [],
    insights,
    notices: [],
    stats: { chunks: 0, candidateFacts: 0, clusters: 0, judgeCalls: 0, redactions: 0 },
    usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    error: null,
  };
}

describe("measureQuality", () => {
  const truth = handMadeTruth();
  const inputMemories = [
    { id: "mem_a", path: "/projects/atlas-17/deploy_region.md" },
    { id: "mem_b", path: "/projects/atlas-17/database.md" },
  ];

  it("scores a perfect output as perfect", () => {
    const facts = [
      fact("Atlas-17 deploys to eu-west-3.", [onEvent("s1", "e1")]),
      fact("Atlas-17 stores its data in MySQL 8.", [onMemory("mem_b")]),
      fact("The user edits code in Neovim.", [onEvent("s1", "e2")]),
    ];
    const content = `# Atlas\n\n${facts.map((entry) => `- ${entry.statement}`).join("\n")}\n`;
    const metrics = measureQuality({
      truth,
      sessionIds: ["s1", "s2"],
      inputMemories,
      report: report(
        [{ memoryId: "mem_o", path: "/all.md", contentSha256: "", facts, insights: [] }],
        [
          {
            key: "insight.oom",
            statement: truth.patterns.get("projects.cobalt-3.patterns.nightly_oom")?.insight ?? "",
            path: "/insights.md",
            sessionIds: ["s1", "s2"],
            evidence: [onEvent("s1", "e4"), onEvent("s2", "e5")],
          },
        ],
      ),
      outputMemories: [{ path: "/all.md", content, content_sha256: "" }],
    });
    expect(metrics).toMatchObject({
      duplicateRate: 0,
      staleRate: 0,
      currentFactRecall: 1,
      precision: 1,
      noiseRate: 0,
      insightSupport: 1,
      insightRecall: 1,
      insightPrecision: 1,
      evidenceValidity: 1,
      reportConsistency: 1,
    });
  });

  it("counts duplicates, stale values, invented values, noise, missing facts and bad evidence", () => {
    const facts = [
      fact("Atlas-17 deploys to eu-west-3.", [onEvent("s1", "e1")]),
      fact("Atlas-17 is deployed in us-east-1.", [onMemory("mem_a")]),
      fact("Atlas-17 stores its data in MySQL 8.", [onMemory("mem_b")]),
      fact("Atlas-17 keeps everything in MySQL 8.", [onMemory("mem_gone")]),
      fact("Atlas-17 deploys to ap-south-2.", [onEvent("s1", "e9")]),
      fact("The Atlas-17 build failed at 14:03 with ECONNREFUSED.", [onEvent("s1", "e3")]),
    ];
    const written = facts.slice(0, 5).map((entry) => `- ${entry.statement}`);
    const metrics = measureQuality({
      truth,
      sessionIds: ["s1", "s2"],
      inputMemories,
      report: report(
        [{ memoryId: "mem_o", path: "/atlas.md", contentSha256: "", facts, insights: [] }],
        [
          {
            key: "insight.oom",
            statement: "Cobalt-3's nightly build repeatedly runs out of memory.",
            path: "/insights.md",
            sessionIds: ["s1", "s2"],
            evidence: [onEvent("s1", "e4"), onEvent("s2", "e5")],
          },
          {
            key: "insight.fridays",
            statement: "The user dislikes Fridays.",
            path: "/insights.md",
            sessionIds: ["s1", "s2"],
            evidence: [onEvent("s1", "e4"), onEvent("s2", "e404")],
          },
        ],
      ),
      outputMemories: [{ path: "/atlas.md", content: `${written.join("\n")}\n`, content_sha256: "" }],
    });
    expect(metrics.counts).toMatchObject({
      outputFacts: 6,
      valueFacts: 4,
      duplicates: 2,
      changedSubjects: 1,
      staleSubjects: 1,
      durableSubjects: 3,
      recalled: 2,
      invented: 1,
      noiseFacts: 1,
      insights: 2,
      expectedInsights: 1,
      evidence: 10,
      invalidEvidence: 3,
    });
    expect(metrics.duplicateRate).toBe(2 / 4);
    expect(metrics.staleRate).toBe(1);
    expect(metrics.currentFactRecall).toBe(2 / 3);
    expect(metrics.precision).toBe(4 / 6);
    expect(metrics.noiseRate).toBe(1 / 6);
    expect(metrics.insightSupport).toBe(1 / 2);
    expect(metrics.insightRecall).toBe(1);
    expect(metrics.insightPrecision).toBe(1 / 2);
    expect(metrics.evidenceValidity).toBe(7 / 10);
    expect(metrics.reportConsistency).toBe(5 / 6);
    expect(metrics.examples.missing).toEqual(["user.editor = Neovim"]);
  });

  it("finds a superseded value written into a memory even when the report does not list it", () => {
    const facts = [fact("Atlas-17 deploys to eu-west-3.", [onEvent("s1", "e1")])];
    const metrics = measureQuality({
      truth,
      sessionIds: ["s1", "s2"],
      inputMemories,
      report: report([{ memoryId: "mem_o", path: "/atlas.md", contentSha256: "", facts, insights: [] }], []),
      outputMemories: [
        {
          path: "/atlas.md",
          content: "- Atlas-17 deploys to eu-west-3 (was: Atlas-17 on us-east-1).\n",
          content_sha256: "",
        },
      ],
    });
    expect(metrics.staleRate).toBe(1);
    expect(metrics.insightSupport).toBeNull();
  });

  it("reads a statement that merges two facts as two, crediting each value to its own subject", () => {
    const facts = [
      fact("Atlas-17 stores its data in MySQL 8. Cobalt-3 deploys to eu-west-3.", [onMemory("mem_b")]),
      fact("The user edits code in Neovim.", [onEvent("s1", "e2")]),
    ];
    const metrics = measureQuality({
      truth,
      sessionIds: ["s1", "s2"],
      inputMemories,
      report: report([{ memoryId: "mem_o", path: "/atlas.md", contentSha256: "", facts, insights: [] }], []),
      outputMemories: [],
    });
    expect(metrics.precision).toBe(1);
    expect(metrics.currentFactRecall).toBe(2 / 3);
    expect(metrics.examples.missing).toEqual(["projects.atlas-17.deploy_region = eu-west-3"]);
    expect(metrics.reportConsistency).toBe(0);
  });

  it("only counts what the dream's own inputs said", () => {
    const facts = [fact("Atlas-17 deploys to us-east-1.", [onMemory("mem_a")])];
    const metrics = measureQuality({
      truth,
      sessionIds: ["s2"],
      inputMemories,
      report: report([{ memoryId: "mem_o", path: "/atlas.md", contentSha256: "", facts, insights: [] }], []),
      outputMemories: [{ path: "/atlas.md", content: "- Atlas-17 deploys to us-east-1.\n", content_sha256: "" }],
    });
    expect(metrics.staleRate).toBeNull();
    expect(metrics.counts.durableSubjects).toBe(2);
    expect(metrics.currentFactRecall).toBe(1 / 2);
    expect(metrics.insightRecall).toBeNull();
  });
});
