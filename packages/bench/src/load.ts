import autocannon from "autocannon";

/** What one load run measured. */
export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
  /** Server CPU time per request in microseconds, when measured. */
  cpuUsPerRequest?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Calls `call` from `concurrency` workers for `seconds`, and returns throughput and latency
 * percentiles in milliseconds. Used for gRPC, which autocannon cannot speak (HTTP/2).
 */
export async function closedLoop(call: () => Promise<unknown>, opts: { concurrency: number; seconds: number }): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + opts.seconds * 1000;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await call();
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** One HTTP/1.1 request shape for {@link autocannonRun}. */
export interface HttpTarget {
  url: string;
  method: "GET" | "POST";
  body?: string;
  headers: Record<string, string>;
}

/** Load over HTTP/1.1 with autocannon (keep-alive connections, no pipelining). */
export async function autocannonRun(target: HttpTarget, opts: { concurrency: number; seconds: number }): Promise<LoadResult> {
  const r = await autocannon({
    url: target.url,
    method: target.method,
    body: target.body,
    headers: target.headers,
    connections: opts.concurrency,
    duration: opts.seconds,
  });
  return {
    requests: r.requests.total,
    errors: r.errors + r.non2xx,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
  };
}
