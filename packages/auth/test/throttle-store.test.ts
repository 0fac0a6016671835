import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLocked, throttleKeys } from "../src/domain/login-throttle.js";
import { createThrottleStore } from "../src/store/throttle-store.js";
import type { ThrottleStore } from "../src/store/throttle-store.js";
import { openTestDb } from "./auth-db.js";
import type { TestDb } from "./auth-db.js";

let testDb: TestDb;
let throttle: ThrottleStore;

const t0 = new Date("2026-01-01T00:00:00.000Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
let counter = 0;
const freshKey = () => `account:throttle${++counter}@example.com`;

beforeAll(async () => {
  testDb = await openTestDb("auth_throttle_store");
  throttle = createThrottleStore(testDb.db);
});
afterAll(() => testDb?.close());

describe("recordFailure", () => {
  it("counts failures within one window", async () => {
    const key = freshKey();
    expect(await throttle.recordFailure(key, t0)).toEqual({ failures: 1, windowStartedAt: t0 });
    expect(await throttle.recordFailure(key, at(60))).toEqual({ failures: 2, windowStartedAt: t0 });
    expect(await throttle.failures(key, at(899))).toBe(2);
  });

  it("starts a new window once 15 minutes have passed", async () => {
    const key = freshKey();
    await throttle.recordFailure(key, t0);
    await throttle.recordFailure(key, at(10));
    expect(await throttle.failures(key, at(900))).toBe(0);
    expect(await throttle.recordFailure(key, at(900))).toEqual({ failures: 1, windowStartedAt: at(900) });
  });

  it("loses no count under concurrent failures", async () => {
    const key = freshKey();
    await Promise.all(Array.from({ length: 25 }, () => throttle.recordFailure(key, at(1))));
    expect(await throttle.failures(key, at(2))).toBe(25);
  });
});

describe("state", () => {
  it("locks an account after five failures and unlocks it when the window closes", async () => {
    const keys = throttleKeys(`lock${Date.now()}@example.com`, "198.51.100.4");
    for (let i = 0; i < 5; i++) {
      expect(isLocked(await throttle.state(keys), at(i))).toBe(false);
      await throttle.recordFailure(keys.account, at(i));
      await throttle.recordFailure(keys.ip, at(i));
    }
    const state = await throttle.state(keys);
    expect(state.account?.failures).toBe(5);
    expect(state.ip?.failures).toBe(5);
    expect(isLocked(state, at(10))).toBe(true);
    expect(isLocked(state, at(900))).toBe(false);
  });

  it("is empty for keys without failures", async () => {
    expect(await throttle.state(throttleKeys("never@example.com", "192.0.2.1"))).toEqual({
      account: undefined,
      ip: undefined,
    });
  });
});

describe("clear and purgeExpired", () => {
  it("forgets a key's failures", async () => {
    const key = freshKey();
    await throttle.recordFailure(key, t0);
    await throttle.clear(key);
    expect(await throttle.failures(key, t0)).toBe(0);
  });

  it("deletes only closed windows", async () => {
    const closed = freshKey();
    const open = freshKey();
    await throttle.recordFailure(closed, at(-2000));
    await throttle.recordFailure(open, at(-100));
    expect(await throttle.purgeExpired(t0, 1000)).toBeGreaterThanOrEqual(1);
    expect((await throttle.state({ account: closed, ip: open })).account).toBeUndefined();
    expect(await throttle.failures(open, t0)).toBe(1);
  });

  it("deletes at most `limit` windows at a time", async () => {
    for (let i = 0; i < 3; i++) await throttle.recordFailure(freshKey(), at(-3000));
    expect(await throttle.purgeExpired(t0, 2)).toBe(2);
    expect(await throttle.purgeExpired(t0, 1000)).toBeGreaterThanOrEqual(1);
    expect(await throttle.purgeExpired(t0, 1000)).toBe(0);
  });
});
