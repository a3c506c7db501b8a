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

/** Lines longer than this are not kept: a long turn is rarely said twice. */
const MAX_CACHED_LINE = 4_000;

/**
 * The readings of the most recent distinct lines, up to `limit` (the oldest is dropped first). Short turns repeat
 * across sessions ("ok thanks", a standing "from now on use pnpm"), and reading one costs a pass of the tagger.
 */
export class ReadingCache {
  private readonly readings = new Map<string, LineReading>();

  constructor(private readonly limit: number) {}

  /** The reading of `text`, from the cache or from `read`. */
  of(text: string, read: () => LineReading): LineReading {
    const cached = this.readings.get(text);
    if (cached) return cached;
    const reading = read();
    if (text.length > MAX_CACHED_LINE || this.limit === 0) return reading;
    if (this.readings.size >= this.limit) {
      const oldest = this.readings.keys().next().value;
      if (oldest !== undefined) this.readings.delete(oldest);
    }
    this.readings.set(text, reading);
    return reading;
  }
}
