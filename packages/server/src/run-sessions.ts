import { type Dream, type DreamEvent, type DreamService, isTerminalStatus } from "@nocturne/core";

/*
 * A dream's run session: the hosted `session_id` of a dream (`sesn_…`), whose events are the dream's pipeline
 * events in the hosted session event shapes. It is not stored: its id is the dream's id under the `sesn_` prefix
 * (`drm_X` runs in `sesn_X`), so whichever server reads it — and whoever owns the dream — finds it. It is a
 * different thing from an imported session (`POST /v1/sessions/import`), which is a dream's *input*: a run
 * session is never owned as a session, so naming one among a dream's `inputs` is a 404 like any unknown session.
 */

const DREAM_PREFIX = "drm_";
const SESSION_PREFIX = "sesn_";

/** The run session id of a dream. */
export function runSessionIdOf(dreamId: string): string {
  return dreamId.startsWith(DREAM_PREFIX) ? `${SESSION_PREFIX}${dreamId.slice(DREAM_PREFIX.length)}` : dreamId;
}

/** The dream a run session id names, or null when the id cannot be one. */
export function dreamIdOfRunSession(sessionId: string): string | null {
  if (!sessionId.startsWith(SESSION_PREFIX) || sessionId.length === SESSION_PREFIX.length) return null;
  return `${DREAM_PREFIX}${sessionId.slice(SESSION_PREFIX.length)}`;
}

/** A run session as `GET /v1/sessions/{id}` returns it: the hosted session shape, filled from the dream. */
export function runSessionShape(dream: Dream) {
  const ended = isTerminalStatus(dream.status);
  const seconds =
    ended && dream.ended_at !== null ? (Date.parse(dream.ended_at) - Date.parse(dream.created_at)) / 1000 : 0;
  return {
    id: runSessionIdOf(dream.id),
    type: "session" as const,
    status: dream.status === "pending" ? ("idle" as const) : ended ? ("terminated" as const) : ("running" as const),
    title: `Dream ${dream.id}`,
    metadata: { nocturne_dream_id: dream.id },
    agent: {
      type: "agent" as const,
      id: "nocturne_dreamer",
      name: "Nocturne dreamer",
      description: null,
      model: { id: dream.model.id, speed: "standard" as const },
      system: null,
      tools: [],
      skills: [],
      mcp_servers: [],
      multiagent: null,
      version: 1,
    },
    environment_id: "",
    resources: [],
    vault_ids: [],
    outcome_evaluations: [],
    budget: null,
    stats: ended ? { duration_seconds: seconds } : {},
    usage: {
      input_tokens: dream.usage.input_tokens,
      output_tokens: dream.usage.output_tokens,
      cache_read_input_tokens: dream.usage.cache_read_input_tokens,
    },
    created_at: dream.created_at,
    updated_at: dream.ended_at ?? dream.created_at,
    // As hosted, the session is archived when the dream that runs it ends.
    archived_at: dream.ended_at,
  };
}

/** A dream event as a session event: the hosted type closest to it, with the dream's event itself alongside. */
export interface RunSessionEvent {
  id: string;
  type: string;
  processed_at: string;
  /** The engine's own event, unchanged (Nocturne's addition to the hosted shape). */
  dream_event: DreamEvent;
  [field: string]: unknown;
}

/**
 * Maps one pipeline event to its session event (see docs/server.md, "A dream's session"): status changes are
 * `session.status_*` (pending is `session.status_idle`, as a hosted session starts idle), stages and notices `agent.message`, a session chunk read and a memory written
 * `agent.tool_use` (`read_session`, `write_memory`), usage `session.usage`, an error `session.error`.
 */
export function sessionEventOf(event: DreamEvent): RunSessionEvent {
  const base = {
    id: `sevt_${event.dream_id.slice(DREAM_PREFIX.length)}_${String(event.seq).padStart(6, "0")}`,
    processed_at: event.at,
    dream_event: event,
  };
  const text = (value: string) => [{ type: "text" as const, text: value }];
  switch (event.type) {
    case "status":
      // Hosted sessions start idle; a pending dream's session is idle until the dream runs.
      if (event.status === "pending") {
        return { ...base, type: "session.status_idle", stop_reason: { type: "end_turn" }, stop_details: null };
      }
      if (event.status === "running") return { ...base, type: "session.status_running" };
      return { ...base, type: "session.status_terminated" };
    case "stage":
      return { ...base, type: "agent.message", content: text(`Stage: ${event.stage}`) };
    case "notice":
      return { ...base, type: "agent.message", content: text(event.message) };
    case "chunk":
      return {
        ...base,
        type: "agent.tool_use",
        name: "read_session",
        input: {
          session_id: event.session_id,
          chunk_key: event.chunk_key,
          done: event.done,
          total: event.total,
          facts: event.facts,
        },
      };
    case "memory.written":
      return {
        ...base,
        type: "agent.tool_use",
        name: "write_memory",
        input: { memory_id: event.memory_id, path: event.path },
      };
    case "usage":
      return {
        ...base,
        type: "session.usage",
        usage: {
          input_tokens: event.usage.input_tokens,
          output_tokens: event.usage.output_tokens,
          cache_read_input_tokens: event.usage.cache_read_input_tokens,
        },
      };
    case "error":
      return {
        ...base,
        type: "session.error",
        error: { type: "unknown_error", message: event.error.message, retry_status: { type: "terminal" } },
      };
  }
}

/**
 * The dream's events so far, without waiting for more: all of them once it ended; while it runs, those the
 * engine has (it replays them at once) until it goes quiet for a moment.
 */
export async function eventsSoFar(nocturne: DreamService, dream: Dream): Promise<DreamEvent[]> {
  const controller = new AbortController();
  const iterator = nocturne.dreams.events(dream.id, { signal: controller.signal })[Symbol.asyncIterator]();
  const events: DreamEvent[] = [];
  const ended = isTerminalStatus(dream.status);
  try {
    for (;;) {
      const next = iterator.next();
      const step = ended ? await next : await Promise.race([next, quiet(50)]);
      if (step === null) {
        // Quiet: stop the read (the signal wakes it), keeping an event it may still have been fetching.
        controller.abort();
        const last = await next.catch(() => null);
        if (last !== null && last.done !== true) events.push(last.value);
        break;
      }
      if (step.done === true) break;
      events.push(step.value);
    }
  } finally {
    controller.abort();
    await iterator.return?.();
  }
  return events;
}

function quiet(ms: number): Promise<null> {
  return new Promise((resolve) => setTimeout(() => resolve(null), ms));
}
