import { ConfigError } from "@triphub/platform";
import { describe, expect, it } from "vitest";
import { loadGatewayConfig } from "../../src/config.js";
import { DEFAULT_BUDGETS } from "../../src/rate-limit/budgets.js";

const M = 60_000;

describe("RATE_LIMITS", () => {
  it("keeps the defaults when unset or empty, and turns limits off with `off`", () => {
    expect(loadGatewayConfig({}).RATE_LIMITS).toEqual(DEFAULT_BUDGETS);
    expect(loadGatewayConfig({ RATE_LIMITS: " " }).RATE_LIMITS).toEqual(DEFAULT_BUDGETS);
    expect(loadGatewayConfig({ RATE_LIMITS: "off" }).RATE_LIMITS).toBeUndefined();
  });

  it("replaces single defaults, in every period unit, and removes one with `none`", () => {
    const budgets = loadGatewayConfig({ RATE_LIMITS: "search.ip=30/m, login.ip=5/10m,booking.user=3/h, default.key=none, default.ip=100000/d, search.user=2/15s" }).RATE_LIMITS!;
    expect(budgets.search).toEqual({ ip: { limit: 30, periodMs: M }, user: { limit: 2, periodMs: 15_000 }, key: DEFAULT_BUDGETS.search.key });
    expect(budgets.login.ip).toEqual({ limit: 5, periodMs: 10 * M });
    expect(budgets.booking.user).toEqual({ limit: 3, periodMs: 60 * M });
    expect(budgets.default).toEqual({ ip: { limit: 100_000, periodMs: 24 * 60 * M }, user: DEFAULT_BUDGETS.default.user });
    // The defaults themselves are left alone.
    expect(DEFAULT_BUDGETS.default.key).toBeDefined();
  });

  it.each([
    ["search.ip=30", /malformed entry "search.ip=30"/],
    ["search.ip=30/w", /malformed/],
    ["search.ip=-1/m", /malformed/],
    ["checkout.ip=30/m", /unknown route class "checkout"/],
    ["search.device=30/m", /unknown subject "device"/],
    ["search.ip=30/m, search.ip=40/m", /sets search.ip twice/],
    ["search.ip=0/m", /count must be from 1/],
    ["search.ip=10/8d", /period must be from 1s to 7d/],
    ["search.ip=10/0s", /period must be from 1s to 7d/],
  ])("refuses %j at start with a ConfigError naming RATE_LIMITS", (raw, why) => {
    const load = () => loadGatewayConfig({ RATE_LIMITS: raw });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/RATE_LIMITS/);
    expect(load).toThrow(why);
  });

  it("refuses a REDIS_URL that is not redis:// or rediss://", () => {
    expect(() => loadGatewayConfig({ REDIS_URL: "http://127.0.0.1:6379" })).toThrow(/REDIS_URL must use redis or rediss/);
  });
});
