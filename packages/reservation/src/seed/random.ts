// Deterministic randomness for the demo history: the same seed gives the same stays everywhere.
import { createHash } from "node:crypto";

import { type Rand, seededRandom } from "@triphub/platform";

export type { Rand };

/** A generator seeded by `name`. */
export const rngFor = (name: string): Rand => seededRandom(createHash("sha256").update(name).digest().readUInt32BE(0));

/** An integer in [lo, hi]. */
export const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
