import type { Steps } from "./pacer.js";

/** Items sorted at once (natively) before runs are merged, and items merged between two steps. */
const RUN = 64;

/**
 * A stable sort as steps for a pacer: runs of {@link RUN} items sorted natively, then merged pairwise, a step every
 * {@link RUN} items. Gives exactly what `[...items].sort(compare)` gives (both are stable), without holding the
 * event loop for a large list.
 */
export function* sortSteps<T>(items: readonly T[], compare: (a: T, b: T) => number): Steps<T[]> {
  let source = [...items];
  for (let start = 0; start < source.length; start += RUN) {
    const run = source.slice(start, start + RUN).sort(compare);
    for (const [offset, item] of run.entries()) source[start + offset] = item;
    yield;
  }
  let target = new Array<T>(source.length);
  for (let width = RUN; width < source.length; width *= 2) {
    for (let left = 0; left < source.length; left += 2 * width) {
      const middle = Math.min(left + width, source.length);
      const end = Math.min(left + 2 * width, source.length);
      let a = left;
      let b = middle;
      for (let out = left; out < end; out++) {
        const takeRight = a >= middle || (b < end && compare(source[b] as T, source[a] as T) < 0);
        target[out] = (takeRight ? source[b++] : source[a++]) as T;
        if ((out + 1) % RUN === 0) yield;
      }
    }
    [source, target] = [target, source];
  }
  return source;
}
