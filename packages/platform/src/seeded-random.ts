/** A source of numbers in [0, 1). */
export type Rand = () => number;

/**
 * mulberry32: small, fast and the same on every platform, so a seed always gives the same demo
 * data (catalogue, accounts, stays) on every machine. Not for anything secret.
 */
export function seededRandom(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
