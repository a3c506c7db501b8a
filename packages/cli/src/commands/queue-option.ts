import { usageError } from "../exit-codes.js";
import { isPostgres } from "../open-storage.js";

/**
 * `--queue redis://host:port[/db][?prefix=<p>]`: the Redis of the BullMQ runner and the prefix of its keys
 * (default `nocturne`; every server and worker of one deployment uses the same).
 */
export function queueTarget(spec: string): { connection: string; prefix?: string } {
  if (!/^rediss?:\/\//.test(spec)) {
    throw usageError(`--queue must be a redis:// (or rediss://) URL such as redis://127.0.0.1:6379, not "${spec}".`);
  }
  const url = new URL(spec);
  const prefix = url.searchParams.get("prefix");
  url.searchParams.delete("prefix");
  return { connection: url.toString(), ...(prefix === null || prefix === "" ? {} : { prefix }) };
}

/** The `--storage` of a command with `--queue`: PostgreSQL only, since workers on other machines must share it. */
export function sharedStorage(spec: string | undefined, command: string): string {
  if (spec === undefined || !isPostgres(spec)) {
    throw usageError(
      `nocturne ${command} --queue needs --storage postgres://…: its dreams run on workers, possibly on other machines, which must all reach the same storage (a SQLite file or a folder cannot be shared).`,
      "Start PostgreSQL and pass its URL, or leave --queue out to run dreams in this process.",
    );
  }
  return spec;
}

/** The BullMQ runner, loaded only when `--queue` is given, so no other command pays for it. */
export function loadRunner(): Promise<typeof import("@nocturne/runner-bullmq")> {
  return import("@nocturne/runner-bullmq");
}

/** A storage or queue URL as logs show it: its password replaced. */
export function shownUrl(spec: string): string {
  return spec.replace(/^([a-z]+:\/\/[^:@/]*):[^@/]*@/, "$1:***@");
}
