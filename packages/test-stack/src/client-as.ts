// A typed client of a running service as a user (their access token) or as another service
// (its service token), the two ways production calls a service.
import type { DescService } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import { createServiceClient } from "@triphub/platform";
import type { RunningService } from "@triphub/testkit";
import type { ServiceCaller, StackUser } from "./auth.js";

/** Who calls: a signed-in user, a service (`auth.asService(name)`), or nobody. */
export type Caller = Pick<StackUser, "token"> | ServiceCaller | undefined;

// Services' contracts live in proto package triphub.<service>.v1, and a service token is issued
// for the called service's name.
const SERVICE_OF_PACKAGE = /^triphub\.([a-z][a-z0-9]*)\.v\d+\./;

/**
 * A client of `running`'s `service` as `caller`. For a service caller the token's audience is
 * the service that owns the contract (`triphub.<name>.v1`), unless `audience` says otherwise
 * (a test of a token issued for the wrong service).
 */
export function clientAs<T extends DescService>(running: RunningService, service: T, caller: Caller, opts: { audience?: string } = {}): Client<T> {
  if (caller === undefined) return running.client(service);
  if ("token" in caller) return running.client(service, caller.token);
  const audience = opts.audience ?? SERVICE_OF_PACKAGE.exec(service.typeName)?.[1];
  if (audience === undefined) throw new Error(`cannot tell which service owns ${service.typeName}: pass { audience }`);
  return createServiceClient(service, running.url, { identity: { tokens: caller.tokens, audience } });
}
