import { type ClientFetch, clientFetch } from "@triphub/platform";

/** Options of {@link upstreamReadiness}. */
export interface UpstreamReadinessOptions {
  /** An upstream that has not answered its /readyz within this many ms is not ready. Default 700. */
  timeoutMs?: number;
  /** How long one round of probes stands for all callers, in ms. Default 1000. */
  intervalMs?: number;
  now?: () => number;
  /** How probes are sent. Default: the platform's client fetch (https with the process's client TLS). */
  fetch?: ClientFetch;
}

/**
 * The instances of each upstream: one base URL, or several (an upstream with several
 * instances), or a function giving the current ones (a balancer's, which follows a resolver).
 */
export type UpstreamInstances = readonly (string | readonly string[])[] | (() => readonly (readonly string[])[]);

/**
 * The gateway's readiness: every upstream has an instance whose `/readyz` answers 200 in time
 * (the balancer sends calls around the others). A round of probes (all instances at once) is
 * shared by every caller while it runs and stands for `intervalMs` after, so a burst of probes
 * of the gateway costs each instance one request; a hanging instance costs at most `timeoutMs`,
 * never a hanging /readyz. An upstream with no instance known is not ready.
 */
export function upstreamReadiness(upstreams: UpstreamInstances, opts: UpstreamReadinessOptions = {}): () => Promise<boolean> {
  const timeoutMs = opts.timeoutMs ?? 700;
  const intervalMs = opts.intervalMs ?? 1000;
  const now = opts.now ?? Date.now;
  const get = opts.fetch ?? clientFetch;
  let last: { at: number; ready: Promise<boolean> } | undefined;

  const probe = async (base: string): Promise<boolean> => {
    try {
      const res = await get(new URL("/readyz", base), { signal: AbortSignal.timeout(timeoutMs) });
      // Read to the end, so the keep-alive connection can carry the next probe.
      await res.arrayBuffer();
      return res.status === 200;
    } catch {
      return false;
    }
  };

  return () => {
    if (!last || now() - last.at >= intervalMs) {
      const at = now();
      const groups = typeof upstreams === "function" ? upstreams() : upstreams.map((u) => (typeof u === "string" ? [u] : u));
      const anyReady = async (urls: readonly string[]) => (await Promise.all(urls.map(probe))).some(Boolean);
      last = { at, ready: Promise.all(groups.map(anyReady)).then((all) => all.every(Boolean)) };
      // The round's time starts when it ends: a slow round does not leave callers unprotected.
      const round = last;
      void round.ready.then(() => {
        round.at = now();
      });
    }
    return last.ready;
  };
}
