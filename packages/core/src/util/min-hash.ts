const HASHES = 64;
/** Bands of a signature: two sets share a band when both its hashes agree. */
export const BANDS = 32;
/** Hashes per band. */
export const ROWS = HASHES / BANDS;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function mix(value: number, seed: number): number {
  let hash = Math.imul(value ^ seed, 0x9e3779b1);
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x85ebca77);
  hash ^= hash >>> 13;
  return hash >>> 0;
}

const SEEDS = Uint32Array.from({ length: HASHES }, (_, index) => mix(index + 1, 0x27d4eb2f));

/** Hashes in one signature: {@link BANDS} bands of {@link ROWS}. */
export const SIGNATURE_LENGTH = HASHES;

/**
 * Writes the MinHash signature of a word set (64 hashes, read as 32 bands of 2) into `target` at `offset`; false for
 * an empty set (nothing written). Two sets agree on a band with probability close to 1 − (1 − J²)^32 for Jaccard
 * similarity J (0.998 at J = 0.43, 0.95 at J = 0.3), so near-duplicates meet in some band without comparing all pairs.
 */
export function writeMinHashSignature(words: Iterable<string>, target: Uint32Array, offset: number): boolean {
  target.fill(0xffffffff, offset, offset + HASHES);
  let empty = true;
  for (const word of words) {
    empty = false;
    const base = fnv1a(word);
    for (let i = 0; i < HASHES; i++) {
      const hashed = mix(base, SEEDS[i] as number);
      if (hashed < (target[offset + i] as number)) target[offset + i] = hashed;
    }
  }
  return !empty;
}
