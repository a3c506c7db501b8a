// Public API of @nocturne/adapters-sqlite.
export { MIGRATIONS, SCHEMA_VERSION } from "./migrations.js";
export { createSqliteAdapter, SqliteAdapter, type SqliteAdapterOptions } from "./sqlite-adapter.js";
