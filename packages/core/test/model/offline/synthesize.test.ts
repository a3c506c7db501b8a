import { createOfflineConsolidationModel, type FactKind, ProposedInsight, type SynthesisFact } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { callContext } from "./support.js";

function fact(
  kind: FactKind,
  key: string,
  statement: string,
  cited: Array<[string, string]>,
  topic = "notes",
): SynthesisFact {
  return { key, topic, statement, kind, evidence: cited.map(([session_id, event_id]) => ({ session_id, event_id })) };
}

function sessionsOf(insight: ProposedInsight): Set<string> {
  return new Set(insight.evidence.map((item) => item.session_id));
}

/** Every insight is schema-valid, cites ≥2 sessions, and only events it was given. */
function expectGrounded(insights: ProposedInsight[], facts: SynthesisFact[]) {
  const given = new Set(facts.flatMap((item) => item.evidence.map((e) => `${e.session_id}/${e.event_id}`)));
  for (const insight of insights) {
    expect(ProposedInsight.safeParse(insight).success).toBe(true);
    expect(sessionsOf(insight).size).toBeGreaterThanOrEqual(2);
    for (const cited of insight.evidence) expect(given.has(`${cited.session_id}/${cited.event_id}`)).toBe(true);
  }
}

const econnrefused = [
  fact("transient", "transient.a", "Integration tests are failing again with ECONNREFUSED 127.0.0.1:5433.", [
    ["sesn_1", "e1"],
  ]),
  fact("transient", "transient.b", "CI integration job fails: connect ECONNREFUSED 127.0.0.1:5433.", [
    ["sesn_2", "e7"],
  ]),
  fact("transient", "transient.c", "Port 5433 refused again, ECONNREFUSED on the integration run.", [["sesn_3", "e2"]]),
];

describe("offline model: synthesize", () => {
  const model = createOfflineConsolidationModel();

  it("calls out a transient problem that recurs across sessions, quoting each occurrence", async () => {
    const insights = await model.synthesize(econnrefused, callContext());
    expectGrounded(insights, econnrefused);
    expect(insights).toHaveLength(1);
    const [insight] = insights;
    expect(insight?.key).toMatch(/^recurring\./);
    expect(insight?.statement).toMatch(/^Recurring problem across 3 sessions \(.*ECONNREFUSED.*\): /);
    expect(insight?.statement).toContain('"CI integration job fails: connect ECONNREFUSED 127.0.0.1:5433"');
    expect(sessionsOf(insight as ProposedInsight)).toEqual(new Set(["sesn_1", "sesn_2", "sesn_3"]));
  });

  it("needs two sessions: a problem repeated within one session is not an insight", async () => {
    const oneSession = econnrefused.map((item, index) => ({
      ...item,
      evidence: [{ session_id: "sesn_1", event_id: `e${index}` }],
    }));
    expect(await model.synthesize(oneSession, callContext())).toEqual([]);
  });

  it("does not tie problems together by generic words alone", async () => {
    const facts = [
      fact("transient", "transient.a", "Today the build failed again.", [["sesn_1", "e1"]]),
      fact("transient", "transient.b", "Yesterday the login page failed again.", [["sesn_2", "e1"]]),
    ];
    expect(await model.synthesize(facts, callContext())).toEqual([]);
  });

  it("calls a preference restated in three sessions stable, but not one stated in two", async () => {
    const three = fact("preference", "style.indentation", "User prefers tabs for indentation.", [
      ["sesn_1", "e1"],
      ["sesn_2", "e4"],
      ["sesn_3", "e2"],
    ]);
    const two = fact("preference", "communication.verbosity", "Keep your answers short.", [
      ["sesn_1", "e2"],
      ["sesn_2", "e5"],
    ]);
    const insights = await model.synthesize([three, two], callContext());
    expectGrounded(insights, [three, two]);
    expect(insights.map((insight) => [insight.key, insight.statement])).toEqual([
      ["stable.style.indentation", "Stable preference, stated in 3 sessions: User prefers tabs for indentation."],
    ]);
  });

  it("does not call a preference stable when its value changed between sessions", async () => {
    const facts = [
      fact("preference", "style.indentation", "User prefers tabs for indentation.", [
        ["sesn_1", "e1"],
        ["sesn_2", "e1"],
      ]),
      fact("preference", "style.indentation", "Use 2 spaces for indentation.", [["sesn_3", "e1"]]),
    ];
    expect(await model.synthesize(facts, callContext())).toEqual([]);
  });

  it("notes a project and a tool that keep coming up across sessions", async () => {
    const facts = [
      fact(
        "fact",
        "tooling.package_manager",
        "The team uses pnpm in the atlas repo.",
        [["sesn_1", "e1"]],
        "projects/atlas",
      ),
      fact("procedure", "run_install", "Always run pnpm install after switching branches.", [["sesn_2", "e3"]]),
      fact("fact", "deploy_window", "The atlas repo deploys on Tuesdays.", [["sesn_3", "e2"]], "projects/atlas"),
      fact("procedure", "pnpm_dedupe", "Run pnpm dedupe before releases.", [["sesn_3", "e4"]]),
    ];
    const insights = await model.synthesize(facts, callContext());
    expectGrounded(insights, facts);
    expect(insights.map((insight) => insight.key)).toEqual(["project.atlas", "tool.pnpm"]);
    expect(insights[0]?.statement).toBe(
      'Project atlas came up in 2 sessions: "The team uses pnpm in the atlas repo"; "The atlas repo deploys on Tuesdays".',
    );
    expect(insights[1]?.statement).toMatch(/^pnpm came up in 3 sessions: /);
  });

  it("ignores facts that rest only on memories (no session) and existing insights", async () => {
    const facts = [
      fact("transient", "transient.a", "ECONNREFUSED on port 5433 again.", []),
      fact("transient", "transient.b", "ECONNREFUSED on port 5433 again.", [["sesn_1", "e1"]]),
      fact("insight", "x", "ECONNREFUSED on port 5433 came up twice.", [
        ["sesn_1", "e1"],
        ["sesn_2", "e1"],
      ]),
    ];
    expect(await model.synthesize(facts, callContext())).toEqual([]);
  });

  it("proposes at most maxInsights, strongest first", async () => {
    const many = Array.from({ length: 6 }, (_, index) =>
      fact(
        "preference",
        `pref_${index}`,
        `User prefers option number ${index} for widget ${index}.`,
        Array.from({ length: 3 + index }, (__, session) => [`sesn_${session}`, `e${index}`] as [string, string]),
      ),
    );
    const capped = createOfflineConsolidationModel({ maxInsights: 2 });
    const insights = await capped.synthesize(many, callContext());
    expect(insights.map((insight) => insight.key)).toEqual(["stable.pref_5", "stable.pref_4"]);
    expect(await createOfflineConsolidationModel({ maxInsights: 0 }).synthesize(many, callContext())).toEqual([]);
  });
});
