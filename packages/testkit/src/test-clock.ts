import type { Clock } from "@triphub/platform";

/** A clock a test moves by hand; see {@link testClock}. */
export interface TestClock {
  /** What the services read: the time as last set, standing still in between. */
  now: Clock;
  /** Jumps to `at` (forwards or back). */
  set(at: Date | string): void;
  /** Moves on by `ms`. */
  advance(ms: number): void;
}

/**
 * One clock for a whole test platform: hand `now` to every service (and to token verifiers and
 * token sources), so expiry, "today" and token lifetimes all move together when the test moves
 * it. Time stands still unless the test moves it.
 */
export function testClock(start: Date | string = "2026-03-01T00:00:00.000Z"): TestClock {
  let current = new Date(start);
  return {
    now: () => current,
    set: (at) => {
      current = new Date(at);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}
