import { describe, expect, it } from "vitest";
import { LOGIN_THROTTLE, failuresInWindow, isLocked, retryAfterSeconds, throttleKeys } from "../src/domain/login-throttle.js";
import type { LoginThrottleState } from "../src/domain/login-throttle.js";

const start = new Date("2026-02-02T08:00:00.000Z");
const after = (seconds: number) => new Date(start.getTime() + seconds * 1000);
const window = (failures: number) => ({ failures, windowStartedAt: start });

describe("LOGIN_THROTTLE", () => {
  it("allows 5 failures per account and 20 per IP in 15 minutes", () => {
    expect(LOGIN_THROTTLE).toEqual({ windowSeconds: 900, maxPerAccount: 5, maxPerIp: 20 });
  });
});

describe("throttleKeys", () => {
  it("keys the account by its normalized email and the address separately", () => {
    expect(throttleKeys(" Jane@Example.com", "203.0.113.7")).toEqual({
      account: "account:jane@example.com",
      ip: "ip:203.0.113.7",
    });
  });
});

describe("failuresInWindow", () => {
  it.each([
    [0, 3],
    [899, 3],
    [900, 0],
    [3600, 0],
  ])("counts 3 failures %i s into the window as %i", (seconds, expected) => {
    expect(failuresInWindow(window(3), after(seconds))).toBe(expected);
  });

  it("counts nothing without a window", () => {
    expect(failuresInWindow(undefined, start)).toBe(0);
  });
});

describe("isLocked", () => {
  it.each<[string, LoginThrottleState, number, boolean]>([
    ["lets a clean login through", {}, 0, false],
    ["lets the fifth try through after four account failures", { account: window(4) }, 60, false],
    ["locks the account after five failures", { account: window(5) }, 60, true],
    ["unlocks the account when the window closes", { account: window(5) }, 900, false],
    ["lets an address with 19 failures through", { ip: window(19) }, 60, false],
    ["locks an address after twenty failures", { ip: window(20) }, 60, true],
    ["locks when either key is over its limit", { account: window(1), ip: window(25) }, 60, true],
  ])("%s", (_name, state, seconds, expected) => {
    expect(isLocked(state, after(seconds))).toBe(expected);
  });
});

describe("retryAfterSeconds", () => {
  it("is the time left in the locked window", () => {
    expect(retryAfterSeconds({ account: window(5) }, after(60))).toBe(840);
  });

  it("is the later of two locked windows", () => {
    const later = { failures: 20, windowStartedAt: after(300) };
    expect(retryAfterSeconds({ account: window(5), ip: later }, after(600))).toBe(600);
  });

  it("is 0 when nothing is locked", () => {
    expect(retryAfterSeconds({ account: window(2) }, after(60))).toBe(0);
  });
});
