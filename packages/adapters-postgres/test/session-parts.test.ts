import { randomBytes } from "node:crypto";
import { type SessionEvent, sessionWriterFor } from "@nocturne/core";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createPostgresAdapter } from "../src/index.js";
import { adapterPool, dropSchema, PG_URL, sql, uniqueSchema, uniqueTenant } from "./pg-fixture.js";

const schema = uniqueSchema("parts");
const adapters = adapterPool(schema);

afterAll(async () => {
  await adapters.closeAll();
  await dropSchema(schema);
});

const header = (id: string) => ({ id, title: null, created_at: "2026-03-01T09:30:00Z", metadata: {} });
const events = (count: number, prefix = "evt"): SessionEvent[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `${prefix}_${i}`,
    type: "agent.message" as const,
    processed_at: "2026-03-01T09:30:00.000Z",
    content: [{ type: "text", text: `${prefix} ${i}` }],
  }));

async function partRows(where: string, values: unknown[]): Promise<number> {
  const rows = await sql<{ count: string }>(`SELECT count(*) FROM "${schema}".session_parts WHERE ${where}`, values);
  return Number(rows[0]?.count);
}

describe("sessions written in parts on PostgreSQL", () => {
  it("leave nothing when the writer's connection dies midway: the server rolls its parts back", async () => {
    const application = `nocturne-parts-${randomBytes(4).toString("hex")}`;
    const pool = new pg.Pool({ connectionString: PG_URL, max: 2, application_name: application });
    pool.on("error", () => undefined);
    await adapters.open();
    const storage = await createPostgresAdapter({ pool, schema, tenant: uniqueTenant(), migrate: false });
    try {
      const writer = await sessionWriterFor(storage);
      await writer.append(events(2_500));
      expect(await partRows("tenant IS NULL", [])).toBe(0);
      const killed = await sql<{ killed: boolean }>(
        "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = $1 AND state LIKE 'idle in transaction%'",
        [application],
      );
      expect(killed).toEqual([{ killed: true }]);
      const failed = await writer.append(events(1_000, "more")).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failed).toMatchObject({ name: "NocturneError" });
      await expect(writer.commit(header("sesn_lost"))).rejects.toMatchObject({ code: "invalid_input" });
      expect(await storage.getSession("sesn_lost")).toBeNull();
      expect(await partRows("true", [])).toBe(0);
    } finally {
      await storage.close();
      await pool.end();
    }
  });

  it("keep no parts of a session once it is replaced or deleted, nor of an aborted writer", async () => {
    const tenant = uniqueTenant();
    const storage = await adapters.open(tenant);
    const write = async (count: number, prefix: string) => {
      const writer = await sessionWriterFor(storage);
      await writer.append(events(count, prefix));
      await writer.commit(header("sesn_cycle"));
    };
    const rows = () => partRows("tenant = $1", [tenant]);
    await write(2_500, "first");
    expect(await rows()).toBe(3);
    await write(1_200, "second");
    expect(await rows()).toBe(2);
    expect((await storage.getSession("sesn_cycle"))?.events).toEqual(events(1_200, "second"));
    await storage.putSession({ ...header("sesn_cycle"), events: events(3, "whole") });
    expect(await rows()).toBe(0);
    await write(1_001, "third");
    await storage.deleteSession("sesn_cycle");
    expect(await rows()).toBe(0);
    const aborted = await sessionWriterFor(storage);
    await aborted.append(events(2_000, "aborted"));
    await aborted.abort();
    expect(await partRows("true", [])).toBe(0);
  });
});
