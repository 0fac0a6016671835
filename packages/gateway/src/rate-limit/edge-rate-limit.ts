import type { IncomingMessage } from "node:http";
import type { Clock, Logger } from "@triphub/platform";
import type { FastifyInstance } from "fastify";
import type { RouteInfo } from "../transcoder/route-info.js";
import type { Budgets } from "./budgets.js";
import { quotaExceeded, rateLimitHeaders } from "./rate-limit-response.js";
import { createRateLimiter, type RateLimiter } from "./rate-limiter.js";
import { routeClassOf } from "./route-class.js";
import { type Caller, subjectsOf } from "./subjects.js";

/** Options of {@link createEdgeRateLimit}. */
export interface EdgeRateLimitOptions {
  /** Undefined: no limits (RATE_LIMITS=off). */
  budgets: Budgets | undefined;
  redisUrl?: string;
  redisTimeoutMs: number;
  log: Logger;
  now: Clock;
}

/** Rate limits at the gateway's edge. */
export interface EdgeRateLimit {
  /**
   * Counts a request to `route` from `caller`; throws RESOURCE_EXHAUSTED (429) with
   * QuotaFailure and RetryInfo when a budget is used up. Either way its response carries the
   * RateLimit headers (see {@link EdgeRateLimit.register}).
   */
  admit(route: RouteInfo, caller: Caller, raw: IncomingMessage): Promise<void>;
  /** Adds `RateLimit` and `RateLimit-Policy` to the responses of admitted and refused requests. */
  register(app: FastifyInstance): void;
  /** Whether budgets are shared in Redis right now. */
  shared(): boolean;
  /** The budgets counted now; undefined when rate limits are off. */
  budgets(): Budgets | undefined;
  /**
   * Replaces the budgets from the next request on (the config server's quotas). Rate limits
   * switched off by RATE_LIMITS=off stay off: the instance's operator decided so.
   */
  setBudgets(budgets: Budgets): void;
  close(): Promise<void>;
}

/**
 * Per client address, per verified user and per presented API key, each with a budget per
 * route class (search, booking and login are tighter than the rest), counted in Redis when it
 * answers and per instance when it does not (rate-limiter.ts).
 */
export async function createEdgeRateLimit(opts: EdgeRateLimitOptions): Promise<EdgeRateLimit> {
  const headers = new WeakMap<IncomingMessage, Record<string, string>>();
  if (!opts.budgets) {
    opts.log.warn("rate limits: off (RATE_LIMITS=off)");
    return {
      admit: async () => {},
      register: () => {},
      shared: () => false,
      budgets: () => undefined,
      setBudgets: () => opts.log.warn("rate limits: off (RATE_LIMITS=off); configured quotas are not applied"),
      close: async () => {},
    };
  }
  let current = opts.budgets;
  const limiter: RateLimiter = await createRateLimiter({ ...opts, budgets: current });
  return {
    async admit(route, caller, raw) {
      const decision = await limiter.check(routeClassOf(route), subjectsOf(caller));
      headers.set(raw, rateLimitHeaders(decision));
      if (!decision.allowed) throw quotaExceeded(decision);
    },
    register(app) {
      app.addHook("onSend", (req, reply, payload, done) => {
        for (const [name, value] of Object.entries(headers.get(req.raw) ?? {})) reply.header(name, value);
        done(null, payload);
      });
    },
    shared: () => limiter.shared(),
    budgets: () => current,
    setBudgets(next) {
      current = next;
      limiter.setBudgets(next);
    },
    close: () => limiter.close(),
  };
}
