import { formatServiceClients } from "@triphub/platform";
import { devSecret } from "./embedded-postgres.js";

/** The client secret of each service, made on first start in `<data>/secrets/` (never in the repository). */
export interface DevServiceIdentities {
  /** Auth's SERVICE_CLIENTS: each service by the hash of its secret. */
  serviceClients: string;
  /** What a service needs to get its tokens from auth. */
  envFor(name: string): Record<string, string>;
}

/** Provisions a service identity for each of `names`, as the testkit does for tests. */
export async function devServiceIdentities(dataDir: string, names: readonly string[], authUrl: string): Promise<DevServiceIdentities> {
  const secrets: Record<string, string> = {};
  for (const name of names) secrets[name] = await devSecret(dataDir, `service-${name}`);
  return {
    serviceClients: formatServiceClients(secrets),
    envFor: (name) => ({ AUTH_TOKEN_URL: `${authUrl}/oauth2/token`, SERVICE_CLIENT_SECRET: secrets[name] ?? "" }),
  };
}
