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

/** A clock that runs like the real one from where it started, and jumps when a test moves it. */
export interface RunningClock {
  now: Clock;
  /** Jumps `ms` ahead (it keeps running from there). */
  advance(ms: number): void;
}

/**
 * For platforms whose work waits on real answers (the booking saga's timeouts and leases): time
 * passes as it does outside, starting at `start`, and tests jump it ahead to reach check-outs
 * and deadlines.
 */
export function runningClock(start: Date | string): RunningClock {
  const base = new Date(start).getTime() - performance.now();
  let offset = 0;
  return {
    now: () => new Date(base + performance.now() + offset),
    advance: (ms) => {
      offset += ms;
    },
  };
}
