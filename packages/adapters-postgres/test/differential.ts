import { NocturneError } from "@nocturne/core";

/**
 * Makes results from two adapters comparable: ids become `memstore#1`, `mem#2` … in order of first appearance,
 * timestamps become `<time>`, errors become `{ error: code }`.
 */
export class Normalizer {
  private readonly ids = new Map<string, string>();

  normalize(value: unknown): unknown {
    if (typeof value === "string") {
      const id = /^(memstore|mem|drm|sesn)_[0-9a-z]+$/.exec(value);
      if (id) {
        let name = this.ids.get(value);
        if (!name) {
          name = `${id[1]}#${this.ids.size + 1}`;
          this.ids.set(value, name);
        }
        return name;
      }
      if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)) return "<time>";
      return value;
    }
    if (Array.isArray(value)) return value.map((item) => this.normalize(item));
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, this.normalize(v)]),
      );
    }
    return value;
  }
}

/** Runs an adapter call and returns its normalized outcome, value or error code. */
export async function outcome(normalizer: Normalizer, call: () => Promise<unknown>): Promise<unknown> {
  try {
    return { ok: normalizer.normalize(await call()) };
  } catch (error) {
    if (NocturneError.isInstance(error)) return { error: error.code };
    throw error;
  }
}

/** A small deterministic PRNG (mulberry32), so randomized runs repeat exactly for a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
