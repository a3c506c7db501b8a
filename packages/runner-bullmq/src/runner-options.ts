import type { ConnectionOptions } from "bullmq";
import type { RedisOptions } from "ioredis";
import { Redis } from "ioredis";

/** Where the runner's Redis is and how its keys are named; the same on every process of one deployment. */
export interface RunnerConnectionOptions {
  /** ioredis options (`{ host, port, db, password, … }`) or a `redis://` URL. */
  connection: RedisOptions | string;
  /** Prefix of every key, BullMQ's included. Default `nocturne`. */
  prefix?: string;
}

/** Connection settings resolved once. */
export interface ResolvedConnection {
  options: RedisOptions;
  /** The same options, typed for BullMQ. */
  bullmq: ConnectionOptions;
  prefix: string;
}

/** Normalises connection options: URL parsed, BullMQ's required `maxRetriesPerRequest: null` set. */
export function resolveConnection(options: RunnerConnectionOptions): ResolvedConnection {
  const base: RedisOptions =
    typeof options.connection === "string" ? parseRedisUrl(options.connection) : { ...options.connection };
  const resolved: RedisOptions = { ...base, maxRetriesPerRequest: null };
  return { options: resolved, bullmq: resolved as ConnectionOptions, prefix: options.prefix ?? "nocturne" };
}

function parseRedisUrl(url: string): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined;
  return {
    host: parsed.hostname || "127.0.0.1",
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: Number.isInteger(db) ? db : undefined,
    tls: parsed.protocol === "rediss:" ? {} : undefined,
  };
}

/** A new ioredis client for the runner's own keys. */
export function openRedis(connection: ResolvedConnection): Redis {
  return new Redis(connection.options);
}
