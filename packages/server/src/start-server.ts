import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "./create-app.js";
import type { ServerOptions } from "./server-options.js";

/** A running server. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:41234`: the SDK's `baseURL`. */
  readonly url: string;
  readonly port: number;
  /**
   * Stops taking connections and closes the dreams service, then the tenancy store. An in-process engine cancels
   * the dreams still running (each ends `canceled`, its partial output kept and unlocked), waits for them and closes
   * its storage; a `DistributedNocturne` closes its Redis connections only (its dreams go on on the workers, its
   * storage is the caller's to close). Idempotent.
   */
  close(): Promise<void>;
}

/** Options for {@link startServer}: where to listen, beside what the app runs on. */
export interface StartServerOptions extends ServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8787; 0 picks a free port. */
  port?: number;
}

/** Starts the HTTP server and resolves once it listens. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const app = createApp(options);
  const host = options.host ?? "127.0.0.1";
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 8787 }, () => resolve(started));
    started.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        if ("closeIdleConnections" in server) server.closeIdleConnections();
        await options.nocturne.close();
        await stopped;
        await options.tenancy.close();
      })();
      return closing;
    },
  };
}
