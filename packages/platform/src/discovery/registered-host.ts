import { hostname } from "node:os";
import type { Logger } from "pino";
import { ServingStatus } from "../health.js";
import { READINESS_PATH, type ServiceHost } from "../service-host.js";
import { registryCredentials } from "./process-discovery.js";
import { type Registration, type RegistrationOptions, startRegistration } from "./registration.js";

/** What {@link registeredHost} adds to the host's own facts (address, protocol and readiness come from the host). */
export type HostRegistrationOptions = Omit<RegistrationOptions, "address" | "protocol" | "ready" | "serving" | "instanceId"> & {
  /** Default: `<hostname>-<port>`, stable across restarts on the same port. */
  instanceId?: string;
  /** "host:port" other services use; default: the listening address (the machine's name when it listens on every interface). */
  advertisedAddress?: string;
};

/**
 * The host, registered: `listen` starts registering once the service is ready (its /readyz says
 * so) and `close` deregisters BEFORE the drain begins, so clients stop picking this instance
 * while it still answers the calls they already sent.
 */
export function registeredHost(host: ServiceHost, opts: HostRegistrationOptions): ServiceHost {
  let registration: Registration | undefined;
  return {
    ...host,
    async listen(listenOpts) {
      const url = await host.listen(listenOpts);
      const listening = new URL(url);
      const wildcard = ["0.0.0.0", "[::]", "::"].includes(listening.hostname);
      const address = opts.advertisedAddress ?? `${wildcard ? hostname() : listening.hostname}:${listening.port}`;
      registration = startRegistration({
        ...opts,
        instanceId: opts.instanceId ?? defaultInstanceId(listening.port),
        address,
        protocol: listening.protocol === "https:" ? "tls" : "h2c",
        ready: async () => (await host.app.inject({ method: "GET", url: READINESS_PATH })).statusCode === 200,
        serving: () => host.health.get("") === ServingStatus.SERVING,
      });
      return url;
    },
    async close() {
      await registration?.stop();
      await host.close();
    },
  };
}

// Host names may hold characters an instance id may not; ids are at most 128 characters.
const defaultInstanceId = (port: string) => `${hostname()}-${port}`.replace(/[^A-Za-z0-9._:-]/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 128);

/** The variables {@link registeredHostFromEnv} reads (part of the platform's serviceConfigSpec). */
export interface RegistrationEnv {
  REGISTRY_URL?: string;
  INSTANCE_ID?: string;
  ADVERTISED_ADDRESS?: string;
  ZONE?: string;
  SERVICE_VERSION?: string;
  REGISTRY_LEASE_SECONDS?: number;
  AUTH_TOKEN_URL?: string;
  SERVICE_CLIENT_SECRET?: string;
}

/**
 * For main.ts (runService and the gateway's main do it): the host registered with the registry at
 * REGISTRY_URL, calling it with this service's identity; the host itself without REGISTRY_URL,
 * or without an identity to call the registry with (logged).
 */
export function registeredHostFromEnv(service: string, host: ServiceHost, config: RegistrationEnv, log: Logger): ServiceHost {
  const url = config.REGISTRY_URL;
  if (!url) return host;
  const credentials = registryCredentials(service, { ...config, REGISTRY_URL: url });
  if (!credentials) {
    log.warn({ url }, "REGISTRY_URL is set but this service has no identity to call it with (SERVICE_CLIENT_SECRET or mTLS): not registering");
    return host;
  }
  return registeredHost(host, {
    registryUrl: url,
    service,
    instanceId: config.INSTANCE_ID,
    advertisedAddress: config.ADVERTISED_ADDRESS,
    zone: config.ZONE,
    version: config.SERVICE_VERSION ?? "dev",
    leaseTtlMs: (config.REGISTRY_LEASE_SECONDS ?? 15) * 1000,
    tokens: credentials.tokens,
    log,
  });
}
