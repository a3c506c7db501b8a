import type { ConsolidatedFact, Evidence, ProposedInsight } from "../schemas/facts.js";
import type { DroppedFact } from "../schemas/report.js";
import { normalizeKey } from "../util/text.js";
import { timeOf } from "../util/time.js";

/** When each event of each input session happened: what an insight may cite. */
export type SessionEventIndex = Map<string, Map<string, string>>;

/** The topic every insight is filed under, so they share one readable memory file. */
export const INSIGHTS_TOPIC = "insights";

/**
 * Keeps the proposed insights that rest on events of at least two different input sessions, citing only events that
 * exist; the rest are dropped with the reason.
 */
export function checkInsights(
  proposed: ProposedInsight[],
  events: SessionEventIndex,
): { insights: ConsolidatedFact[]; dropped: DroppedFact[] } {
  const insights: ConsolidatedFact[] = [];
  const dropped: DroppedFact[] = [];
  for (const [index, insight] of proposed.entries()) {
    const evidence: Evidence[] = [];
    let observedAt = "";
    for (const cited of insight.evidence) {
      const at = events.get(cited.session_id)?.get(cited.event_id);
      if (at === undefined) continue;
      evidence.push({ type: "event", sessionId: cited.session_id, eventId: cited.event_id });
      if (observedAt === "" || timeOf(at) > timeOf(observedAt)) observedAt = at;
    }
    const sessions = new Set(evidence.map((item) => (item.type === "event" ? item.sessionId : "")));
    const key = `insight.${normalizeKey(insight.key)}`;
    if (sessions.size < 2) {
      dropped.push({
        statement: insight.statement,
        key,
        kind: "insight",
        reason: "insight does not rest on existing events of at least two sessions",
        evidence,
      });
      continue;
    }
    insights.push({
      key,
      topic: INSIGHTS_TOPIC,
      statement: insight.statement.trim(),
      kind: "insight",
      cardinality: "multi",
      polarity: "positive",
      value: null,
      observedAt,
      trust: "agent",
      evidence,
      sourceFactIds: [`insight_${index}`],
      merged: [],
      superseded: [],
    });
  }
  return { insights, dropped };
}
