import { isMessage, type Message } from "@bufbuild/protobuf";
import { GatewaySettingsSchema, type RateLimitQuotas, type RouteQuotas } from "@triphub/contracts/triphub/config/v1/settings_pb";
import type { SettingsApplier } from "@triphub/platform";
import { type Budgets, ROUTE_CLASSES, type RouteClass, SUBJECT_KINDS } from "./budgets.js";
import type { EdgeRateLimit } from "./edge-rate-limit.js";

const DEFAULT_PERIOD_MS = 60_000;

const quotasOf = (q: RateLimitQuotas, cls: RouteClass): RouteQuotas | undefined => (cls === "default" ? q.default : q[cls]);

/**
 * The budgets `base` (RATE_LIMITS, or the defaults) with the config server's quotas in place
 * of those it sets: `rate_limits.<class>.<subject>.limit`, and `.period_seconds` (default: the
 * period of the budget it replaces, or a minute). A budget the quotas do not name stays as in
 * `base`, so removing a quota from the configuration restores the environment's budget.
 */
export function budgetsWithQuotas(base: Budgets, quotas: RateLimitQuotas | undefined): Budgets {
  const budgets: Budgets = structuredClone(base);
  if (!quotas) return budgets;
  for (const cls of ROUTE_CLASSES) {
    const route = quotasOf(quotas, cls);
    for (const kind of SUBJECT_KINDS) {
      const quota = route?.[kind];
      if (!quota) continue;
      const periodMs = quota.periodSeconds !== undefined ? quota.periodSeconds * 1000 : (base[cls][kind]?.periodMs ?? DEFAULT_PERIOD_MS);
      budgets[cls][kind] = { limit: quota.limit, periodMs };
    }
  }
  return budgets;
}

/**
 * Applies the `rate_limits` of each configuration version the gateway receives to `edge`,
 * on top of the budgets it started with. Settings that are not the gateway's are refused.
 */
export function configuredQuotas(edge: EdgeRateLimit): SettingsApplier {
  const base = edge.budgets();
  return (settings: Message) => {
    if (!isMessage(settings, GatewaySettingsSchema)) throw new Error(`not the gateway's settings: ${settings.$typeName}`);
    if (!base) return undefined;
    const next = budgetsWithQuotas(base, settings.rateLimits);
    return () => edge.setBudgets(next);
  };
}
