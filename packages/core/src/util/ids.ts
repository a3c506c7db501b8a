import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
let lastTime = 0;
let counter = 0;

function encodeBase32(value: bigint, length: number): string {
  let out = "";
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(rest & 31n)] + out;
    rest >>= 5n;
  }
  return out;
}

/**
 * A new id with the given prefix (`mem`, `memstore`, `drm`, `sesn`, …): time-ordered, so ids sort in creation
 * order within one process, and random enough to never collide across processes.
 */
export function newId(prefix: string): string {
  const now = Date.now();
  counter = now === lastTime ? counter + 1 : 0;
  lastTime = now;
  const time = encodeBase32(BigInt(now), 10);
  const seq = encodeBase32(BigInt(counter), 4);
  const random = encodeBase32(BigInt(`0x${randomBytes(8).toString("hex")}`), 12);
  return `${prefix}_${time}${seq}${random}`;
}
