import { RegistryService } from "@triphub/contracts/triphub/registry/v1/registry_pb";
import { createServiceClient, createServiceTokenSource } from "@triphub/platform";

/** Options of {@link waitUntilRegistered}. */
export interface RegisteredOptions {
  registryUrl: string;
  /** An identity to ask the registry with (the devstack borrows the gateway's). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** `service` → addresses ("127.0.0.1:7102") that must be listed healthy. */
  expected: ReadonlyMap<string, readonly string[]>;
  timeoutMs?: number;
}

/**
 * Resolves once the registry lists every expected instance as healthy. Services register a
 * moment after they are ready, and callers find each other only through the registry: the
 * devstack waits for this before starting the gateway and saying it is up, so that the first
 * request finds every service. Rejects after `timeoutMs` naming what is missing.
 */
export async function waitUntilRegistered(opts: RegisteredOptions): Promise<void> {
  const tokens = createServiceTokenSource({ tokenUrl: opts.tokenUrl, clientId: opts.clientId, clientSecret: opts.clientSecret });
  const registry = createServiceClient(RegistryService, opts.registryUrl, {
    identity: { tokens, audience: "registry" },
    timeoutMs: 2_000,
  });
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let missing: string[] = [];
  let lastError = "";
  while (Date.now() < deadline) {
    try {
      const { instances } = await registry.listInstances({ healthyOnly: true });
      const listed = new Set(instances.map((i) => `${i.serviceName} ${i.address}`));
      missing = [...opts.expected].flatMap(([service, addresses]) => addresses.map((a) => `${service} ${a}`)).filter((k) => !listed.has(k));
      if (missing.length === 0) return;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not registered in time: ${missing.join(", ") || "(the registry did not answer)"}${lastError ? ` (${lastError})` : ""}`);
}
