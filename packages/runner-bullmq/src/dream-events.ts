import { type DreamEvent, type DreamEventBody, isTerminalStatus } from "@nocturne/core";
import type { Redis } from "ioredis";
import { dreamKey } from "./redis-keys.js";

/**
 * Appends an event once: when `onceKey` was already used for this dream the event is dropped (replays and
 * retried jobs re-emit what they did before). Sequence number and, for chunk events, the `done` count are taken
 * in the same atomic step, so they are gapless and in stream order.
 */
const EMIT = `
if ARGV[1] ~= "" and redis.call("SADD", KEYS[1], ARGV[1]) == 0 then return -1 end
local seq = redis.call("INCR", KEYS[2]) - 1
local head = '{"seq":' .. seq
if ARGV[3] == "1" then head = head .. ',"done":' .. redis.call("INCR", KEYS[4]) end
redis.call("XADD", KEYS[3], "*", "event", head .. "," .. string.sub(ARGV[2], 2))
return seq
`;

/** Writes and reads a dream's events in a Redis stream, so any process can follow any dream. */
export class DreamEvents {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /**
   * Appends `body` to the dream's stream unless `onceKey` was used before. For `chunk` events, `done` is filled in
   * from a per-dream counter. Returns the sequence number, or -1 when the event was a repeat.
   */
  async emit(dreamId: string, body: DreamEventBody, onceKey = ""): Promise<number> {
    const { done: _ignored, ...rest } = body as DreamEventBody & { done?: number };
    const json = JSON.stringify({ ...rest, dream_id: dreamId, at: new Date().toISOString() });
    const result = await this.redis.eval(
      EMIT,
      4,
      dreamKey(this.prefix, dreamId, "emitted"),
      dreamKey(this.prefix, dreamId, "seq"),
      dreamKey(this.prefix, dreamId, "events"),
      dreamKey(this.prefix, dreamId, "chunks-done"),
      onceKey,
      json,
      body.type === "chunk" ? "1" : "0",
    );
    return Number(result);
  }

  /**
   * Every event of the dream from the first, then live ones, until a terminal `status` event or the signal.
   * Uses its own blocking connection (duplicated from the given one), closed when iteration ends.
   */
  async *read(dreamId: string, signal?: AbortSignal): AsyncGenerator<DreamEvent> {
    const key = dreamKey(this.prefix, dreamId, "events");
    const reader = this.redis.duplicate();
    const stop = () => reader.disconnect();
    signal?.addEventListener("abort", stop, { once: true });
    let last = "0";
    try {
      while (!signal?.aborted) {
        const batches = (await reader.xread("COUNT", 500, "BLOCK", 1000, "STREAMS", key, last).catch((error) => {
          if (signal?.aborted) return null;
          throw error;
        })) as Array<[string, Array<[string, string[]]>]> | null;
        for (const [, entries] of batches ?? []) {
          for (const [id, fields] of entries) {
            last = id;
            const event = JSON.parse(fields[1] ?? "{}") as DreamEvent;
            yield event;
            if (event.type === "status" && isTerminalStatus(event.status)) return;
          }
        }
      }
    } finally {
      signal?.removeEventListener("abort", stop);
      reader.disconnect();
    }
  }

  /** True when the dream has a stream (events expire some time after the dream ends). */
  async exists(dreamId: string): Promise<boolean> {
    return (await this.redis.exists(dreamKey(this.prefix, dreamId, "events"))) === 1;
  }
}
