import type { Logger } from "pino";
import { clientTls } from "../client-tls.js";
import { createServiceTokenSource, type ServiceTokenSource } from "../service-token.js";
import { dnsResolver } from "./dns-resolver.js";
import type { InstanceResolver } from "./instance-resolver.js";
import { registryResolver } from "./registry-resolver.js";
import type { ServiceAddress } from "./service-address.js";

// One of each per process, shared by every client: one watch per called service, not per client.
let registry: InstanceResolver | undefined;
let dns: InstanceResolver | undefined;

/** Where a client finds the instances of a service: a resolver and the name it knows it by. */
export interface ResolvedTarget {
  resolver: InstanceResolver;
  /** The name the resolver knows the service by, e.g. `accommodation`. */
  service: string;
}

/**
 * The process's resolver for a `registry:///` or `dns:///` address. Throws when the address
 * names the registry and this process has none (REGISTRY_URL unset): the service could never
 * reach what it calls, so it must not start.
 */
export function targetOf(address: Exclude<ServiceAddress, { kind: "urls" }>): ResolvedTarget {
  if (address.kind === "dns") {
    dns ??= dnsResolver();
    return { resolver: dns, service: `${address.host}:${address.port}` };
  }
  if (!registry) {
    throw new Error(`registry:///${address.service} needs the registry: set REGISTRY_URL (and this service's identity to call it with)`);
  }
  return { resolver: registry, service: address.service };
}

/** Makes `resolver` the one every `registry:///` address of this process resolves through (tests, main.ts). */
export function useRegistryResolver(resolver: InstanceResolver | undefined): void {
  registry = resolver;
}

/** The variables {@link discoveryFromEnv} reads (part of the platform's serviceConfigSpec). */
export interface DiscoveryEnv {
  REGISTRY_URL?: string;
  AUTH_TOKEN_URL?: string;
  SERVICE_CLIENT_SECRET?: string;
}

/**
 * How `service` proves who it is to the registry at REGISTRY_URL: its tokens from auth, or (with
 * no tokens) the mTLS certificate an https registry sees; undefined when it has neither.
 */
export function registryCredentials(service: string, config: DiscoveryEnv & { REGISTRY_URL: string }): { tokens?: ServiceTokenSource } | undefined {
  const { AUTH_TOKEN_URL: tokenUrl, SERVICE_CLIENT_SECRET: clientSecret } = config;
  const tokens = tokenUrl && clientSecret ? createServiceTokenSource({ tokenUrl, clientId: service, clientSecret }) : undefined;
  if (tokens) return { tokens };
  return config.REGISTRY_URL.startsWith("https:") && clientTls()?.cert !== undefined ? {} : undefined;
}

/**
 * For main.ts (runService and the gateway's main do it), before the service is built: with
 * REGISTRY_URL and an identity to call it with (SERVICE_CLIENT_SECRET or an mTLS certificate),
 * the registry answers this process's `registry:///` addresses. Returns what stops it.
 */
export function discoveryFromEnv(service: string, config: DiscoveryEnv, log: Logger): { close(): Promise<void> } {
  const url = config.REGISTRY_URL;
  const credentials = url ? registryCredentials(service, { ...config, REGISTRY_URL: url }) : undefined;
  if (!url || !credentials) return { close: async () => {} };
  const resolver = registryResolver({ url, tokens: credentials.tokens, log });
  useRegistryResolver(resolver);
  return {
    async close() {
      if (registry === resolver) useRegistryResolver(undefined);
      await resolver.close();
    },
  };
}
