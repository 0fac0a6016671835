import type { Budget } from "./budgets.js";

// GCRA (the generic cell rate algorithm, as in redis-cell and throttled): each bucket keeps one
// number, the theoretical arrival time (TAT) of the next request if requests came at exactly
// the budget's rate. A request is let in while that lies at most one period ahead of now; each
// admitted request pushes it one interval (period / limit) further. That is a token bucket of
// `limit` tokens refilled evenly over the period, with no window edge to burst across, and
// one value per bucket to read and write.

/** One budget of one subject, under the name it is stored by. */
export interface Bucket {
  key: string;
  budget: Budget;
}

/** Where a bucket stands after a request. */
export interface BucketState {
  /** Requests still allowed right now. */
  remaining: number;
  /** Milliseconds until the bucket is full again. */
  resetMs: number;
  /** Milliseconds until this bucket would let the refused request in; 0 when it lets it in. */
  retryMs: number;
}

/** The answer for one request counted against several buckets at once. */
export interface Verdict {
  /** Whether every bucket let it in. Only then is it counted, in all of them. */
  allowed: boolean;
  /** Per bucket, in the order asked. */
  states: BucketState[];
}

// Floating-point slack for `remaining`: 60000 / 7 * 6 must still count as 6 intervals.
const EPSILON = 1e-9;

/**
 * One request against `buckets` whose stored TATs are `tats` (undefined: never used, or
 * expired). Returns the verdict and the TATs to store (unchanged when refused). The Redis
 * script below is the same computation; keep the two in step.
 */
export function gcra(tats: readonly (number | undefined)[], buckets: readonly Bucket[], now: number): { verdict: Verdict; tats: number[] } {
  const start = buckets.map((_, i) => Math.max(tats[i] ?? now, now));
  const interval = (b: Bucket) => b.budget.periodMs / b.budget.limit;
  const allowed = buckets.every((b, i) => start[i]! + interval(b) - b.budget.periodMs <= now);
  const next = buckets.map((b, i) => (allowed ? start[i]! + interval(b) : start[i]!));
  const states = buckets.map((b, i) => ({
    remaining: Math.max(0, Math.floor((b.budget.periodMs - (next[i]! - now)) / interval(b) + EPSILON)),
    resetMs: Math.ceil(next[i]! - now),
    retryMs: allowed ? 0 : Math.max(0, Math.ceil(start[i]! + interval(b) - b.budget.periodMs - now)),
  }));
  return { verdict: { allowed, states }, tats: next };
}

/**
 * {@link gcra} in Redis, atomic across every gateway: KEYS are the buckets, ARGV[1] the time
 * in ms, then each bucket's interval and period in ms. Returns the verdict (1 or 0) and then
 * remaining, reset and retry per bucket. A TAT is kept only as long as it lies ahead (PX), so
 * idle buckets cost no memory.
 */
export const GCRA_SCRIPT = `
local now = tonumber(ARGV[1])
local n = #KEYS
local start, interval, period = {}, {}, {}
local allowed = 1
for i = 1, n do
  interval[i] = tonumber(ARGV[2 * i])
  period[i] = tonumber(ARGV[2 * i + 1])
  local tat = tonumber(redis.call('GET', KEYS[i])) or now
  if tat < now then tat = now end
  start[i] = tat
  if tat + interval[i] - period[i] > now then allowed = 0 end
end
local out = { allowed }
for i = 1, n do
  local tat = start[i]
  local retry = 0
  if allowed == 1 then
    tat = tat + interval[i]
    redis.call('SET', KEYS[i], string.format('%.3f', tat), 'PX', math.ceil(tat - now))
  else
    retry = math.max(0, math.ceil(start[i] + interval[i] - period[i] - now))
  end
  out[#out + 1] = math.max(0, math.floor((period[i] - (tat - now)) / interval[i] + ${EPSILON}))
  out[#out + 1] = math.ceil(tat - now)
  out[#out + 1] = retry
end
return out
`;
