import type { Memory } from "@nocturne/core";
import type { GroundTruth } from "../scenario/ground-truth.js";
import { createMatcher } from "./match.js";

/**
 * The current values an output store states: `subject=value` for every value a line states as held (retractions
 * are not claims of a current value). Values the subject never held count too: they are claims all the same.
 */
export function currentClaims(truth: GroundTruth, memories: readonly Pick<Memory, "path" | "content">[]): Set<string> {
  const matcher = createMatcher(truth);
  const claims = new Set<string>();
  for (const memory of memories) {
    for (const line of memory.content.split("\n")) {
      for (const match of matcher.classify(line, memory.path)) {
        if (match.type === "value" || match.type === "wrong_value") claims.add(`${match.subjectKey}=${match.value}`);
      }
    }
  }
  return claims;
}

/** Jaccard agreement of two claim sets: 1 when identical, 0 when disjoint; null when both are empty. */
export function claimAgreement(left: ReadonlySet<string>, right: ReadonlySet<string>): number | null {
  const union = new Set([...left, ...right]);
  if (union.size === 0) return null;
  let shared = 0;
  for (const claim of left) if (right.has(claim)) shared++;
  return shared / union.size;
}

/** Claims in one set and not the other, for reading a disagreement. */
export function claimDifference(left: ReadonlySet<string>, right: ReadonlySet<string>): string[] {
  return [...left].filter((claim) => !right.has(claim)).sort();
}
