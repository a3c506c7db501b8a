import {
  errorCodeInfo,
  HOSTED_ERROR_STATUS,
  type HostedErrorType,
  NocturneError,
  toNocturneError,
} from "@nocturne/core";

/**
 * A failure the HTTP layer itself raises (authentication, permission, limits, a malformed request): a hosted error
 * type, whose status comes from core's {@link HOSTED_ERROR_STATUS} like every other error's.
 */
export class HttpError extends Error {
  readonly type: HostedErrorType;
  /** Extra response headers, e.g. `retry-after`. */
  readonly headers: Record<string, string>;

  constructor(type: HostedErrorType, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = "HttpError";
    this.type = type;
    this.headers = headers;
  }
}

/** The hosted error envelope. */
export interface ErrorEnvelope {
  type: "error";
  error: { type: HostedErrorType; message: string };
}

/** What an error answers with: status, envelope and headers. Nocturne errors map through core's error table. */
export function errorResponse(error: unknown): {
  status: number;
  body: ErrorEnvelope;
  headers: Record<string, string>;
} {
  if (error instanceof HttpError) {
    return {
      status: HOSTED_ERROR_STATUS[error.type],
      body: envelope(error.type, error.message),
      headers: error.headers,
    };
  }
  const failure = NocturneError.isInstance(error) ? error : toNocturneError(error);
  const info = errorCodeInfo(failure.code);
  const headers: Record<string, string> = {};
  // The SDK retries 409s and 5xx unless told not to; a retry of a non-retryable failure cannot succeed.
  if (!failure.retryable) headers["x-should-retry"] = "false";
  const message =
    info.hosted === "api_error" && failure.code === "internal_error" ? "Internal server error." : failure.message;
  return { status: HOSTED_ERROR_STATUS[info.hosted], body: envelope(info.hosted, message), headers };
}

function envelope(type: HostedErrorType, message: string): ErrorEnvelope {
  return { type: "error", error: { type, message } };
}
