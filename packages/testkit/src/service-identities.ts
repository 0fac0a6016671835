import { randomBytes } from "node:crypto";
import { type Clock, createServiceTokenSource, formatServiceClients, SERVICE_NAMES, type ServiceTokenSource } from "@triphub/platform";

/** Client secrets for a test platform, made fresh per call, as `npm start` makes them on first start. */
export interface TestServiceIdentities {
  /** Auth's SERVICE_CLIENTS: every service registered by the hash of its secret. */
  serviceClients: string;
  secretOf(name: string): string;
  /**
   * `name`'s token source against the auth service at `authUrl` (its real token endpoint);
   * `now` is the platform's clock, which decides when a cached token is renewed.
   */
  tokens(name: string, authUrl: string, now?: Clock): ServiceTokenSource;
}

/** Provisions a client secret for each of `names` (every TripHub service by default). */
export function testServiceIdentities(names: readonly string[] = SERVICE_NAMES): TestServiceIdentities {
  const secrets = Object.fromEntries(names.map((n) => [n, randomBytes(32).toString("base64url")]));
  const secretOf = (name: string) => {
    const s = secrets[name];
    if (s === undefined) throw new Error(`no test identity for service ${name}`);
    return s;
  };
  return {
    serviceClients: formatServiceClients(secrets),
    secretOf,
    tokens: (name, authUrl, now) =>
      createServiceTokenSource({ tokenUrl: `${authUrl}/oauth2/token`, clientId: name, clientSecret: secretOf(name) }, now),
  };
}
