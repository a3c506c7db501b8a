import type { DreamService } from "@nocturne/core";
import type { TenancyStore } from "./tenancy-store.js";

/** Limits and defaults of a server; every field has a default (see docs/server.md). */
export interface ServerLimits {
  /** Largest request body, in bytes; a larger one is a 413 `request_too_large`. Default 16 MiB. */
  maxBodyBytes?: number;
  /** Requests one API key may make per second, on average. Default 20. */
  requestsPerSecond?: number;
  /** Requests one API key may make at once after being idle (the bucket size). Default 100. */
  burst?: number;
  /** Most memory stores one workspace may hold (created or written by its dreams). Default 1,000. */
  maxMemoryStoresPerWorkspace?: number;
  /** Runtime budget of each dream, in milliseconds. Default: core's (6 hours). */
  dreamTimeoutMs?: number;
}

/**
 * What a server runs on: the dreams service (an in-process engine, or `DistributedNocturne` over BullMQ workers)
 * with its storage, and the tenancy store.
 */
export interface ServerOptions {
  nocturne: DreamService;
  tenancy: TenancyStore;
  limits?: ServerLimits;
}

/** The limits with their defaults filled in. */
export interface ResolvedLimits {
  maxBodyBytes: number;
  requestsPerSecond: number;
  burst: number;
  maxMemoryStoresPerWorkspace: number;
  dreamTimeoutMs: number | undefined;
}

/** Fills in the default of every limit left out. */
export function resolveLimits(limits: ServerLimits = {}): ResolvedLimits {
  return {
    maxBodyBytes: limits.maxBodyBytes ?? 16 * 1024 * 1024,
    requestsPerSecond: limits.requestsPerSecond ?? 20,
    burst: limits.burst ?? 100,
    maxMemoryStoresPerWorkspace: limits.maxMemoryStoresPerWorkspace ?? 1000,
    dreamTimeoutMs: limits.dreamTimeoutMs,
  };
}
