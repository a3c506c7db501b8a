import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  assertSchemaVersion,
  createPostgresAdapter,
  LATEST_VERSION,
  MIGRATIONS,
  migrate,
  schemaVersion,
} from "../src/index.js";
import { dropSchema, PG_URL, sql, uniqueSchema } from "./pg-fixture.js";

const schemas: string[] = [];
const pools: pg.Pool[] = [];
function fresh(label: string): string {
  const schema = uniqueSchema(label);
  schemas.push(schema);
  return schema;
}
function pool(): pg.Pool {
  const made = new pg.Pool({ connectionString: PG_URL, max: 2 });
  pools.push(made);
  return made;
}

afterAll(async () => {
  await Promise.all(pools.map((made) => made.end()));
  for (const schema of schemas) await dropSchema(schema);
});

describe("versioned migrations", () => {
  it("brings an empty schema to the latest version once, recording each migration", async () => {
    const schema = fresh("migrate");
    expect(await schemaVersion(pool(), schema)).toBe(0);
    expect(await migrate(pool(), schema)).toEqual(MIGRATIONS.map((migration) => migration.version));
    expect(await migrate(pool(), schema)).toEqual([]);
    expect(await schemaVersion(pool(), schema)).toBe(LATEST_VERSION);
    const rows = await sql<{ version: number; name: string }>(
      `SELECT version, name FROM "${schema}".nocturne_migrations ORDER BY version`,
    );
    expect(rows).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
  });

  it("is safe when many processes migrate the same schema at once", async () => {
    const schema = fresh("race");
    const results = await Promise.all(Array.from({ length: 5 }, () => migrate(pool(), schema)));
    expect(results.flat().sort()).toEqual(MIGRATIONS.map((migration) => migration.version));
    expect(await schemaVersion(pool(), schema)).toBe(LATEST_VERSION);
  });

  it("rolls a failing migration back whole, leaving no half-made tables", async () => {
    const schema = fresh("rollback");
    await sql(`CREATE SCHEMA "${schema}"`);
    await sql(`CREATE TABLE "${schema}".sessions (blocker int)`);
    await expect(migrate(pool(), schema)).rejects.toMatchObject({ code: "storage_error" });
    expect(await schemaVersion(pool(), schema)).toBe(0);
    const tables = await sql<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
      [schema],
    );
    expect(tables.map((row) => row.table_name)).toEqual(["nocturne_migrations", "sessions"]);
  });

  it("refuses to open a schema that is behind (with migrate: false) or ahead of this package", async () => {
    const behind = fresh("behind");
    await expect(
      createPostgresAdapter({ connectionString: PG_URL, schema: behind, migrate: false }),
    ).rejects.toMatchObject({ code: "storage_error", message: expect.stringContaining("Run migrate()") });

    const ahead = fresh("ahead");
    await migrate(pool(), ahead);
    await sql(`INSERT INTO "${ahead}".nocturne_migrations (version, name) VALUES ($1, 'from the future')`, [
      LATEST_VERSION + 1,
    ]);
    await expect(assertSchemaVersion(pool(), ahead)).rejects.toMatchObject({
      message: expect.stringContaining("Upgrade the package"),
    });
    await expect(migrate(pool(), ahead)).rejects.toMatchObject({ code: "storage_error" });
  });

  it("refuses schema names that are not plain identifiers", async () => {
    for (const schema of ['x"; DROP TABLE y; --', "Upper", "1st", ""]) {
      await expect(createPostgresAdapter({ connectionString: PG_URL, schema })).rejects.toMatchObject({
        code: "invalid_input",
      });
    }
  });
});
