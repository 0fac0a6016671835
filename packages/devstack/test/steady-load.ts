// A steady load of guest reads through the gateway, for tests that break something under it.

/** Loops of requests running until stopped. */
export interface SteadyLoad {
  /** Ends the loops once their requests in flight are answered; every answer that was not a 200, described. */
  stop(): Promise<{ ok: number; failures: string[] }>;
}

/**
 * `loops` concurrent loops, each sending one request at a time: a search for Seoul, then the
 * details of one of `propertyIds`, over and over. A refused connection counts as a failure.
 */
export function startSteadyReads(gatewayUrl: string, propertyIds: readonly string[], loops = 6): SteadyLoad {
  let running = true;
  let ok = 0;
  const failures: string[] = [];
  const urls = [
    `${gatewayUrl}/api/v1/accommodations:search?destination=Seoul&adults=2&pageSize=5`,
    ...propertyIds.map((id) => `${gatewayUrl}/api/v1/accommodations/${id}`),
  ];
  const loop = async (k: number) => {
    for (let n = k; running; n++) {
      const url = urls[n % urls.length]!;
      try {
        const res = await fetch(url);
        const body = await res.text();
        if (res.status === 200) ok++;
        else failures.push(`${res.status} ${url}: ${body.slice(0, 300)}`);
      } catch (e) {
        failures.push(`${url}: ${(e as Error).message}`);
      }
    }
  };
  const all = Array.from({ length: loops }, (_, k) => loop(k));
  return {
    async stop() {
      running = false;
      await Promise.all(all);
      return { ok, failures };
    },
  };
}
