// Who may change an instance. Who may call the registry at all is the proto's `callers` option
// (any service identity; no user), enforced by the chassis before a handler runs.
import type { HandlerContext } from "@connectrpc/connect";
import { callerServiceKey, DomainError } from "@triphub/platform";

/**
 * A service registers, renews and removes only instances of itself: otherwise any service could
 * put its own address in another's rotation and be sent that service's calls and tokens.
 */
export function requireOwnService(ctx: HandlerContext, serviceName: string): void {
  const caller = ctx.values.get(callerServiceKey);
  if (caller !== serviceName) {
    throw new DomainError("forbidden", `${caller ?? "an unnamed caller"} may register, renew and remove only its own instances, not ${serviceName}'s`);
  }
}
