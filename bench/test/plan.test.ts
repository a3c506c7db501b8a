import { describe, expect, it } from "vitest";
import { benchPlan, figuresOf, planJobs } from "../harness/plan.js";
import { FamilyName } from "../scenario/families/index.js";

describe("the bench plan", () => {
  for (const quick of [true, false]) {
    it(`runs the new extractors and every family in the ${quick ? "quick" : "full"} run, with their goals`, () => {
      const plan = benchPlan(quick);
      const labels = planJobs(plan).map((job) => job.label);
      expect(new Set(labels).size).toBe(labels.length);
      for (const label of [
        "scale-reworded",
        "scale-eager-judge",
        ...FamilyName.options.map((name) => `family-${name}`),
      ]) {
        expect(labels).toContain(label);
      }
      const figures = figuresOf(plan, new Map());
      const goal = (name: string, extractor: string) =>
        figures.find((entry) => entry.name === name && entry.extractor === extractor)?.goal;
      expect(goal("stale_rate", "reworded")).toEqual({ op: "<", value: 0.05 });
      expect(goal("current_fact_recall", "reworded")).toEqual({ op: ">", value: 0.9 });
      expect(goal("current_fact_recall", "eager-judge")).toEqual({ op: ">", value: 0.95 });
      expect(goal("duplicate_rate", "noisy")).toEqual({ op: "<", value: 0.03 });
      for (const name of FamilyName.options) {
        expect(goal(`family.${name}.stale_rate`, "perfect")).toEqual({ op: "==", value: 0 });
        expect(goal(`family.${name}.duplicate_rate`, "perfect")).toEqual({ op: "==", value: 0 });
        expect(goal(`family.${name}.current_fact_recall`, "perfect")).toEqual({ op: "==", value: 1 });
      }
      expect(goal("chained_vs_single_agreement", "perfect")).toEqual({ op: "==", value: 1 });
      expect(labels).toContain("small-sessions");
      expect(figures.find((entry) => entry.name === "model_calls_per_session")?.goal).toEqual({ op: "<=", value: 1.2 });
      expect(labels).toContain("coding");
      expect(goal("coding.tool_only_recall", "perfect")).toEqual({ op: "==", value: 1 });
      const codingTokens = figures.find((entry) => entry.name === "coding.model_tokens_per_transcript_token");
      expect(codingTokens?.goal).toEqual({ op: "<=", value: 0.5 });
      expect(codingTokens?.scenario).toContain("coding");
    });

    it(`runs offline dreams of three sizes in the ${quick ? "quick" : "full"} run, cancels in the largest`, () => {
      const plan = benchPlan(quick);
      expect(plan.offline.map((job) => job.offline)).toEqual([true, true, true]);
      expect(plan.offline.map((job) => job.cancels)).toEqual([false, false, true]);
      const largest = plan.offline.at(-1)?.label.replace(/^offline-|-facts$/g, "");
      const figures = figuresOf(plan, new Map());
      const goal = (name: string) => figures.find((entry) => entry.name === name)?.goal;
      expect(goal(`offline_event_loop_lag_max_ms_${largest}_facts`)).toEqual({ op: "<", value: 50 });
      expect(goal("offline_nlp_load_lag_max_ms")).toEqual({ op: "<", value: 50 });
      expect(goal("offline_cancel_latency_ms_max")).toEqual({ op: "<", value: 200 });
      expect(goal("offline_cancel_stop_ms_max")).toEqual({ op: "<", value: 200 });
      expect(goal("offline_dream_growth_exponent")).toEqual({ op: "<", value: 1.15 });
    });
  }
});
