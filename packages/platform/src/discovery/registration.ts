import { create } from "@bufbuild/protobuf";
import { durationFromMs, durationMs } from "@bufbuild/protobuf/wkt";
import { type Client, Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { InstanceStatus, RegisterRequestSchema, RegistryService } from "@triphub/contracts/triphub/registry/v1/registry_pb";
import type { Logger } from "pino";
import { clientTlsFor } from "../client-tls.js";
import { type ServiceTokenSource, serviceTokenInterceptor } from "../service-token.js";
import { type BackoffOptions, createBackoff, sleep } from "./backoff.js";

/** The registry's service identity: the audience of the tokens its callers send. */
export const REGISTRY_SERVICE = "registry";

/** What an instance tells the registry about itself; see {@link startRegistration}. */
export interface RegistrationOptions {
  /** The registry's base URL, e.g. `http://127.0.0.1:7106`. */
  registryUrl: string;
  /** This instance's service, e.g. "accommodation" (also the identity it calls the registry as). */
  service: string;
  /** Unique within the service and stable for the process, e.g. the pod name. */
  instanceId: string;
  /** "host:port" where other services reach this instance. */
  address: string;
  /** What the port speaks: h2c (cleartext HTTP/2 and HTTP/1.1) or tls. */
  protocol: "h2c" | "tls";
  version: string;
  zone?: string;
  /** Further labels (e.g. "weight"). */
  metadata?: Record<string, string>;
  /** How long the lease lasts without a heartbeat (default 15 s); heartbeats come at the interval the registry answers with. */
  leaseTtlMs?: number;
  /** This service's tokens; without them only an mTLS certificate says who is calling. */
  tokens?: ServiceTokenSource;
  log: Logger;
  /** Waits between failed attempts to register (default 250 ms doubling to 10 s). */
  backoff?: BackoffOptions;
  /** Whether the instance is ready for traffic; the first registration waits until it says so. */
  ready?: () => Promise<boolean>;
  /** Whether it is serving right now, reported with every heartbeat. */
  serving?: () => boolean;
  /** How long shutdown waits for Deregister (default 2 s): a registry that is down must not hold it up. */
  deregisterTimeoutMs?: number;
}

/** A running registration; see {@link startRegistration}. */
export interface Registration {
  /** Whether the registry holds a live lease for this instance, as far as it knows. */
  registered(): boolean;
  /** Stops heartbeating and deregisters (bounded by `deregisterTimeoutMs`). Never rejects. */
  stop(): Promise<void>;
}

const DEFAULT_LEASE_TTL_MS = 15_000;

/**
 * Keeps this instance in the registry: registers once it is ready, heartbeats at the interval the
 * registry asks for (a third of the lease), registers again when a heartbeat is NOT_FOUND (the
 * lease lapsed, or the registry lost it), and deregisters on `stop`. A registry that cannot be
 * reached never stops the service: attempts go on with capped back-off, logged once per outage.
 */
export function startRegistration(opts: RegistrationOptions): Registration {
  const { log } = opts;
  const nodeOptions = clientTlsFor(opts.registryUrl);
  const sessions = new Http2SessionManager(opts.registryUrl, undefined, nodeOptions);
  const transport = createGrpcTransport({
    baseUrl: opts.registryUrl,
    sessionManager: sessions,
    nodeOptions,
    defaultTimeoutMs: 5_000,
    interceptors: opts.tokens ? [serviceTokenInterceptor(opts.tokens, REGISTRY_SERVICE)] : [],
  });
  const client: Client<typeof RegistryService> = createClient(RegistryService, transport);
  const me = { serviceName: opts.service, instanceId: opts.instanceId };
  const stopping = new AbortController();
  const backoff = createBackoff(opts.backoff);
  let registered = false;
  // Set from the first attempt on: the registry may have recorded a call whose answer was lost.
  let mayBeKnown = false;

  const request = create(RegisterRequestSchema, {
    ...me,
    address: opts.address,
    version: opts.version,
    metadata: { ...opts.metadata, protocol: opts.protocol, ...(opts.zone ? { zone: opts.zone } : {}) },
    status: InstanceStatus.SERVING,
    leaseTtl: durationFromMs(opts.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS),
  });
  const statusNow = () => (opts.serving === undefined || opts.serving() ? InstanceStatus.SERVING : InstanceStatus.NOT_SERVING);

  // Logs the first failure of an outage at warn and the rest at debug, so a registry that is down
  // for an hour does not fill the log.
  let failing = false;
  const failed = (err: unknown, what: string, retryInMs: number) => {
    log[failing ? "debug" : "warn"]({ err: ConnectError.from(err), registry: opts.registryUrl, retryInMs }, `${what} failed: trying again`);
    failing = true;
  };

  async function registerOnce(): Promise<number> {
    if (opts.ready && !(await opts.ready())) throw new ConnectError("not ready yet", Code.Unavailable);
    mayBeKnown = true;
    const res = await client.register({ ...request, status: statusNow() }, { signal: stopping.signal });
    registered = true;
    if (failing) log.info({ registry: opts.registryUrl }, "registry reachable again");
    failing = false;
    backoff.reset();
    log.info({ registry: opts.registryUrl, instanceId: opts.instanceId, address: opts.address }, "registered with the registry");
    return res.heartbeatInterval ? durationMs(res.heartbeatInterval) : (opts.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS) / 3;
  }

  const loop = (async () => {
    let interval = 0;
    while (!stopping.signal.aborted) {
      if (!registered) {
        try {
          interval = await registerOnce();
        } catch (e) {
          if (stopping.signal.aborted) break;
          const wait = backoff.next();
          failed(e, "registering", wait);
          await sleep(wait, stopping.signal);
          continue;
        }
      }
      await sleep(interval, stopping.signal);
      if (stopping.signal.aborted) break;
      try {
        await client.heartbeat({ ...me, status: statusNow() }, { signal: stopping.signal });
        if (failing) log.info({ registry: opts.registryUrl }, "registry reachable again");
        failing = false;
      } catch (e) {
        if (stopping.signal.aborted) break;
        if (ConnectError.from(e).code === Code.NotFound) {
          log.info({ registry: opts.registryUrl }, "the registry no longer knows this instance: registering again");
          registered = false;
          continue;
        }
        // The lease outlives a few lost heartbeats; if it lapses, the next one is NOT_FOUND.
        failed(e, "heartbeat", interval);
      }
    }
  })();

  return {
    registered: () => registered,
    async stop() {
      stopping.abort();
      await loop;
      if (mayBeKnown) {
        try {
          await client.deregister(me, { timeoutMs: opts.deregisterTimeoutMs ?? 2_000 });
          log.info({ registry: opts.registryUrl }, "deregistered from the registry");
        } catch (err) {
          // Its lease runs out by itself; the registry's probes notice sooner.
          log.warn({ err: ConnectError.from(err), registry: opts.registryUrl }, "deregistering failed: the lease will lapse instead");
        }
      }
      registered = false;
      sessions.abort();
    },
  };
}
