import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { type Instance, RegistryService } from "@triphub/contracts/triphub/registry/v1/registry_pb";
import type { Logger } from "pino";
import { type ClientTls, clientTlsFor } from "../client-tls.js";
import { type ServiceTokenSource, serviceTokenInterceptor } from "../service-token.js";
import { type BackoffOptions, createBackoff, sleep } from "./backoff.js";
import type { InstanceResolver, ServiceInstance } from "./instance-resolver.js";
import { REGISTRY_SERVICE } from "./registration.js";

/** Options for {@link registryResolver}. */
export interface RegistryResolverOptions {
  /** The registry's base URL, e.g. `http://127.0.0.1:7106`. */
  url: string;
  /** This service's tokens (the registry answers services only); or mTLS with an https URL. */
  tokens?: ServiceTokenSource;
  /** For an https URL; default: the process's client TLS. */
  tls?: ClientTls;
  log: Logger;
  /** Waits between reconnects (default 250 ms doubling to 10 s). */
  backoff?: BackoffOptions;
  /**
   * A stream silent this long is taken for dead and replaced (default 75 s): the registry sends
   * every 30 s even without a change, so only a half-open connection stays silent longer.
   */
  silenceMs?: number;
}

interface Watched {
  listeners: Set<(instances: readonly ServiceInstance[]) => void>;
  last?: readonly ServiceInstance[];
  lastKey?: string;
  stop: AbortController;
}

/** How a client reaches an instance: `https` when it registered as `tls`, else h2c. */
export function toServiceInstance(i: Instance): ServiceInstance {
  const scheme = i.metadata.protocol === "tls" ? "https" : "http";
  return { id: i.instanceId, url: `${scheme}://${i.address}`, zone: i.metadata.zone || undefined, version: i.version || undefined };
}

/**
 * The registry as an {@link InstanceResolver}: one WatchInstances stream per watched service,
 * shared by every subscriber of it. Each snapshot that changes who is healthy is handed on.
 * When the stream breaks (registry down, restarted, shutting down) it reconnects with capped
 * back-off, and until then subscribers keep the last instances they were given: an unreachable
 * registry never empties a client's list.
 */
export function registryResolver(opts: RegistryResolverOptions): InstanceResolver {
  const nodeOptions = clientTlsFor(opts.url, opts.tls);
  const sessions = new Http2SessionManager(opts.url, undefined, nodeOptions);
  // No default deadline: a watch is meant to stay open.
  const transport = createGrpcTransport({
    baseUrl: opts.url,
    sessionManager: sessions,
    nodeOptions,
    interceptors: opts.tokens ? [serviceTokenInterceptor(opts.tokens, REGISTRY_SERVICE)] : [],
  });
  const client: Client<typeof RegistryService> = createClient(RegistryService, transport);
  const watched = new Map<string, Watched>();
  const silenceMs = opts.silenceMs ?? 75_000;

  const publish = (w: Watched, instances: readonly ServiceInstance[]) => {
    const key = JSON.stringify(instances);
    if (key === w.lastKey) return;
    w.last = instances;
    w.lastKey = key;
    for (const listener of [...w.listeners]) listener(instances);
  };

  async function follow(service: string, w: Watched): Promise<void> {
    const backoff = createBackoff(opts.backoff);
    let failing = false;
    while (!w.stop.signal.aborted) {
      // One attempt's own signal: ended by stop, or by the silence watchdog.
      const attempt = new AbortController();
      const onStop = () => attempt.abort();
      w.stop.signal.addEventListener("abort", onStop, { once: true });
      let watchdog = setTimeout(() => attempt.abort(), silenceMs);
      try {
        for await (const res of client.watchInstances({ serviceName: service }, { signal: attempt.signal })) {
          clearTimeout(watchdog);
          watchdog = setTimeout(() => attempt.abort(), silenceMs);
          if (failing) opts.log.info({ service, registry: opts.url }, "registry watch restored");
          failing = false;
          backoff.reset();
          publish(w, res.instances.map(toServiceInstance));
        }
      } catch (err) {
        if (w.stop.signal.aborted) break;
        if (!failing) opts.log.warn({ err, service, registry: opts.url }, "registry watch lost: keeping the last known instances, reconnecting");
        failing = true;
      } finally {
        clearTimeout(watchdog);
        w.stop.signal.removeEventListener("abort", onStop);
      }
      // A stream that ended cleanly (a registry shutting down) is reconnected too.
      await sleep(backoff.next(), w.stop.signal);
    }
  }

  return {
    watch(service, onChange) {
      let w = watched.get(service);
      if (!w) {
        const created: Watched = { listeners: new Set(), stop: new AbortController() };
        watched.set(service, created);
        void follow(service, created);
        w = created;
      }
      const entry = w;
      entry.listeners.add(onChange);
      // A later subscriber gets what the stream already said, soon, as the interface promises.
      const known = entry.last;
      if (known) queueMicrotask(() => entry.listeners.has(onChange) && onChange(known));
      return () => {
        entry.listeners.delete(onChange);
        if (entry.listeners.size === 0 && watched.get(service) === entry) {
          entry.stop.abort();
          watched.delete(service);
        }
      };
    },
    async close() {
      for (const w of watched.values()) w.stop.abort();
      watched.clear();
      sessions.abort();
    },
  };
}
