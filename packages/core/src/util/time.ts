/** The current time as an RFC 3339 UTC timestamp with milliseconds, the form every resource uses. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** Milliseconds since the epoch for an RFC 3339 timestamp; NaN-safe ordering helper for sorts. */
export function timeOf(timestamp: string): number {
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? 0 : ms;
}
