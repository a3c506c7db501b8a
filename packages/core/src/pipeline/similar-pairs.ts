import { BANDS, ROWS, SIGNATURE_LENGTH, writeMinHashSignature } from "../util/min-hash.js";
import type { Pacer } from "../util/pacer.js";

/** Above this many members, a shared band is too common to compare all pairs; each member meets only its neighbours. */
const LARGE_BUCKET = 64;
const NEIGHBOURS_IN_LARGE_BUCKET = 16;

/**
 * The buckets of a set of signatures, in flat typed arrays (a few large arrays instead of an object per bucket, so a
 * 20k-fact dream gives the garbage collector little to copy). Bucket `b` holds the sets `members[start[b] ..
 * start[b] + size[b])` in input order; `bucketOf[i * BANDS + band]` and `position[i * BANDS + band]` say where set
 * `i` sits in that band (-1 for an empty set).
 */
interface Buckets {
  count: number;
  start: Int32Array;
  size: Int32Array;
  members: Int32Array;
  bucketOf: Int32Array;
  position: Int32Array;
}

/**
 * Visits the pairs of sets that agree on a band of their MinHash signatures: every pair of a bucket, or in a bucket of
 * more than {@link LARGE_BUCKET} sets each set with its {@link NEIGHBOURS_IN_LARGE_BUCKET} next ones. Buckets come in
 * the order their first member meets them (set by set, band by band), and a pair that meets in several buckets is
 * visited only in the first, so the visits are those of visiting every bucket's pairs, repeats left out. Gives the
 * event loop turns through `pacer`.
 */
export async function forEachSimilarPair(
  sets: readonly ReadonlySet<string>[],
  pacer: Pacer,
  visit: (a: number, b: number) => void,
): Promise<void> {
  const signatures = new Uint32Array(sets.length * SIGNATURE_LENGTH);
  const present: number[] = [];
  for (const [index, set] of sets.entries()) {
    await pacer.pace();
    if (writeMinHashSignature(set, signatures, index * SIGNATURE_LENGTH)) present.push(index);
  }
  const { count, start, size, members, bucketOf, position } = await bucketsOf(signatures, sets.length, present, pacer);
  const visitedIn = (a: number, b: number, bucket: number): boolean => {
    const at = a * BANDS;
    const bt = b * BANDS;
    for (let band = 0; band < BANDS; band++) {
      const shared = bucketOf[at + band] as number;
      if (shared >= bucket || shared !== bucketOf[bt + band]) continue;
      const apart = Math.abs((position[at + band] as number) - (position[bt + band] as number));
      if ((size[shared] as number) <= LARGE_BUCKET || apart <= NEIGHBOURS_IN_LARGE_BUCKET) return true;
    }
    return false;
  };
  for (let bucket = 0; bucket < count; bucket++) {
    const length = size[bucket] as number;
    if (length < 2) continue;
    await pacer.pace();
    const first = start[bucket] as number;
    const reach = length > LARGE_BUCKET ? NEIGHBOURS_IN_LARGE_BUCKET : length;
    for (let x = 0; x < length; x++) {
      if (x % LARGE_BUCKET === LARGE_BUCKET - 1) await pacer.pace();
      for (let y = x + 1; y < Math.min(length, x + 1 + reach); y++) {
        const a = members[first + x] as number;
        const b = members[first + y] as number;
        if (!visitedIn(a, b, bucket)) visit(a, b);
      }
    }
  }
}

/**
 * Groups the sets by band: per band, the sets sorted by the band's two hashes (input order among equals), so each run
 * of equal hashes is a bucket. Buckets are numbered by their first member, then band: the order in which a scan set by
 * set, band by band, would first meet them.
 */
async function bucketsOf(
  signatures: Uint32Array,
  sets: number,
  present: readonly number[],
  pacer: Pacer,
): Promise<Buckets> {
  const members = new Int32Array(present.length * BANDS);
  const runAt = new Int32Array(sets * BANDS).fill(-1);
  const runSize = new Int32Array(sets * BANDS);
  for (let band = 0; band < BANDS; band++) {
    await pacer.pace();
    const hash = (set: number, row: number) => signatures[set * SIGNATURE_LENGTH + band * ROWS + row] as number;
    const order = sortedByBand(present, hash);
    const offset = band * present.length;
    members.set(order, offset);
    for (let at = 0; at < order.length; ) {
      const first = order[at] as number;
      let end = at + 1;
      while (
        end < order.length &&
        hash(order[end] as number, 0) === hash(first, 0) &&
        hash(order[end] as number, 1) === hash(first, 1)
      )
        end++;
      runAt[first * BANDS + band] = offset + at;
      runSize[first * BANDS + band] = end - at;
      at = end;
    }
  }
  const start = new Int32Array(present.length * BANDS);
  const size = new Int32Array(present.length * BANDS);
  const bucketOf = new Int32Array(sets * BANDS).fill(-1);
  const position = new Int32Array(sets * BANDS);
  let count = 0;
  for (let key = 0; key < runAt.length; key++) {
    if (key % (BANDS * 64) === 0) await pacer.pace();
    const from = runAt[key] as number;
    if (from < 0) continue;
    const band = key % BANDS;
    const length = runSize[key] as number;
    start[count] = from;
    size[count] = length;
    for (let at = 0; at < length; at++) {
      const member = members[from + at] as number;
      bucketOf[member * BANDS + band] = count;
      position[member * BANDS + band] = at;
    }
    count++;
  }
  return { count, start, size, members, bucketOf, position };
}

/** Sets per sort key: a key is the band's first hash times this plus the set's index, exact in a double. */
const INDEX_RANGE = 2 ** 21;

/**
 * The sets ordered by the band's two hashes, then by index. Sorted natively on numeric keys (the first hash and the
 * index packed into one double), then runs that share a first hash by the second the same way: a comparator sort of
 * every set in every band held the event loop 10–16 ms at 20k facts.
 */
function sortedByBand(present: readonly number[], hash: (set: number, row: number) => number): Int32Array {
  if (present.length >= INDEX_RANGE) {
    return Int32Array.from(present).sort((a, b) => hash(a, 0) - hash(b, 0) || hash(a, 1) - hash(b, 1) || a - b);
  }
  const order = sortedBy(Int32Array.from(present), (set) => hash(set, 0));
  for (let at = 0; at < order.length; ) {
    const first = hash(order[at] as number, 0);
    let end = at + 1;
    while (end < order.length && hash(order[end] as number, 0) === first) end++;
    if (end - at > 1)
      order.set(
        sortedBy(order.subarray(at, end), (set) => hash(set, 1)),
        at,
      );
    at = end;
  }
  return order;
}

/** `sets` ordered by `key` (a 32-bit hash), then by set index, with one native sort of packed numeric keys. */
function sortedBy(sets: Int32Array, key: (set: number) => number): Int32Array {
  const keys = new Float64Array(sets.length);
  for (let at = 0; at < sets.length; at++) {
    const set = sets[at] as number;
    keys[at] = key(set) * INDEX_RANGE + set;
  }
  keys.sort();
  const order = new Int32Array(sets.length);
  for (let at = 0; at < keys.length; at++) order[at] = (keys[at] as number) % INDEX_RANGE;
  return order;
}
