import type { Steps } from "./pacer.js";

/**
 * A deep copy of plain data, as steps for a pacer to run: objects are copied key by key and arrays element by
 * element, one step per element, so copying a large report never holds the event loop longer than one of its entries
 * takes. The copy equals what `structuredClone` gives, except that a value shared by two places is copied twice;
 * anything else (a Date, a Map; a function, which it refuses) is left to `structuredClone`.
 */
export function* copySteps<T>(value: T): Steps<T> {
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    for (const item of value) {
      copy.push(copyPlain(item));
      yield;
    }
    return copy as T;
  }
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) setOwn(copy, key, yield* copySteps(item));
    return copy as T;
  }
  return copyPlain(value);
}

/**
 * A deep copy of plain data at once: what `structuredClone` gives for JSON-like data, but faster and sharing the
 * (immutable) strings instead of copying them, so a copy of many stored records is mostly their object shells — little
 * for the garbage collector to move. Data must hold no cycles (JSON-like records never do).
 */
export function copyPlain<T>(value: T): T {
  if (typeof value === "function" || typeof value === "symbol") return structuredClone(value);
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(copyPlain) as T;
  if (!isPlainObject(value)) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setOwn(copy, key, copyPlain(value[key]));
  return copy as T;
}

/**
 * Sets an own property, as `structuredClone` does: a key named `__proto__` (JSON data can hold one) stays a property
 * instead of replacing the copy's prototype.
 */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
