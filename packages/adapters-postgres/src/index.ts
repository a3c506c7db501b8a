// Public API of @nocturne/adapters-postgres.

export { type ListMemoriesQueryInput, listMemoriesQuery, type SqlQuery } from "./list-memories-query.js";
export { assertSchemaVersion, migrate, schemaVersion } from "./migrate.js";
export { LATEST_VERSION, MIGRATIONS, type Migration } from "./migrations.js";
export { toStorageError } from "./pg-errors.js";
export { createPostgresAdapter, PostgresAdapter, type PostgresAdapterOptions } from "./postgres-adapter.js";
export { prefixUpperBound } from "./prefix-range.js";
