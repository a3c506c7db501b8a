import { NocturneError } from "../errors.js";

/** What a provider knows about a failed HTTP call. */
export interface HttpFailure {
  /** e.g. `Anthropic`, `OpenAI-compatible server at http://…`. */
  provider: string;
  status: number;
  headers?: Headers | undefined;
  /** The provider's error type from the body, e.g. `overloaded_error`. */
  type?: string | null | undefined;
  /** The provider's message from the body. */
  message?: string | null | undefined;
  cause?: unknown;
}

/**
 * How long the server asked us to wait: `retry-after-ms`, else `retry-after` in seconds or as an HTTP date.
 * Undefined when neither header is usable.
 */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The typed error for an HTTP failure: 429 → `model_rate_limited`, 529 or `overloaded_error` → `model_overloaded`,
 * 408/504 or `timeout_error` → `model_timeout`, 409 and 5xx → `model_unavailable` (all retryable, honouring
 * `retry-after`); 401/402/403 → `model_auth_failed`; any other 4xx → `model_request_invalid` (not retryable).
 */
export function errorFromHttpFailure(failure: HttpFailure): NocturneError {
  const { provider, status } = failure;
  const said = failure.message ? ` The server said: ${failure.message}` : "";
  const details = { status, ...(failure.type ? { type: failure.type } : {}) };
  const wait = retryAfterMs(failure.headers);
  const retry = (code: ConstructorParameters<typeof NocturneError>[0], message: string) =>
    new NocturneError(code, `${message}${said}`, {
      cause: failure.cause,
      details,
      retryable: true,
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
    });
  if (status === 429)
    return retry(
      "model_rate_limited",
      `${provider} rate-limited the request (HTTP 429); it will be retried after the wait the server asked for. Lower the concurrency if this persists.`,
    );
  if (status === 529 || failure.type === "overloaded_error")
    return retry(
      "model_overloaded",
      `${provider} is overloaded (HTTP ${status}); the call will be retried with backoff.`,
    );
  if (status === 408 || status === 504 || failure.type === "timeout_error")
    return retry("model_timeout", `${provider} timed out (HTTP ${status}); the call will be retried.`);
  if (status === 409 || status >= 500)
    return retry("model_unavailable", `${provider} failed with HTTP ${status}; the call will be retried with backoff.`);
  if (status === 401 || status === 402 || status === 403) {
    return new NocturneError(
      "model_auth_failed",
      `${provider} refused the credentials or account (HTTP ${status}). Check the API key (and billing) and try again.${said}`,
      { cause: failure.cause, details },
    );
  }
  return new NocturneError(
    "model_request_invalid",
    `${provider} rejected the request (HTTP ${status}); retrying will not help. Check the model id, base URL and options.${said}`,
    { cause: failure.cause, details },
  );
}

/** A retryable `model_output_invalid` for output that is cut off, refused or not JSON; the usage rides along. */
export function invalidOutputError(
  message: string,
  details: { usage: unknown; stopReason: string | null; text: string },
  cause?: unknown,
): NocturneError {
  return new NocturneError("model_output_invalid", message, { cause, retryable: true, details });
}
