import type { Steps } from "./pacer.js";

/**
 * Sets of words as sorted arrays of word numbers (one number per distinct word across all the sets), so comparing
 * two of them is a merge of two short integer arrays instead of string lookups. As steps (one per set), for a pacer.
 */
export function* internSets(sets: readonly ReadonlySet<string>[]): Steps<Int32Array[]> {
  const ids = new Map<string, number>();
  const interned: Int32Array[] = [];
  for (const set of sets) {
    const numbers = new Int32Array(set.size);
    let at = 0;
    for (const word of set) {
      let id = ids.get(word);
      if (id === undefined) {
        id = ids.size;
        ids.set(word, id);
      }
      numbers[at++] = id;
    }
    interned.push(numbers.sort());
    yield;
  }
  return interned;
}

/** Jaccard similarity of two interned sets: the same value `jaccard` gives for the word sets they came from. */
export function jaccardOfInterned(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let shared = 0;
  let x = 0;
  let y = 0;
  while (x < a.length && y < b.length) {
    const left = a[x] as number;
    const right = b[y] as number;
    if (left === right) {
      shared++;
      x++;
      y++;
    } else if (left < right) x++;
    else y++;
  }
  return shared / (a.length + b.length - shared);
}
