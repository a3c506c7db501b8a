import type { Steps } from "./pacer.js";

/**
 * A deep copy of plain data, as steps for a pacer to run: objects are copied key by key and arrays element by
 * element, each element copied at once with `structuredClone` (one step each), so copying a large report never holds
 * the event loop longer than one of its entries takes. The copy equals what `structuredClone` gives, except that a
 * value shared by two places is copied twice; anything but plain objects and arrays is left to `structuredClone`.
 */
export function* copySteps<T>(value: T): Steps<T> {
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    for (const item of value) {
      copy.push(structuredClone(item));
      yield;
    }
    return copy as T;
  }
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = yield* copySteps(item);
    return copy as T;
  }
  return structuredClone(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
