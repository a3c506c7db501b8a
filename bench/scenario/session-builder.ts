import type { Session, SessionEvent } from "@nocturne/core";
import type { Random } from "../lib/random.js";
import { type EventClock, fillerBlock, fillerSentence } from "./filler.js";
import type { Statement, TruthBuilder } from "./truth-builder.js";

/** Where a session sits on the timeline. */
export interface SessionMeta {
  id: string;
  /** Position among the scenario's sessions (0-based): sets event ids and the order of its statements. */
  index: number;
  createdAt: number;
  title: string;
}

/**
 * Builds one session: the statements, grouped into messages, placed among filler blocks until the transcript
 * reaches `tokensPerSession`; records every statement in the ground truth with its event.
 */
export function buildSession(
  random: Random,
  builder: TruthBuilder,
  meta: SessionMeta,
  statements: Statement[],
  tokensPerSession: number,
  count: (text: string) => number,
): { session: Session; tokens: number } {
  let eventNumber = 0;
  let at = meta.createdAt;
  const tag = String(meta.index + 1).padStart(3, "0");
  const clock: EventClock = {
    nextId: () => `sevt_${tag}_${String(++eventNumber).padStart(5, "0")}`,
    nextAt: () => {
      at += 2000;
      return new Date(at).toISOString();
    },
  };
  const ids = new Set<string>();
  builder.truth.eventIds.set(meta.id, ids);

  const factMessages: Array<Statement[]> = [];
  for (let i = 0; i < statements.length; i++) {
    const first = statements[i] as Statement;
    const next = statements[i + 1];
    if (next && next.role === first.role && random.chance(0.3)) {
      factMessages.push([first, next]);
      i++;
    } else factMessages.push([first]);
  }

  const events: SessionEvent[] = [];
  let tokens = 0;
  const estimatedFillerBlocks = Math.max(0, Math.ceil(tokensPerSession / 600));
  const slots = factMessages.map(() => random.int(0, estimatedFillerBlocks));
  slots.sort((a, b) => a - b);
  let slot = 0;
  let block = 0;
  const placeFacts = (upTo: number) => {
    while (slot < factMessages.length && (slots[slot] as number) <= upTo) {
      const group = factMessages[slot] as Statement[];
      const role = (group[0] as Statement).role;
      const prefix = random.chance(0.5) ? `${fillerSentence(random)} ` : "";
      const text = `${prefix}${group.map((statement) => statement.sentence).join(" ")}`;
      const id = clock.nextId();
      const order = (meta.index + 1) * 1_000_000 + eventNumber;
      events.push({
        id,
        type: role === "user" ? "user.message" : "agent.message",
        processed_at: clock.nextAt(),
        content: [{ type: "text", text }],
      });
      tokens += count(text);
      for (const statement of group)
        builder.add(statement.record({ type: "event", sessionId: meta.id, eventId: id, role }, order));
      slot++;
    }
  };
  while (tokens < tokensPerSession || slot < factMessages.length) {
    placeFacts(block);
    if (tokens >= tokensPerSession) {
      placeFacts(Number.POSITIVE_INFINITY);
      break;
    }
    const filler = fillerBlock(random, clock);
    events.push(...filler.events);
    tokens += count(filler.text);
    block++;
  }
  for (const event of events) ids.add(event.id);
  return {
    session: {
      id: meta.id,
      title: meta.title,
      created_at: new Date(meta.createdAt).toISOString(),
      metadata: {},
      events,
    },
    tokens,
  };
}
