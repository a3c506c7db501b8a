import type { Steps } from "./pacer.js";

/**
 * A binary heap that hands out its items least first by `compare`: the first few of a long list in sorted order
 * without sorting all of it. Built in steps (one per sift), so a pacer can spread a large build over several turns.
 */
export class Heap<T> {
  private constructor(
    private readonly items: T[],
    private readonly compare: (a: T, b: T) => number,
  ) {}

  /** Builds a heap over `items` (the array is taken over, not copied). */
  static *build<T>(items: T[], compare: (a: T, b: T) => number): Steps<Heap<T>> {
    const heap = new Heap(items, compare);
    for (let index = Math.floor(items.length / 2) - 1; index >= 0; index--) {
      heap.siftDown(index);
      yield;
    }
    return heap;
  }

  get size(): number {
    return this.items.length;
  }

  /** Removes and returns the least item, or undefined when empty. */
  pop(): T | undefined {
    const first = this.items[0];
    const last = this.items.pop();
    if (this.items.length > 0 && last !== undefined) {
      this.items[0] = last;
      this.siftDown(0);
    }
    return first;
  }

  private siftDown(start: number): void {
    const { items, compare } = this;
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let least = index;
      if (left < items.length && compare(items[left] as T, items[least] as T) < 0) least = left;
      if (right < items.length && compare(items[right] as T, items[least] as T) < 0) least = right;
      if (least === index) return;
      [items[index], items[least]] = [items[least] as T, items[index] as T];
      index = least;
    }
  }
}
