import { normalizeEmail } from "./user.js";

/** How failed logins are limited: a fixed window that starts at the first failure. */
export const LOGIN_THROTTLE = {
  windowSeconds: 15 * 60,
  /** Failed logins per account (email) per window; then the account is locked for the rest of it. */
  maxPerAccount: 5,
  /** Failed logins per client IP per window, across all accounts (password spraying). */
  maxPerIp: 20,
} as const;

/** Failures counted under one key since `windowStartedAt`. */
export interface FailureWindow {
  failures: number;
  windowStartedAt: Date;
}

/** The two counters that guard one login attempt. */
export interface ThrottleKeys {
  account: string;
  ip: string;
}

/** The stored windows of both keys of a login attempt (undefined: no failures recorded). */
export interface LoginThrottleState {
  account?: FailureWindow;
  ip?: FailureWindow;
}

/**
 * The counter keys for a login from `ip` as `email`. Record a failure under both; after a
 * successful login clear only the account key, so one good password cannot reset the IP's
 * count while it sprays other accounts.
 */
export function throttleKeys(email: string, ip: string): ThrottleKeys {
  return { account: `account:${normalizeEmail(email)}`, ip: `ip:${ip.trim().toLowerCase()}` };
}

/** When a window that started at `windowStartedAt` closes. */
export function windowEnd(windowStartedAt: Date): Date {
  return new Date(windowStartedAt.getTime() + LOGIN_THROTTLE.windowSeconds * 1000);
}

/** Failures that still count at `now`: 0 once the window has closed. */
export function failuresInWindow(window: FailureWindow | undefined, now: Date): number {
  if (window === undefined) return 0;
  return windowEnd(window.windowStartedAt).getTime() > now.getTime() ? window.failures : 0;
}

/** The time until which each locked counter refuses logins. */
function lockEnds(state: LoginThrottleState, now: Date): Date[] {
  const ends: Date[] = [];
  if (state.account && failuresInWindow(state.account, now) >= LOGIN_THROTTLE.maxPerAccount) {
    ends.push(windowEnd(state.account.windowStartedAt));
  }
  if (state.ip && failuresInWindow(state.ip, now) >= LOGIN_THROTTLE.maxPerIp) {
    ends.push(windowEnd(state.ip.windowStartedAt));
  }
  return ends;
}

/**
 * True when a login must be refused without checking the password: the account or the IP
 * has used up its failures for the current window. Check it before verifying the password.
 */
export function isLocked(state: LoginThrottleState, now: Date): boolean {
  return lockEnds(state, now).length > 0;
}

/** Whole seconds until a locked login may be tried again (for a retry hint); 0 when not locked. */
export function retryAfterSeconds(state: LoginThrottleState, now: Date): number {
  const latest = Math.max(0, ...lockEnds(state, now).map((d) => d.getTime()));
  return latest === 0 ? 0 : Math.ceil((latest - now.getTime()) / 1000);
}
