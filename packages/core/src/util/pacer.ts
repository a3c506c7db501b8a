import { performance } from "node:perf_hooks";
import { setImmediate } from "node:timers";
import { abortedError } from "./retry.js";

/** Longest stretch of synchronous work between two turns of the event loop, in milliseconds. */
export const SLICE_MS = 5;

/** Generator steps run between two reads of the clock (counted across runs of one pacer): a step is small, a read is not free. */
const STEPS_PER_CLOCK_READ = 8;

/**
 * When the current slice of synchronous work began. One clock for the process, because there is one event loop:
 * work of several dreams or calls that run back to back in one turn shares one slice.
 */
let sliceStart = performance.now();

/** Work waiting for a turn of the event loop, first come first served. */
const waiting: Array<() => void> = [];
let turnScheduled = false;

/**
 * Resolves on a later turn of the event loop (`setImmediate`: after timers and I/O had their go), where a new slice
 * begins. Each turn resumes one waiter, in the order they came, so work waiting side by side (the chunks of a dream,
 * several dreams) takes one slice per turn instead of all resuming in the same turn. A waiter whose `signal` fires
 * leaves the line at once.
 */
function eventLoopTurn(signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    const leave = () => {
      const at = waiting.indexOf(resume);
      if (at >= 0) waiting.splice(at, 1);
      resolve();
    };
    const resume = () => {
      signal?.removeEventListener("abort", leave);
      resolve();
    };
    waiting.push(resume);
    signal?.addEventListener("abort", leave, { once: true });
    if (!turnScheduled) scheduleTurn();
  });
}

function scheduleTurn(): void {
  turnScheduled = true;
  setImmediate(() => {
    turnScheduled = false;
    sliceStart = performance.now();
    waiting.shift()?.();
    if (waiting.length > 0) scheduleTurn();
  });
}

/**
 * Work written as a generator that `yield`s between items: the same code runs to the end at once ({@link finish})
 * or paced on the event loop ({@link Pacer.run}).
 */
export type Steps<T> = Generator<void, T, void>;

/**
 * Keeps long synchronous work from holding the event loop: work asks `due()` between items and, when its slice
 * ({@link SLICE_MS}) is used up, awaits `turn()`, which lets timers, I/O and other callbacks run (`setImmediate`)
 * and then throws the typed `aborted` error if the signal fired meanwhile. Pacing never changes what the work
 * computes, only when it runs.
 */
export interface Pacer {
  /** True when the slice is used up or the signal fired: the caller should `await turn()` before going on. */
  due(): boolean;
  /** Gives the event loop a turn; throws `aborted` (a NocturneError) when the signal fired. */
  turn(): Promise<void>;
  /** For loops: `await pacer.pace()` takes a turn when one is due and costs a clock read otherwise. */
  pace(): Promise<void> | undefined;
  /** Runs generator work to its end, taking a turn whenever one is due between its steps. */
  run<T>(steps: Steps<T>): Promise<T>;
}

/** A pacer that stops work with `aborted` once `signal` fires (never, without a signal). */
export function createPacer(signal?: AbortSignal): Pacer {
  let stepsRun = 0;
  const due = () => signal?.aborted === true || performance.now() - sliceStart >= SLICE_MS;
  const turn = async () => {
    if (signal?.aborted) throw abortedError(signal);
    await eventLoopTurn(signal);
    if (signal?.aborted) throw abortedError(signal);
  };
  return {
    due,
    turn,
    pace: () => (due() ? turn() : undefined),
    async run(steps) {
      for (;;) {
        const next = steps.next();
        if (next.done) return next.value;
        if (++stepsRun % STEPS_PER_CLOCK_READ === 0 && due()) await turn();
      }
    },
  };
}

/** Runs generator work to its end at once, without pacing: for callers that need the result synchronously. */
export function finish<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
