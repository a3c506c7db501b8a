import type { FactKind } from "../../schemas/facts.js";
import type { DeclineReason } from "./utterance-gates.js";

/** What a fact carries beyond its statement: its key, value, cardinality and polarity when a frame named them. */
export interface Shape {
  key?: string;
  value?: string;
  cardinality?: "single";
  polarity?: "negative";
}

/** One thing reading a user's line gave, in order: a fact to collect, or a sentence declined with its reason. */
export type ReadingStep =
  | { fact: { kind: FactKind; statement: string; quote: string; shape: Shape } }
  | { declined: { reason: DeclineReason; text: string } };

/**
 * What reading one user line gives, before the dream's instructions filter it and before it is tied to an event.
 * It depends on the line's text alone, so a line said again is replayed rather than read again.
 */
export class LineReading {
  readonly steps: ReadingStep[] = [];

  add(kind: FactKind, statement: string, quote: string, shape: Shape = {}): void {
    this.steps.push({ fact: { kind, statement, quote, shape } });
  }

  decline(entry: { reason: DeclineReason; text: string }): void {
    this.steps.push({ declined: entry });
  }

  /**
   * Of the facts from step `from` on (one sentence), an exclusive value that a later one replaces is history, declined
   * as `past`: "I've been on Windows for years but I finally switched to Linux" keeps Linux only.
   */
  settle(from: number): void {
    for (let index = from; index < this.steps.length; index++) {
      const step = this.steps[index];
      if (!step || !("fact" in step)) continue;
      const { shape, quote } = step.fact;
      if (shape.key === undefined || shape.cardinality !== "single" || shape.polarity === "negative") continue;
      const replaced = this.steps
        .slice(index + 1)
        .some(
          (later) =>
            "fact" in later &&
            later.fact.shape.key === shape.key &&
            later.fact.shape.polarity !== "negative" &&
            later.fact.shape.value?.toLowerCase() !== shape.value?.toLowerCase(),
        );
      if (replaced) this.steps[index] = { declined: { reason: "past", text: quote } };
    }
  }
}
