import { lookup } from "node:dns/promises";
import type { Logger } from "pino";
import type { InstanceResolver, ServiceInstance } from "./instance-resolver.js";

/** Options of {@link dnsResolver}. */
export interface DnsResolverOptions {
  /** How often each name is looked up again (default 5 s): a new pod is called within that. */
  refreshMs?: number;
  log?: Logger;
  /** The lookup (tests); default the system's resolver, every address of the name. */
  lookupAll?: (host: string) => Promise<string[]>;
}

const systemLookup = async (host: string) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * A cluster's DNS as an {@link InstanceResolver}: the service name is `host:port`, and each
 * address the host resolves to is an instance (`http://<address>:<port>`), so a headless
 * Kubernetes Service gives one instance per ready pod and the registry is not needed. Names are
 * looked up again every `refreshMs`; a lookup that fails keeps the last list (a DNS hiccup must
 * not empty a client's instances).
 */
export function dnsResolver(opts: DnsResolverOptions = {}): InstanceResolver {
  const refreshMs = opts.refreshMs ?? 5_000;
  const lookupAll = opts.lookupAll ?? systemLookup;
  const stops = new Set<() => void>();

  return {
    watch(target, onChange) {
      const at = target.lastIndexOf(":");
      const host = target.slice(0, at);
      const port = target.slice(at + 1);
      let last = "";
      let failing = false;
      let timer: NodeJS.Timeout | undefined;
      let live = true;
      const refresh = async () => {
        try {
          const addresses = [...new Set(await lookupAll(host))].sort();
          failing = false;
          const instances: ServiceInstance[] = addresses.map((a) => {
            const hostPort = `${a.includes(":") ? `[${a}]` : a}:${port}`;
            return { id: hostPort, url: `http://${hostPort}` };
          });
          const key = JSON.stringify(instances);
          if (live && key !== last) {
            last = key;
            onChange(instances);
          }
        } catch (err) {
          if (!failing) opts.log?.warn({ err, host }, "DNS lookup failed: keeping the last known instances");
          failing = true;
        }
        if (live) timer = setTimeout(refresh, refreshMs).unref();
      };
      void refresh();
      const stop = () => {
        live = false;
        clearTimeout(timer);
        stops.delete(stop);
      };
      stops.add(stop);
      return stop;
    },
    async close() {
      for (const stop of [...stops]) stop();
    },
  };
}
