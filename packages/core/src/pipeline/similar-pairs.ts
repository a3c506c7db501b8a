import { BANDS, minHashSignature, ROWS } from "../util/min-hash.js";
import type { Pacer } from "../util/pacer.js";

/** Above this many members, a shared band is too common to compare all pairs; each member meets only its neighbours. */
const LARGE_BUCKET = 64;
const NEIGHBOURS_IN_LARGE_BUCKET = 16;

/** The sets that agree on one band of their signatures, in input order. */
interface Bucket {
  band: number;
  members: number[];
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
  const signatures: Array<Uint32Array | null> = [];
  for (const set of sets) {
    await pacer.pace();
    signatures.push(minHashSignature(set));
  }
  const bucketOf = new Int32Array(sets.length * BANDS);
  const position = new Int32Array(sets.length * BANDS);
  const buckets: Bucket[] = [];
  const byBand = Array.from({ length: BANDS }, () => new Map<number, Array<{ second: number; bucket: number }>>());
  for (const [index, signature] of signatures.entries()) {
    await pacer.pace();
    if (signature === null) continue;
    for (let band = 0; band < BANDS; band++) {
      const first = signature[band * ROWS] as number;
      const second = signature[band * ROWS + 1] as number;
      const byFirst = byBand[band] as Map<number, Array<{ second: number; bucket: number }>>;
      const entries = byFirst.get(first) ?? [];
      if (entries.length === 0) byFirst.set(first, entries);
      let entry = entries.find((candidate) => candidate.second === second);
      if (entry === undefined) {
        entry = { second, bucket: buckets.length };
        entries.push(entry);
        buckets.push({ band, members: [] });
      }
      const members = (buckets[entry.bucket] as Bucket).members;
      bucketOf[index * BANDS + band] = entry.bucket;
      position[index * BANDS + band] = members.length;
      members.push(index);
    }
  }
  const visitedIn = (a: number, b: number, bucket: number): boolean => {
    const at = a * BANDS;
    const bt = b * BANDS;
    for (let band = 0; band < BANDS; band++) {
      const shared = bucketOf[at + band] as number;
      if (shared >= bucket || shared !== bucketOf[bt + band]) continue;
      const members = (buckets[shared] as Bucket).members.length;
      const apart = Math.abs((position[at + band] as number) - (position[bt + band] as number));
      if (members <= LARGE_BUCKET || apart <= NEIGHBOURS_IN_LARGE_BUCKET) return true;
    }
    return false;
  };
  for (const [bucket, { members }] of buckets.entries()) {
    if (members.length < 2) continue;
    await pacer.pace();
    const reach = members.length > LARGE_BUCKET ? NEIGHBOURS_IN_LARGE_BUCKET : members.length;
    for (let x = 0; x < members.length; x++) {
      if (x % LARGE_BUCKET === LARGE_BUCKET - 1) await pacer.pace();
      for (let y = x + 1; y < Math.min(members.length, x + 1 + reach); y++) {
        const a = members[x] as number;
        const b = members[y] as number;
        if (!visitedIn(a, b, bucket)) visit(a, b);
      }
    }
  }
}
