// Deterministic randomness for the demo history: the same seed gives the same stays everywhere.
import { createHash } from "node:crypto";

/** A source of numbers in [0, 1). */
export type Rand = () => number;

/** mulberry32: small, fast and the same on every platform. */
export function rng(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A generator seeded by `name`. */
export const rngFor = (name: string): Rand => rng(createHash("sha256").update(name).digest().readUInt32BE(0));

/** An integer in [lo, hi]. */
export const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

/** A UUID (version 4 layout) derived from `name`. */
export function uuidFrom(name: string): string {
  const h = createHash("sha256").update(name).digest("hex").slice(0, 32).split("");
  h[12] = "4";
  h[16] = ((Number.parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
