import autocannon from "autocannon";

/** What one fixed-rate run measured; latencies in milliseconds (2xx responses only). */
export interface RateResult {
  targetRps: number;
  achievedRps: number;
  requests: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  seconds: number;
}

/**
 * GETs `baseUrl` + `nextPath()` at `rate` requests per second over all `connections`
 * (keep-alive HTTP/1.1, autocannon's `overallRate`) for `seconds`. A connection waits for its
 * response before sending again, so when rate × latency exceeds the connections the achieved
 * rate falls below the target: compare the two columns. autocannon's coordinated-omission
 * correction is off, as it assumes a 1 ms interval (it divides by the rate in seconds) and
 * floods the histogram with made-up samples.
 */
export async function fixedRate(baseUrl: string, nextPath: () => string, opts: { rate: number; seconds: number; connections: number }): Promise<RateResult> {
  const r = await autocannon({
    url: baseUrl,
    connections: opts.connections,
    overallRate: opts.rate,
    duration: opts.seconds,
    ignoreCoordinatedOmission: true,
    timeout: 30,
    requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: nextPath() }) }],
  });
  return {
    targetRps: opts.rate,
    achievedRps: r.requests.total / r.duration,
    requests: r.requests.total,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.errors,
    non2xx: r.non2xx,
    seconds: r.duration,
  };
}
