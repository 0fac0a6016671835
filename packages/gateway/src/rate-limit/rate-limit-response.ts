import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { ERROR_DOMAIN } from "@triphub/platform";
import { ErrorInfoSchema, QuotaFailure_ViolationSchema, QuotaFailureSchema, RetryInfoSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import type { SubjectKind } from "./budgets.js";
import type { AppliedBudget, RateLimitDecision } from "./rate-limiter.js";

// The headers follow the current IETF draft (draft-ietf-httpapi-ratelimit-headers-10):
// `RateLimit-Policy` names each policy with its quota and window, `RateLimit` its remaining
// quota and seconds until it is whole again. A request here is counted against up to three
// budgets at once (address, user, key); the older RateLimit-Limit/-Remaining/-Reset trio can
// describe only one, so a client could not tell which one it is about to run out of.

const policyName = (b: AppliedBudget) => `"${b.routeClass}.${b.kind}"`;
const seconds = (ms: number) => Math.ceil(ms / 1000);

/** `RateLimit-Policy` and `RateLimit` for a decision; none when no budget applied. */
export function rateLimitHeaders(d: RateLimitDecision): Record<string, string> {
  if (d.budgets.length === 0) return {};
  return {
    "ratelimit-policy": d.budgets.map((b) => `${policyName(b)};q=${b.budget.limit};w=${seconds(b.budget.periodMs)}`).join(", "),
    ratelimit: d.budgets.map((b) => `${policyName(b)};r=${b.state.remaining};t=${seconds(b.state.resetMs)}`).join(", "),
  };
}

const WHO: Record<SubjectKind, string> = { ip: "client address", user: "user", key: "API key" };

/** Whole seconds until the refused request would be let in (at least 1). */
export function retryAfterSeconds(d: RateLimitDecision): number {
  return Math.max(1, ...d.budgets.map((b) => seconds(b.state.retryMs)));
}

function period(ms: number): string {
  for (const [unit, size] of [["day", 86_400_000], ["hour", 3_600_000], ["minute", 60_000]] as const) {
    if (ms % size === 0) return ms === size ? unit : `${ms / size} ${unit}s`;
  }
  return ms === 1000 ? "second" : `${ms / 1000} seconds`;
}

/**
 * RESOURCE_EXHAUSTED (HTTP 429) for a refused request: a google.rpc.QuotaFailure naming each
 * exhausted budget by route class and subject kind (never the address, user or key itself), a
 * google.rpc.RetryInfo with the wait (the transcoder turns it into Retry-After), and an
 * ErrorInfo with reason RATE_LIMIT_EXCEEDED for clients that switch on reasons.
 */
export function quotaExceeded(d: RateLimitDecision): ConnectError {
  const exhausted = d.budgets.filter((b) => b.state.retryMs > 0);
  const wait = retryAfterSeconds(d);
  const first = exhausted[0] ?? d.budgets[0]!;
  const violations = exhausted.map((b) =>
    create(QuotaFailure_ViolationSchema, {
      subject: b.kind,
      description: `${b.budget.limit} ${b.routeClass} requests per ${period(b.budget.periodMs)} per ${WHO[b.kind]}`,
      quotaId: `${b.routeClass}.${b.kind}`,
      quotaMetric: `${ERROR_DOMAIN}/${b.routeClass}_requests`,
      quotaDimensions: { route_class: b.routeClass, subject: b.kind },
      quotaValue: BigInt(b.budget.limit),
    }),
  );
  return new ConnectError(`too many ${first.routeClass} requests for this ${WHO[first.kind]}; retry in ${wait} s`, Code.ResourceExhausted, undefined, [
    { desc: QuotaFailureSchema, value: create(QuotaFailureSchema, { violations }) },
    { desc: RetryInfoSchema, value: create(RetryInfoSchema, { retryDelay: { seconds: BigInt(wait) } }) },
    {
      desc: ErrorInfoSchema,
      value: create(ErrorInfoSchema, { reason: "RATE_LIMIT_EXCEEDED", domain: ERROR_DOMAIN, metadata: { route_class: first.routeClass, subject: first.kind } }),
    },
  ]);
}
