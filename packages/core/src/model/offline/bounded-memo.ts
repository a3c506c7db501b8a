/** Keys longer than this are not kept: a long text is rarely read twice. */
const MAX_KEY = 600;

/**
 * The results of a pure function for its most recent distinct keys, up to `limit` (the oldest is dropped first).
 * Results are shared between callers and must not be changed.
 */
export class BoundedMemo<V> {
  private readonly values = new Map<string, V>();

  constructor(private readonly limit: number) {}

  /** The value for `key`, kept or computed by `compute`. */
  of(key: string, compute: () => V): V {
    const kept = this.values.get(key);
    if (kept !== undefined) return kept;
    const value = compute();
    if (key.length > MAX_KEY || this.limit === 0) return value;
    if (this.values.size >= this.limit) {
      const oldest = this.values.keys().next().value;
      if (oldest !== undefined) this.values.delete(oldest);
    }
    this.values.set(key, value);
    return value;
  }
}
