import type { DreamEvent } from "../schemas/dream-event.js";

/**
 * A dream's events in order, readable from the start by any number of iterators while new ones arrive, until the
 * log is closed (the dream ended).
 */
export class EventLog {
  private readonly events: DreamEvent[] = [];
  private waiters: Array<() => void> = [];
  private closed = false;

  /** Appends an event and wakes readers. Ignored once closed. */
  push(event: DreamEvent): void {
    if (this.closed) return;
    this.events.push(event);
    this.wake();
  }

  /** No more events will come. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  /** Number of events so far (the next event's `seq`). */
  get length(): number {
    return this.events.length;
  }

  /** Every event from the first, then live ones until the log closes or the signal aborts. */
  async *read(signal?: AbortSignal): AsyncGenerator<DreamEvent> {
    let next = 0;
    while (!signal?.aborted) {
      while (next < this.events.length) {
        const event = this.events[next++];
        if (event) yield event;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          signal?.removeEventListener("abort", done);
          resolve();
        };
        this.waiters.push(done);
        signal?.addEventListener("abort", done, { once: true });
      });
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

/**
 * The logs of dreams that ended in this process, the newest `max` kept, so `events(id)` replays a finished dream's
 * full history and not just its final status.
 */
export class EndedEventLogs {
  private readonly logs = new Map<string, EventLog>();

  constructor(private readonly max = 256) {}

  /** Keeps a closed log, forgetting the oldest beyond `max`. */
  add(id: string, log: EventLog): void {
    this.logs.delete(id);
    this.logs.set(id, log);
    while (this.logs.size > this.max) {
      const oldest = this.logs.keys().next().value;
      if (oldest === undefined) break;
      this.logs.delete(oldest);
    }
  }

  /** The log of a dream that ended here, if still kept. */
  get(id: string): EventLog | undefined {
    return this.logs.get(id);
  }
}
