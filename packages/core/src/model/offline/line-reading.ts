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
}
