// When a crashed process is started again, and when the devstack stops trying. Pure: the
// supervisor passes the times in.

/** How a supervisor restarts a process that crashed. */
export interface RestartPolicy {
  /** Wait before restarting after the first crash; each further crash doubles it. */
  firstDelayMs: number;
  /** The longest wait between a crash and the restart. */
  maxDelayMs: number;
  /** After this many crashes within `windowMs` the process stays down. */
  maxCrashes: number;
  windowMs: number;
  /** A process that ran at least this long before it crashed starts a fresh count. */
  stableAfterMs: number;
}

/** 0.5 s doubling to 10 s; five crashes within a minute and it stays down. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  firstDelayMs: 500,
  maxDelayMs: 10_000,
  maxCrashes: 5,
  windowMs: 60_000,
  stableAfterMs: 30_000,
};

/** What to do about a crash; `crashes` are the crash times to remember for the next one. */
export type RestartDecision =
  | { action: "restart"; delayMs: number; crash: number; crashes: number[] }
  | { action: "give-up"; crash: number; crashes: number[] };

/**
 * Decides what follows a crash at `now` of a process that had been up since `upSince` (pass
 * `now` when it never got ready), given the times of the crashes remembered so far.
 */
export function decideRestart(policy: RestartPolicy, earlier: readonly number[], upSince: number, now: number): RestartDecision {
  const stable = now - upSince >= policy.stableAfterMs;
  const recent = stable ? [] : earlier.filter((t) => now - t < policy.windowMs);
  const crashes = [...recent, now];
  const crash = crashes.length;
  if (crash >= policy.maxCrashes) return { action: "give-up", crash, crashes };
  const delayMs = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (crash - 1));
  return { action: "restart", delayMs, crash, crashes };
}
