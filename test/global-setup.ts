import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";

/**
 * Vitest global setup: makes sure PostgreSQL (127.0.0.1:5432, database `test`) and Redis (127.0.0.1:6379) are
 * up before any test file runs, starting the Debian-packaged services when they are not. It never fails the run:
 * on a machine without them it warns, and only the tests that need them fail (with a connection error).
 */

const HOST = "127.0.0.1";
const PG_PORT = 5432;
const REDIS_PORT = 6379;

/** Sends `payload` to a loopback port and resolves with the first bytes the server answers, or null. */
function probe(port: number, payload: Buffer): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    const done = (answer: Buffer | null) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1000, () => done(null));
    socket.once("error", () => done(null));
    socket.once("connect", () => socket.write(payload));
    socket.once("data", (data: Buffer) => done(data));
  });
}

/** PostgreSQL answers an SSLRequest with one byte, `S` or `N`. */
async function postgresUp(): Promise<boolean> {
  const sslRequest = Buffer.alloc(8);
  sslRequest.writeInt32BE(8, 0);
  sslRequest.writeInt32BE(80877103, 4);
  const answer = await probe(PG_PORT, sslRequest);
  return answer !== null && (answer[0] === 0x53 || answer[0] === 0x4e);
}

async function redisUp(): Promise<boolean> {
  const answer = await probe(REDIS_PORT, Buffer.from("PING\r\n"));
  return answer?.toString().startsWith("+PONG") ?? false;
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return check();
}

function startPostgres(): void {
  for (const version of readdirSync("/etc/postgresql")) {
    spawnSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "start"], { stdio: "ignore" });
  }
}

function startRedis(): void {
  execFileSync(
    "redis-server",
    [
      "--daemonize",
      "yes",
      "--bind",
      "127.0.0.1",
      "-::1",
      "--port",
      String(REDIS_PORT),
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      "/var/lib/redis",
      "--logfile",
      "/var/log/redis/ci.log",
    ],
    { stdio: "ignore" },
  );
}

/** Creates the `test` database when it is missing (tests make their own schemas inside it). */
async function ensureTestDatabase(): Promise<void> {
  const require = createRequire(new URL("../packages/adapters-postgres/package.json", import.meta.url));
  const pg = require("pg") as typeof import("pg");
  const client = new pg.Client({ host: HOST, port: PG_PORT, user: "postgres", database: "postgres" });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = 'test'");
    if (found.rowCount === 0) await client.query("CREATE DATABASE test");
  } catch (error) {
    if ((error as { code?: string }).code !== "42P04") throw error;
  } finally {
    await client.end();
  }
}

async function ensure(name: string, up: () => Promise<boolean>, start: () => void): Promise<boolean> {
  if (await up()) return true;
  try {
    start();
  } catch (error) {
    console.warn(`[global-setup] could not start ${name}: ${(error as Error).message}`);
  }
  const ok = await waitFor(up, 15_000);
  if (!ok) console.warn(`[global-setup] ${name} is not reachable on ${HOST}; tests that need it will fail.`);
  return ok;
}

export default async function setup(): Promise<void> {
  const [postgres] = await Promise.all([
    ensure("PostgreSQL", postgresUp, startPostgres),
    ensure("Redis", redisUp, startRedis),
  ]);
  if (postgres) {
    await ensureTestDatabase().catch((error: Error) => {
      console.warn(`[global-setup] could not prepare database "test": ${error.message}`);
    });
  }
}
