import type { Dream, DreamService } from "@nocturne/core";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { errorResponse } from "../http-error.js";
import type { AppEnv } from "../route-kit.js";
import { sessionEventOf } from "../run-sessions.js";

/** How often an idle stream sends a comment line, so proxies keep it open. */
const HEARTBEAT_MS = 15_000;

/**
 * `GET /v1/sessions/{id}/events/stream` for a dream's run session: server-sent events as the SDK's `Stream`
 * parses them (`event: <type>` and `data: <json>`), the dream's history first, then live events, ending when the
 * dream ends. A client that disconnects stops the read at once (the engine's event reader is aborted, the
 * heartbeat cleared), so nothing is left listening. A failure mid-stream is an `event: error` with the hosted
 * error envelope, which the SDK raises as an `APIError`.
 */
export function streamRunSession(c: Context<AppEnv>, nocturne: DreamService, dream: Dream): Response {
  return streamSSE(c, async (stream) => {
    const controller = new AbortController();
    const stop = () => controller.abort();
    stream.onAbort(stop);
    c.req.raw.signal.addEventListener("abort", stop, { once: true });
    const heartbeat = setInterval(() => {
      void stream.write(": heartbeat\n\n");
    }, HEARTBEAT_MS);
    try {
      for await (const event of nocturne.dreams.events(dream.id, { signal: controller.signal })) {
        if (controller.signal.aborted) break;
        const shaped = sessionEventOf(event);
        await stream.writeSSE({ event: shaped.type, id: shaped.id, data: JSON.stringify(shaped) });
      }
    } catch (error) {
      if (!controller.signal.aborted) {
        const { body } = errorResponse(error);
        await stream.writeSSE({ event: "error", data: JSON.stringify(body) });
      }
    } finally {
      clearInterval(heartbeat);
      c.req.raw.signal.removeEventListener("abort", stop);
      controller.abort();
    }
  });
}
