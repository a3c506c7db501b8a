// Public API of @nocturne/server: the hosted Dreams and Memory Stores API over HTTP, on any Nocturne engine.

export { hashApiKey, type IssuedApiKey, issueApiKey, verifyApiKey } from "./api-keys.js";
export { createApp } from "./create-app.js";
export { type ErrorEnvelope, HttpError } from "./http-error.js";
export type { ResolvedLimits, ServerLimits, ServerOptions } from "./server-options.js";
export { openPostgresTenancyStore, type PostgresTenancyOptions } from "./postgres-tenancy-store.js";
export { type RunningServer, type StartServerOptions, startServer } from "./start-server.js";
export {
  type ApiKeyRecord,
  type OwnedKind,
  type OwnedRow,
  openTenancyStore,
  type TenancyStore,
} from "./tenancy-store.js";
