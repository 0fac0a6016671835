import { create } from "@bufbuild/protobuf";
import { GatewaySettingsSchema, RateLimitQuotasSchema } from "@triphub/contracts/triphub/config/v1/settings_pb";
import { createLogger } from "@triphub/platform";
import { describe, expect, it } from "vitest";
import { DEFAULT_BUDGETS, parseRateLimits } from "../../src/rate-limit/budgets.js";
import { budgetsWithQuotas, configuredQuotas } from "../../src/rate-limit/configured-quotas.js";
import { createEdgeRateLimit } from "../../src/rate-limit/edge-rate-limit.js";
import { createRateLimiter } from "../../src/rate-limit/rate-limiter.js";

const log = createLogger({ service: "test", level: "silent" });
const now = () => new Date("2026-12-01T12:00:00Z");

describe("budgetsWithQuotas", () => {
  it("replaces only the budgets the quotas name, with the replaced budget's period unless given", () => {
    const base = parseRateLimits("search.ip=30/h")!;
    const quotas = create(RateLimitQuotasSchema, {
      search: { ip: { limit: 5 } },
      default: { key: { limit: 10, periodSeconds: 1 } },
      login: { user: { limit: 3 } },
    });
    const b = budgetsWithQuotas(base, quotas);
    expect(b.search.ip).toEqual({ limit: 5, periodMs: 3_600_000 });
    expect(b.default.key).toEqual({ limit: 10, periodMs: 1_000 });
    expect(b.login.user).toEqual({ limit: 3, periodMs: 60_000 });
    expect(b.booking).toEqual(DEFAULT_BUDGETS.booking);
    // The base is not changed: dropping the quotas later restores it.
    expect(base.search.ip).toEqual({ limit: 30, periodMs: 3_600_000 });
    expect(budgetsWithQuotas(base, undefined)).toEqual(base);
  });
});

describe("rate limits replaced at run time", () => {
  it("count against the new budget from the next request on", async () => {
    const limiter = await createRateLimiter({ budgets: DEFAULT_BUDGETS, redisTimeoutMs: 100, log, now });
    const subjects = [{ kind: "ip" as const, id: "10.0.0.1" }];
    expect((await limiter.check("search", subjects)).allowed).toBe(true);
    limiter.setBudgets(budgetsWithQuotas(DEFAULT_BUDGETS, create(RateLimitQuotasSchema, { search: { ip: { limit: 2, periodSeconds: 3600 } } })));
    const next = await limiter.check("search", subjects);
    expect(next.budgets[0]?.budget).toEqual({ limit: 2, periodMs: 3_600_000 });
    expect(next.allowed).toBe(true);
    expect((await limiter.check("search", subjects)).allowed).toBe(false);
    await limiter.close();
  });

  it("are applied by the gateway's settings applier, which refuses another service's settings", async () => {
    const edge = await createEdgeRateLimit({ budgets: DEFAULT_BUDGETS, redisTimeoutMs: 100, log, now });
    const apply = configuredQuotas(edge);
    apply(create(GatewaySettingsSchema, { rateLimits: { booking: { user: { limit: 1 } } } }))?.();
    expect(edge.budgets()?.booking.user).toEqual({ limit: 1, periodMs: 60_000 });
    apply(create(GatewaySettingsSchema, {}))?.();
    expect(edge.budgets()?.booking.user).toEqual(DEFAULT_BUDGETS.booking.user);
    expect(() => apply(create(RateLimitQuotasSchema, {}))).toThrow(/not the gateway's settings/);
    await edge.close();
  });
});
