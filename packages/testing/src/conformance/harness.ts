import type { StorageAdapter } from "@nocturne/core";
import type { ConformanceRunner } from "./runner.js";

/** What a conformance factory returns: a fresh adapter, and optionally how to reopen its storage and clean up. */
export interface ConformanceFixture {
  /** A fresh adapter over empty storage. */
  adapter: StorageAdapter;
  /**
   * Opens another adapter over the same storage. Needed by the `persistent` checks (close, reopen, read back) and
   * the `multiProcess` checks (two adapters open at once).
   */
  reopen?: () => StorageAdapter | Promise<StorageAdapter>;
  /** Removes what the factory made (temp folders, database files). Runs after every adapter is closed. */
  cleanup?: () => void | Promise<void>;
  /**
   * True when `text` is found anywhere the adapter keeps data (its files, database file and log, every table). With
   * it, the memory-version checks prove that a redaction leaves no copy behind; without it they check the API only.
   */
  storageContains?: (text: string) => Promise<boolean>;
}

/** Builds a fresh fixture; called once per test. */
export type ConformanceFactory = () => ConformanceFixture | Promise<ConformanceFixture>;

/** Which optional checks to run. Each must match what the adapter declares in `capabilities`. */
export interface AdapterConformanceOptions {
  /** Run the reopen checks: data written, adapter closed, a new adapter from `reopen` reads it all back. */
  persistent?: boolean;
  /** Run the checks with two adapters (the second from `reopen`) writing the same storage at once. */
  multiProcess?: boolean;
  /** Run the memory-version checks: the adapter declares `capabilities.memoryVersions` and has `memoryVersions`. */
  memoryVersions?: boolean;
}

/** The live fixture of the current test. */
export interface Harness {
  /** The test runner's functions the checks register with. */
  readonly runner: ConformanceRunner;
  /** The adapter of the current test. */
  readonly adapter: StorageAdapter;
  /** A second adapter over the same storage (from the factory's `reopen`). */
  reopen(): Promise<StorageAdapter>;
  /** Closes one adapter now (it is not closed again after the test). */
  close(adapter: StorageAdapter): Promise<void>;
  /** The fixture's `storageContains`, when it has one. */
  readonly storageContains: ((text: string) => Promise<boolean>) | undefined;
}

/**
 * Wraps an adapter so that a method which throws instead of returning a rejected promise fails the test with a
 * message saying so (callers `await` adapter calls, and a synchronous throw escapes their error handling).
 */
function rejectsOnly(adapter: StorageAdapter): StorageAdapter {
  return new Proxy(adapter, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        try {
          return value.apply(target, args);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          return Promise.reject(
            new Error(
              `${target.name}.${String(key)}() threw synchronously instead of returning a rejected promise (${reason}). Declare the method async.`,
            ),
          );
        }
      };
    },
  });
}

/** Registers per-test set-up and tear-down in the enclosing `describe` and returns the handle tests use. */
export function useHarness(runner: ConformanceRunner, factory: ConformanceFactory): Harness {
  let fixture: ConformanceFixture | undefined;
  let current: StorageAdapter | undefined;
  let open: StorageAdapter[] = [];

  runner.beforeEach(async () => {
    fixture = await factory();
    current = rejectsOnly(fixture.adapter);
    open = [current];
  });

  runner.afterEach(async () => {
    const adapters = open.reverse();
    open = [];
    try {
      for (const adapter of adapters) await adapter.close?.();
    } finally {
      await fixture?.cleanup?.();
      fixture = undefined;
      current = undefined;
    }
  });

  return {
    runner,
    get adapter(): StorageAdapter {
      if (!current) throw new Error("the conformance harness is only usable inside a test");
      return current;
    },
    async reopen(): Promise<StorageAdapter> {
      if (!fixture?.reopen) {
        throw new Error("this check needs a `reopen` hook: return { adapter, reopen } from the conformance factory");
      }
      const adapter = rejectsOnly(await fixture.reopen());
      open.push(adapter);
      return adapter;
    },
    async close(adapter: StorageAdapter): Promise<void> {
      open = open.filter((other) => other !== adapter);
      await adapter.close?.();
    },
    get storageContains() {
      return fixture?.storageContains;
    },
  };
}
