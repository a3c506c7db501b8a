import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";

/** One request the server received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined when empty or not JSON). */
  body: unknown;
}

/** How the server answers one request. */
export type LoopbackReply =
  | { status?: number; headers?: Record<string, string>; json: unknown }
  /** Sends the status and headers, then only this text (e.g. half a JSON document) and ends. */
  | { status?: number; headers?: Record<string, string>; raw: string }
  /** Never answers; the connection stays open until the client gives up. */
  | { hang: true }
  /**
   * Faults after the headers: sends the status, headers (with the full body's length) and the first `bytes` bytes
   * of `json`, then `cut` drops the connection, `stall` keeps it open and silent until the client gives up.
   */
  | { status?: number; json: unknown; bytes: number; fault: "cut" | "stall" };

/** Decides the reply to request number `index` (0-based, counting every request). */
export type LoopbackHandler = (request: ReceivedRequest, index: number) => LoopbackReply | Promise<LoopbackReply>;

/** A real HTTP server on 127.0.0.1 with a random port. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  requests: ReceivedRequest[];
  /** Requests whose connection the client closed before the server finished answering. */
  readonly abandoned: number;
  /** Requests received and not yet answered or abandoned. */
  readonly open: number;
  /** Resolves once `open` reaches `count`. */
  waitForOpen(count: number): Promise<void>;
  /** Stops the server (again: no-op). */
  close(): Promise<void>;
}

/** Starts a loopback HTTP server that answers with `handler` and records every request. */
export async function startLoopbackServer(handler: LoopbackHandler): Promise<LoopbackServer> {
  const requests: ReceivedRequest[] = [];
  let abandoned = 0;
  let open = 0;
  let waiters: Array<{ count: number; resolve: () => void }> = [];
  const notify = () => {
    const ready = waiters.filter((waiter) => open >= waiter.count);
    waiters = waiters.filter((waiter) => open < waiter.count);
    for (const waiter of ready) waiter.resolve();
  };

  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", async () => {
      const text = Buffer.concat(parts).toString("utf8");
      let body: unknown;
      try {
        body = text === "" ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      const received: ReceivedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body };
      const index = requests.push(received) - 1;
      open++;
      let settled = false;
      const settle = (wasAbandoned: boolean) => {
        if (settled) return;
        settled = true;
        open--;
        if (wasAbandoned) abandoned++;
      };
      res.on("close", () => settle(!res.writableFinished));
      res.on("finish", () => settle(false));
      notify();
      let reply: LoopbackReply;
      try {
        reply = await handler(received, index);
      } catch (error) {
        reply = { status: 500, json: { type: "error", error: { type: "api_error", message: String(error) } } };
      }
      if ("hang" in reply) return;
      const status = reply.status ?? 200;
      if ("fault" in reply) {
        const whole = Buffer.from(JSON.stringify(reply.json));
        res.writeHead(status, { "content-type": "application/json", "content-length": String(whole.length) });
        res.flushHeaders();
        res.write(whole.subarray(0, reply.bytes));
        if (reply.fault === "cut") setImmediate(() => res.socket?.destroy());
        return;
      }
      if ("raw" in reply) {
        res.writeHead(status, { "content-type": "application/json", ...reply.headers });
        res.end(reply.raw);
        return;
      }
      const payload = JSON.stringify(reply.json);
      res.writeHead(status, {
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(payload)),
        "request-id": `req_${index}`,
        ...reply.headers,
      });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get abandoned() {
      return abandoned;
    },
    get open() {
      return open;
    },
    waitForOpen(count) {
      if (open >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close() {
      if (!server.listening) return Promise.resolve();
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/**
 * For a test file: each test may start one server with the returned `serve(handler)`; it is closed after the test
 * (a server the test closed itself is left alone).
 */
export function useLoopbackServer(): (handler: LoopbackHandler) => Promise<LoopbackServer> {
  let server: LoopbackServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return async (handler) => {
    server = await startLoopbackServer(handler);
    return server;
  };
}
