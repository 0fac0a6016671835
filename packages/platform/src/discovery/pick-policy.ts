/**
 * How the balancer chooses among the instances in rotation:
 * - `round-robin`: each in turn, whatever it is doing;
 * - `least-outstanding`: the one with the fewest calls in flight from this client, ties taken
 *   in turn (so with no calls in flight it is round robin). The default: an instance that is
 *   slow, overloaded or hanging collects in-flight calls and so gets fewer new ones, where round
 *   robin keeps feeding it its full share until ejection notices.
 */
export type PickPolicy = "round-robin" | "least-outstanding";

/** What a policy needs to know of an instance. */
export interface Pickable {
  readonly outstanding: number;
}

/** Chooses one of `candidates` (never empty). Keeps its own turn, so one picker serves one service. */
export type Picker = <T extends Pickable>(candidates: readonly T[]) => T;

/** A picker for `policy`. */
export function createPicker(policy: PickPolicy): Picker {
  let turn = 0;
  // Wraps long before it could lose precision.
  const next = () => {
    const t = turn;
    turn = turn >= 1e9 ? 0 : turn + 1;
    return t;
  };
  switch (policy) {
    case "round-robin":
      return (candidates) => candidates[next() % candidates.length]!;
    case "least-outstanding":
      return (candidates) => {
        const start = next() % candidates.length;
        let best = candidates[start]!;
        for (let i = 1; i < candidates.length; i++) {
          const c = candidates[(start + i) % candidates.length]!;
          if (c.outstanding < best.outstanding) best = c;
        }
        return best;
      };
    default: {
      const unknown: never = policy;
      throw new Error(`unknown pick policy ${String(unknown)}`);
    }
  }
}
